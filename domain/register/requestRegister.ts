import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import { describeExtension } from '../deadlines/extension';
import type { Clock } from '../clock';
import { CsvWriter } from '../export/csvRendering';
import type { DownloadLink, PackageStore } from '../export/packageStore';
import type { Logger } from '../logger';
import type { AdminPolicy } from '../policy/adminPolicy';
import { Refusal, RefusalCode } from '../refusal';
import { STATE_LABEL, RequestState } from '../requests/lifecycle';
import type { ExportRequest } from '../requests/exportRequest';
import type { RequestStore } from '../requests/requestStore';

export const REGISTER_COLUMNS = ['reference', 'subject', 'regime', 'received', 'due', 'extended', 'state', 'completed', 'outcome'] as const;
/** The register link lives a day: it is for the admin who asked, now. */
export const REGISTER_LINK_MS = 24 * 3600_000;
const PAGE = 500;

const OUTCOME: Partial<Record<RequestState, string>> = {
  delivered: 'data provided',
  completed: 'data provided',
  purged: 'data provided; package deleted after retention',
  declined: 'declined by the data subject',
  unconfirmed: 'not confirmed in time',
  cancelled: 'cancelled',
  failed: 'export failed',
};

/**
 * `register`: the record of every request (Art. 5(2) GDPR, accountability) as a CSV file, handed to
 * the admin through a short-lived read-only link like the exports'. The rows are streamed into
 * storage as they are written; the requests themselves are read in one query.
 */
export class RequestRegister {
  constructor(private readonly deps: { store: RequestStore; packages: PackageStore; admins: AdminPolicy; clock: Clock; logger: Logger }) {}

  async export(actor: Actor): Promise<{ link: DownloadLink; rows: number }> {
    if (!(await this.deps.admins.isAdmin(actor.objectId))) throw new Refusal(RefusalCode.NotAnAdmin, 'Only privacy admins can download the request register.');
    const now = this.deps.clock.now();
    const blobName = `registers/${now.toISOString().slice(0, 10)}-${randomUUID()}.csv`;
    // Read first: an upload opened before a failing read would never be ended.
    const requests = await this.deps.store.list({ limit: Number.MAX_SAFE_INTEGER });
    const upload = this.deps.packages.openUpload(blobName);
    // The same writer as the packages' CSVs: names a spreadsheet would run as formulas are escaped.
    const csv = new CsvWriter(REGISTER_COLUMNS, upload.stream, { headerWhenEmpty: true });
    for (const [index, request] of [...requests].reverse().entries()) {
      await csv.add(registerRow(request));
      // Let other turns in between on a long register.
      if ((index + 1) % PAGE === 0) await new Promise((r) => setImmediate(r));
    }
    const rows = await csv.end();
    await upload.done;
    const link = await this.deps.packages.createReadLink(blobName, new Date(now.getTime() + REGISTER_LINK_MS));
    this.deps.logger.info({ rows, actor: actor.objectId }, 'request register exported');
    return { link, rows };
  }
}

function registerRow(r: ExportRequest): Record<(typeof REGISTER_COLUMNS)[number], string> {
  const closed = OUTCOME[r.state] !== undefined;
  return {
    reference: r.reference,
    subject: r.subject.displayName,
    regime: r.regime.toUpperCase(),
    received: r.receivedOn,
    due: r.dueOn,
    extended: (r.extensions ?? []).map((e) => `${describeExtension(e.amount, e.unit)} on ${e.at.slice(0, 10)}`).join('; '),
    state: STATE_LABEL[r.state],
    completed: closed ? r.updatedAt.slice(0, 10) : '',
    outcome: OUTCOME[r.state] ?? 'open',
  };
}
