import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import { describeExtension } from '../deadlines/extension';
import type { Clock } from '../clock';
import { CsvWriter } from '../export/csvRendering';
import type { DownloadLink, PackageStore } from '../export/packageStore';
import type { Logger } from '../logger';
import type { AdminPolicy } from '../policy/adminPolicy';
import { Refusal, RefusalCode } from '../refusal';
import { STATE_LABEL, RequestEvent, RequestState } from '../requests/lifecycle';
import { AuditEventType } from '../requests/auditEvent';
import { ANSWERING_EVENTS } from '../requests/changes';
import { calendarDateIn } from '../deadlines/calendarDate';
import type { ExportRequest } from '../requests/exportRequest';
import type { RequestStore } from '../requests/requestStore';

export const REGISTER_COLUMNS = ['reference', 'subject', 'regime', 'received', 'due', 'extended', 'state', 'completed', 'outcome'] as const;
/** The register link lives a day: it is for the admin who asked, now. */
export const REGISTER_LINK_MS = 24 * 3600_000;
const PAGE = 500;

/**
 * How each answered request was answered (the "outcome" column); "completed" is the day of that
 * answer. A failed export is still open — retried or cancelled later — so it has no answer yet.
 */
const DATA_PROVIDED = 'data provided: download link delivered';
const OUTCOME: Partial<Record<RequestState, string>> = {
  delivered: DATA_PROVIDED,
  completed: DATA_PROVIDED,
  purged: DATA_PROVIDED,
  declined: 'declined by the data subject',
  unconfirmed: 'closed: not confirmed by the data subject in time',
  cancelled: 'cancelled by a privacy admin',
};
const OPEN_OUTCOME: Partial<Record<RequestState, string>> = {
  failed: 'open: the export failed (to be retried or cancelled)',
};
/** A package handed to the filing admin (the subject's account was disabled) is their delivery, not the subject's. */
const HANDED_OVER = ' to the privacy admin, to hand over';
const PURGED = '; package deleted after retention';

/**
 * `register`: the record of every request (Art. 5(2) GDPR, accountability) as a CSV file, handed to
 * the admin through a short-lived read-only link like the exports'. The rows are streamed into
 * storage as they are written; the requests themselves are read in one query. Dates are days in the
 * tenant's zone, like the received and due dates beside them.
 */
export class RequestRegister {
  constructor(private readonly deps: { store: RequestStore; packages: PackageStore; admins: AdminPolicy; clock: Clock; logger: Logger; timeZone?: string }) {}

  async export(actor: Actor): Promise<{ link: DownloadLink; rows: number }> {
    if (!(await this.deps.admins.isAdmin(actor.objectId))) throw new Refusal(RefusalCode.NotAnAdmin, 'Only privacy admins can download the request register.');
    const now = this.deps.clock.now();
    const blobName = `registers/${now.toISOString().slice(0, 10)}-${randomUUID()}.csv`;
    // Read first: an upload opened before a failing read would never be ended.
    const requests = await this.deps.store.list({ limit: Number.MAX_SAFE_INTEGER });
    const rows: Array<Record<(typeof REGISTER_COLUMNS)[number], string>> = [];
    for (const request of [...requests].reverse()) rows.push(registerRow(request, await this.answeredAt(request), this.deps.timeZone ?? 'UTC'));
    const upload = this.deps.packages.openUpload(blobName);
    // The same writer as the packages' CSVs: names a spreadsheet would run as formulas are escaped.
    const csv = new CsvWriter(REGISTER_COLUMNS, upload.stream, { headerWhenEmpty: true });
    for (const [index, row] of rows.entries()) {
      await csv.add(row);
      // Let other turns in between on a long register.
      if ((index + 1) % PAGE === 0) await new Promise((r) => setImmediate(r));
    }
    const written = await csv.end();
    await upload.done;
    const link = await this.deps.packages.createReadLink(blobName, new Date(now.getTime() + REGISTER_LINK_MS));
    this.deps.logger.info({ rows: written, actor: actor.objectId }, 'request register exported');
    return { link, rows: written };
  }

  /**
   * When an answered request was answered. Requests closed before `answeredAt` was recorded have it
   * in their audit trail: the change of state that answered them (read only for those few).
   */
  private async answeredAt(request: ExportRequest): Promise<string | undefined> {
    if (OUTCOME[request.state] === undefined) return undefined;
    if (request.answeredAt) return request.answeredAt;
    const trail = await this.deps.store.auditTrail(request.id);
    return trail.find((e) => e.type === AuditEventType.Transitioned && ANSWERING_EVENTS.includes(e.detail.event as RequestEvent))?.at;
  }
}

function registerRow(r: ExportRequest, answeredAt: string | undefined, timeZone: string): Record<(typeof REGISTER_COLUMNS)[number], string> {
  return {
    reference: r.reference,
    subject: r.subject.displayName,
    regime: r.regime.toUpperCase(),
    received: r.receivedOn,
    due: r.dueOn,
    extended: (r.extensions ?? []).map((e) => `${describeExtension(e.amount, e.unit)} on ${e.at.slice(0, 10)}`).join('; '),
    state: STATE_LABEL[r.state],
    completed: answeredAt ? calendarDateIn(new Date(answeredAt), timeZone) : '',
    outcome: outcomeOf(r),
  };
}

/** How the request was answered, or that it is still open. */
function outcomeOf(r: ExportRequest): string {
  const answered = OUTCOME[r.state];
  if (answered === undefined) return OPEN_OUTCOME[r.state] ?? 'open';
  if (answered !== DATA_PROVIDED) return answered;
  return `${answered}${r.deliverTo === 'requester' ? HANDED_OVER : ''}${r.state === RequestState.Purged ? PURGED : ''}`;
}
