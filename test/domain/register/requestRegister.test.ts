import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { SYSTEM_ACTOR } from '../../../domain/actor';
import type { DownloadLink, PackageStore, PackageUpload } from '../../../domain/export/packageStore';
import { silentLogger } from '../../../domain/logger';
import { ConfiguredAdmins } from '../../../domain/policy/adminPolicy';
import { REGISTER_COLUMNS, RequestRegister } from '../../../domain/register/requestRegister';
import { transition } from '../../../domain/requests/changes';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { RequestEvent } from '../../../domain/requests/lifecycle';
import { Decision } from '../../../domain/requests/requestService';
import { DEMO_DIRECTORY_FILE, domainFixture, PEOPLE } from '../../helpers/domainFixture';
import { readDemoDirectoryFile } from '../../../adapters/directory/jsonFileDirectory';

type Row = Record<(typeof REGISTER_COLUMNS)[number], string>;

/** Keeps the one CSV written; nothing else of a package store is used. */
class CapturingStore implements PackageStore {
  csv = '';
  openUpload(): PackageUpload {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('end', () => {
        this.csv = Buffer.concat(chunks).toString('utf8');
        resolve();
      });
      stream.on('error', reject);
    });
    return { stream, done };
  }
  async createReadLink(blobName: string, expiresAt: Date): Promise<DownloadLink> {
    return { url: `https://packages.example/${blobName}`, expiresAt };
  }
  openBlockUpload(): never {
    throw new Error('not used');
  }
  delete(): never {
    throw new Error('not used');
  }
  move(): never {
    throw new Error('not used');
  }
  list(): never {
    throw new Error('not used');
  }
  openRead(): never {
    throw new Error('not used');
  }
}

/** The register's rows by reference (its cells hold no commas or quotes here). */
function rowsOf(csv: string): Map<string, Row> {
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const columns = header!.split(',');
  return new Map(
    lines.map((line) => {
      const cells = line.split(',');
      const row = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])) as Row;
      return [row.reference, row];
    }),
  );
}

describe('the request register: "completed" is the day a request was answered', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let packages: CapturingStore;
  let register: RequestRegister;

  beforeEach(async () => {
    f = await domainFixture();
    packages = new CapturingStore();
    const admins = new ConfiguredAdmins((await readDemoDirectoryFile(DEMO_DIRECTORY_FILE)).admins);
    register = new RequestRegister({ store: f.store, packages, admins, clock: f.clock, logger: silentLogger, timeZone: 'Europe/Berlin' });
  });
  afterEach(() => f.close());

  /** Moves a stored request on by one lifecycle event, as the system, now. */
  async function step(request: ExportRequest, event: RequestEvent, patch: Partial<ExportRequest> = {}): Promise<ExportRequest> {
    const current = (await f.store.get(request.id))!;
    const change = transition(current, event, SYSTEM_ACTOR, f.clock.now(), { patch });
    await f.store.update(change);
    return change.request;
  }

  async function exported(): Promise<Map<string, Row>> {
    await register.export(PEOPLE.alex);
    return rowsOf(packages.csv);
  }

  it('a delivered package whose package was later deleted: the day the link was delivered (tenant time), not the purge', async () => {
    const request = await f.requests.fileForSelf(PEOPLE.isaiah);
    await step(request, RequestEvent.StartExport);
    await step(request, RequestEvent.ExportSucceeded);
    f.clock.set('2026-02-01T23:30:00Z'); // already 2 February in Berlin
    await step(request, RequestEvent.Deliver);
    f.clock.set('2026-03-10T10:00:00Z');
    await step(request, RequestEvent.Complete);
    await step(request, RequestEvent.Purge);
    const row = (await exported()).get(request.reference)!;
    assert.equal(row.completed, '2026-02-02');
    assert.equal(row.outcome, 'data provided: download link delivered; package deleted after retention');
  });

  it('declined, cancelled and closed unconfirmed: the day of that answer, and how it was answered', async () => {
    const declined = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    const cancelled = await f.requests.file(PEOPLE.alex, { subject: await f.subject('adelev@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    f.clock.set('2026-02-03T09:00:00Z');
    await f.requests.respond(PEOPLE.megan, declined.id, Decision.Decline);
    await f.requests.cancel(PEOPLE.alex, cancelled.id, 'Filed for the wrong person');
    const rows = await exported();
    assert.deepEqual([rows.get(declined.reference)!.completed, rows.get(declined.reference)!.outcome], ['2026-02-03', 'declined by the data subject']);
    assert.deepEqual([rows.get(cancelled.reference)!.completed, rows.get(cancelled.reference)!.outcome], ['2026-02-03', 'cancelled by a privacy admin']);
  });

  it('open requests have none, including a failed export, which is still to be retried or cancelled', async () => {
    const failed = await f.requests.fileForSelf(PEOPLE.isaiah);
    await step(failed, RequestEvent.StartExport);
    f.clock.set('2026-02-05T09:00:00Z');
    await step(failed, RequestEvent.ExportFailed, { failure: { source: 'directory-profile', reason: 'timeout' } });
    const waiting = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    const rows = await exported();
    assert.deepEqual(
      [rows.get(failed.reference)!.completed, rows.get(failed.reference)!.outcome],
      ['', 'open: the export failed (to be retried or cancelled)'],
    );
    assert.deepEqual([rows.get(waiting.reference)!.completed, rows.get(waiting.reference)!.outcome], ['', 'open']);
  });

  it('a request answered before the answer was recorded on it: the day comes from its audit trail', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    f.clock.set('2026-02-04T09:00:00Z');
    await f.requests.respond(PEOPLE.megan, request.id, Decision.Decline);
    f.clock.set('2026-02-20T09:00:00Z');
    // As an earlier version stored it: no answeredAt, and updatedAt moved on by later housekeeping.
    const { answeredAt: _dropped, ...older } = (await f.store.get(request.id))!;
    f.db.handle.prepare('UPDATE requests SET body = ? WHERE id = ?').run(JSON.stringify({ ...older, updatedAt: '2026-02-20T09:00:00.000Z' }), request.id);
    assert.equal((await exported()).get(request.reference)!.completed, '2026-02-04');
  });
});
