// Moving a SQLite store into PostgreSQL: a store built through the real SQLite stores, copied into a
// real PostgreSQL database, then read back row by row and through the PostgreSQL stores.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import sinon from 'sinon';
import { PostgresDatabase } from '../../../adapters/store/postgres/postgresDatabase';
import { PostgresKeyValueStore } from '../../../adapters/store/postgres/postgresKeyValueStore';
import { PostgresRequestStore } from '../../../adapters/store/postgres/postgresRequestStore';
import { SqliteDatabase } from '../../../adapters/store/sqlite/sqliteDatabase';
import { SqliteKeyValueStore } from '../../../adapters/store/sqlite/sqliteKeyValueStore';
import { SqliteRequestStore } from '../../../adapters/store/sqlite/sqliteRequestStore';
import { copySqliteToPostgres, describeCopy, StoreCopyError } from '../../../adapters/store/storeCopy';
import { userActor } from '../../../domain/actor';
import { GENESIS_HASH, type ChainedAuditEvent } from '../../../domain/audit/auditChain';
import { verifyAuditLog } from '../../../domain/audit/auditVerification';
import { NotificationKind, RequestMoment } from '../../../domain/delivery/notification';
import { ConfiguredAdmins } from '../../../domain/policy/adminPolicy';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { auditEvent, transition } from '../../../domain/requests/changes';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { RequestEvent, RequestState } from '../../../domain/requests/lifecycle';
import type { NewExportRequest, RequestStore } from '../../../domain/requests/requestStore';
import { FixedClock } from '../../support/fixedClock';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const LATER = new Date('2026-03-02T09:05:00.000Z');
/** An hour: longer than any test takes. */
const LEASE_MS = 60 * 60_000;
const ADMIN = userActor('aaaaaaaa-0000-0000-0000-00000000000a');
const ADMINS = new ConfiguredAdmins([ADMIN.objectId]);
/** Typed into a chat, kept in a note: PostgreSQL text must carry it as SQLite did. */
const WITH_NUL = 'before\u0000after';
const TABLES = ['reference_sequences', 'requests', 'audit_events', 'notifications', 'scheduled_runs', 'key_values'] as const;

function newRequest(subjectId: string, state: RequestState = RequestState.AwaitingConfirmation, createdAt: Date = T0): NewExportRequest {
  const at = createdAt.toISOString();
  return {
    id: randomUUID(),
    version: 1,
    state,
    regime: 'gdpr',
    subject: { objectId: subjectId, displayName: 'Dana Subject', userPrincipalName: `${subjectId}@contoso.example` },
    requesterId: ADMIN.objectId,
    selfService: false,
    deliverTo: 'subject',
    receivedOn: '2026-03-01',
    dueOn: '2026-04-01',
    exportAttempts: 0,
    createdAt: at,
    updatedAt: at,
  };
}

async function file(store: RequestStore, request: NewExportRequest, year = 2026): Promise<ExportRequest> {
  return store.create(request, year, (reference) => [auditEvent(request.id, ADMIN, AuditEventType.Filed, new Date(request.createdAt), { reference })], [
    { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Filed },
  ]);
}

async function change(
  store: RequestStore,
  request: ExportRequest,
  event: RequestEvent,
  options: Parameters<typeof transition>[4] = {},
): Promise<ExportRequest> {
  const next = transition(request, event, ADMIN, LATER, options);
  await store.update(next);
  return next.request;
}

interface SqliteFixture {
  readonly path: string;
  readonly remove: () => Promise<void>;
}

async function tempFile(): Promise<SqliteFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'privacy-desk-copy-'));
  return { path: join(dir, 'privacy-desk.db'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A store with something of everything, written through the SQLite stores as the bot writes: open,
 * closed and exporting requests in two years, messages pending, leased, half sent, sent and deferred,
 * scheduled runs done and claimed, and bot state and conversation references.
 */
async function buildSqliteStore(path: string, extra?: (db: SqliteDatabase) => void): Promise<void> {
  const db = await SqliteDatabase.open(path);
  try {
    const store = new SqliteRequestStore(db, new FixedClock(LATER));
    const keyValues = new SqliteKeyValueStore(db);

    const awaiting = await file(store, newRequest('subject-awaiting'));
    await store.appendAudit(auditEvent(awaiting.id, ADMIN, AuditEventType.Refused, LATER, { note: WITH_NUL }));

    let delivered = await file(store, newRequest('subject-delivered', RequestState.Confirmed));
    delivered = await change(store, delivered, RequestEvent.StartExport);
    delivered = await change(store, delivered, RequestEvent.ExportSucceeded, {
      patch: {
        package: { blobName: `exports/${delivered.id}/package.zip`, sizeBytes: 2048, sha256: 'ab'.repeat(32), fileCount: 4, generatedAt: LATER.toISOString() },
      },
    });
    await change(store, delivered, RequestEvent.Deliver, {
      notifications: [{ requestId: delivered.id, kind: NotificationKind.PackageReady, recipientId: 'Subject-Delivered' }],
    });

    let cancelled = await file(store, newRequest('subject-cancelled'));
    cancelled = await change(store, cancelled, RequestEvent.Cancel, { detail: { reason: 'filed twice' } });

    // Last year's request, so there are two reference counters; its export is leased to a worker.
    await file(store, newRequest('subject-exporting', RequestState.Confirmed, new Date('2025-12-30T10:00:00.000Z')), 2025);
    assert.ok(await store.claimExport('instance-a', T0, LEASE_MS));

    // Messages: one sent, one half sent (its link stored), one deferred, the rest still pending.
    const claimed = await store.claimNotifications('instance-a', T0, LEASE_MS, 3);
    assert.equal(claimed.length, 3);
    const [sent, halfSent, deferred] = claimed;
    await store.beginNotificationSend(sent!.notification.id, 'instance-a', {}, []);
    assert.ok(
      await store.completeNotification(sent!.notification.id, 'instance-a', 'sent', [
        auditEvent(awaiting.id, ADMIN, AuditEventType.Refused, LATER, { sent: true }),
      ]),
    );
    await store.beginNotificationSend(
      halfSent!.notification.id,
      'instance-a',
      { link: { url: 'https://packages.example/p.zip?sig=x', expiresAt: LATER.toISOString(), blobName: 'p.zip' } },
      [],
    );
    await store.deferNotification(deferred!.notification.id, 'instance-a', new Date('2026-03-03T09:00:00.000Z'), 'Teams said 429');

    assert.ok(
      await store.scheduleOnce(`reminder:${awaiting.id}:1`, 'instance-a', T0, {
        notifications: [{ requestId: awaiting.id, kind: NotificationKind.ChannelUpdate }],
        audit: [auditEvent(awaiting.id, ADMIN, AuditEventType.Refused, T0, { reminder: 1 })],
      }),
    );
    assert.ok(await store.claimRun('digest:2026-03-01', 'instance-a', T0, LEASE_MS));
    await store.completeRun('digest:2026-03-01', 'instance-a', LATER);
    assert.ok(await store.claimRun('digest:2026-03-02', 'instance-b', T0, LEASE_MS));

    await keyValues.put('convref:user:subject-awaiting', { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    await keyValues.put('thread:19:channel@thread.tacv2:' + awaiting.id, { conversationId: '19:channel;messageid=1' });
    await keyValues.put('botstate:msteams/conversations/a:1', { dialogState: { note: WITH_NUL } });

    extra?.(db);
  } finally {
    db.close();
  }
}

function sqliteRows(path: string, sql: string): Array<Record<string, unknown>> {
  const handle = new Database(path);
  try {
    // libsql adds a _metadata field to each row; compare only the columns.
    return (handle.prepare(sql).all() as Array<Record<string, unknown>>).map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => column !== '_metadata')),
    );
  } finally {
    handle.close();
  }
}

function sqliteCounts(path: string): Record<string, number> {
  return Object.fromEntries(TABLES.map((table) => [table, Number(sqliteRows(path, `SELECT count(*) AS n FROM ${table}`)[0]!.n)]));
}

async function postgresRows(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function postgresCounts(url: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = Number((await postgresRows(url, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return counts;
}

async function chainHead(url: string): Promise<string> {
  return String((await postgresRows(url, "SELECT last_hash FROM audit_chain WHERE name = 'head'"))[0]!.last_hash);
}

/** PostgreSQL hands back instants as Dates and bigints as strings; SQLite kept ISO text and numbers. */
function asSqliteWould(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : k === 'sequence' ? Number(v) : v]));
}

async function collect(log: AsyncIterable<ChainedAuditEvent>): Promise<ChainedAuditEvent[]> {
  const all: ChainedAuditEvent[] = [];
  for await (const entry of log) all.push(entry);
  return all;
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof StoreCopyError, `expected a StoreCopyError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the copy was expected to be refused');
}

describe('copySqliteToPostgres', () => {
  let server: PostgresServer;
  let sqlite: SqliteFixture;

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    sqlite = await tempFile();
  });

  afterEach(async () => {
    await sqlite.remove();
  });

  it('copies every table with its ids, versions, sequences and hashes, and the chain verifies on PostgreSQL', async () => {
    await buildSqliteStore(sqlite.path);
    const url = await server.createDatabase();
    const expectedCounts = sqliteCounts(sqlite.path);
    const fileBefore = sha256Of(sqlite.path);

    const report = await copySqliteToPostgres({ from: sqlite.path, to: { url } });

    assert.deepEqual(report.counts, expectedCounts);
    assert.equal(
      describeCopy(report),
      `Copied 4 requests, ${expectedCounts.audit_events} audit events (chain intact), ${expectedCounts.notifications} messages, 3 scheduled runs, 3 conversation records and 2 reference counters.`,
    );
    assert.equal(report.requestsCompared, 4);
    assert.deepEqual(await postgresCounts(url), expectedCounts);
    assert.equal(sha256Of(sqlite.path), fileBefore, 'the SQLite file is only read');

    // Row by row, each representation converted: ISO text to timestamptz, open_subject_id to a flag.
    for (const [table, order, columns] of [
      ['notifications', 'sequence', '*'],
      ['scheduled_runs', 'job_key', '*'],
      ['key_values', 'key', '*'],
      ['reference_sequences', 'year', '*'],
      ['audit_events', 'sequence', '*'],
      ['requests', 'id', 'id, reference, state, subject_id, requester_id, version, created_at, updated_at, export_lease_owner, export_lease_until, body'],
    ] as const) {
      const copied = (await postgresRows(url, `SELECT ${columns} FROM ${table} ORDER BY ${order}`)).map(asSqliteWould);
      assert.deepEqual(copied, sqliteRows(sqlite.path, `SELECT ${columns} FROM ${table} ORDER BY ${order}`), table);
    }
    const flags = await postgresRows(url, 'SELECT subject_id, open, package_generated_at FROM requests ORDER BY subject_id');
    assert.deepEqual(
      flags.map((r) => [r.subject_id, r.open, (r.package_generated_at as Date | null)?.toISOString() ?? null]),
      [
        ['subject-awaiting', true, null],
        ['subject-cancelled', false, null],
        ['subject-delivered', false, LATER.toISOString()],
        ['subject-exporting', true, null],
      ],
    );

    const db = await PostgresDatabase.open({ url });
    const source = await SqliteDatabase.open(sqlite.path);
    try {
      const copied = new PostgresRequestStore(db);
      const original = new SqliteRequestStore(source);
      assert.deepEqual(await copied.list(), await original.list(), 'every request, as the domain sees it');
      const log = await collect(original.auditLog());
      assert.deepEqual(await collect(copied.auditLog()), log, 'every event with its sequence and hashes');
      assert.deepEqual(await verifyAuditLog(ADMIN, { store: copied, admins: ADMINS }), { intact: true, checked: log.length });
      assert.equal(await chainHead(url), log.at(-1)!.hash);
      assert.deepEqual(
        await new PostgresKeyValueStore(db).get('botstate:msteams/conversations/a:1'),
        await new SqliteKeyValueStore(source).get('botstate:msteams/conversations/a:1'),
      );

      // The bot carries on from where SQLite stopped: the next reference, the next event in the same chain, the messages still owed.
      const next = await file(copied, newRequest('subject-new'));
      assert.equal(next.reference, 'DSR-2026-0004');
      assert.deepEqual(await verifyAuditLog(ADMIN, { store: copied, admins: ADMINS }), { intact: true, checked: log.length + 1 });
      const newest = (await collect(copied.auditLog())).at(-1)!;
      assert.equal(newest.sequence, log.at(-1)!.sequence + 1);
      assert.equal(newest.previousHash, log.at(-1)!.hash);
      assert.equal(
        await copied.scheduleOnce(`reminder:${(await original.listBySubject('subject-awaiting'))[0]!.id}:1`, 'instance-c', LATER, {
          notifications: [],
          audit: [],
        }),
        false,
        'a run done on SQLite stays done',
      );
    } finally {
      source.close();
      await db.close();
    }
  });

  it('copies an empty store, leaving the chain at its start', async () => {
    const empty = await tempFile();
    try {
      (await SqliteDatabase.open(empty.path)).close();
      const url = await server.createDatabase();
      const report = await copySqliteToPostgres({ from: empty.path, to: { url } });
      assert.equal(
        describeCopy(report),
        'Copied 0 requests, 0 audit events (chain intact), 0 messages, 0 scheduled runs, 0 conversation records and 0 reference counters.',
      );
      assert.equal(await chainHead(url), GENESIS_HASH);
    } finally {
      await empty.remove();
    }
  });

  it('refuses a target that already holds requests, and leaves it as it was', async () => {
    await buildSqliteStore(sqlite.path);
    const url = await server.createDatabase();
    const db = await PostgresDatabase.open({ url });
    try {
      await file(new PostgresRequestStore(db), newRequest('someone-else'));
    } finally {
      await db.close();
    }
    const before = { counts: await postgresCounts(url), head: await chainHead(url), requests: await postgresRows(url, 'SELECT * FROM requests') };

    const message = await refusal(copySqliteToPostgres({ from: sqlite.path, to: { url } }));

    assert.equal(
      message,
      'The target database already holds 1 request, 1 audit event, 1 message and 1 reference counter; store:copy only copies into an empty database. Nothing was copied.',
    );
    assert.deepEqual({ counts: await postgresCounts(url), head: await chainHead(url), requests: await postgresRows(url, 'SELECT * FROM requests') }, before);
  });

  it('refuses a SQLite file with a table it does not know, rather than leave that table behind', async () => {
    await buildSqliteStore(sqlite.path, (db) => db.handle.exec('CREATE TABLE retention_holds (request_id TEXT PRIMARY KEY, until TEXT)'));
    const url = await server.createDatabase();

    const message = await refusal(copySqliteToPostgres({ from: sqlite.path, to: { url } }));

    assert.equal(message, `${sqlite.path} has a table store:copy does not know (retention_holds), which would be left behind; nothing was copied.`);
    assert.deepEqual(
      await postgresRows(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"),
      [],
      'the target was not even touched',
    );
  });

  it('refuses a SQLite file with a column it does not know', async () => {
    await buildSqliteStore(sqlite.path, (db) => db.handle.exec('ALTER TABLE notifications ADD COLUMN channel TEXT'));
    const message = await refusal(copySqliteToPostgres({ from: sqlite.path, to: { url: await server.createDatabase() } }));
    assert.equal(message, `The notifications table in ${sqlite.path} has columns store:copy does not know (channel); nothing was copied.`);
  });

  it('refuses a missing file, and does not create it', async () => {
    const missing = join(tmpdir(), `privacy-desk-missing-${randomUUID()}.db`);
    const message = await refusal(copySqliteToPostgres({ from: missing, to: { url: await server.createDatabase() } }));
    assert.equal(message, `There is no SQLite file at ${missing}; nothing was copied.`);
    assert.equal(existsSync(missing), false);
  });

  it('refuses a SQLite store whose audit chain is already broken', async () => {
    await buildSqliteStore(sqlite.path, (db) => {
      // Someone edits an event after the fact.
      const row = db.handle.prepare('SELECT sequence, body FROM audit_events ORDER BY sequence LIMIT 1 OFFSET 1').get() as { sequence: number; body: string };
      db.handle.prepare('UPDATE audit_events SET body = ? WHERE sequence = ?').run(row.body.replace('"actor"', '"actor2"'), row.sequence);
    });
    const url = await server.createDatabase();
    const message = await refusal(copySqliteToPostgres({ from: sqlite.path, to: { url } }));
    assert.match(
      message,
      /^The audit chain in .* is broken at event 2 \(DSR-2026-0001\): an event was changed after it was written; store:copy only copies an intact chain, so nothing was copied\.$/,
    );
  });

  it('removes the copy again when it reads back differently through the PostgreSQL store', async () => {
    await buildSqliteStore(sqlite.path);
    const url = await server.createDatabase();
    // An injected fault: the PostgreSQL store loses a request on the way back.
    const lossy = sinon.stub(PostgresRequestStore.prototype, 'listOpen').resolves([]);
    try {
      const message = await refusal(copySqliteToPostgres({ from: sqlite.path, to: { url } }));
      assert.match(
        message,
        /^The copy did not read back as it was written: the open requests read back differently from PostgreSQL; the copied rows were removed again, so 127\.0\.0\.1:\d+\/test_[0-9a-f]+ is empty as before\.$/,
      );
    } finally {
      lossy.restore();
    }
    assert.deepEqual(await postgresCounts(url), Object.fromEntries(TABLES.map((t) => [t, 0])));
    assert.equal(await chainHead(url), GENESIS_HASH);
    const report = await copySqliteToPostgres({ from: sqlite.path, to: { url } });
    assert.deepEqual(report.counts, sqliteCounts(sqlite.path), 'the emptied target takes the copy, its numbering started afresh');
  });

  it('rolls the whole copy back when a row cannot be copied, and says which table', async () => {
    await buildSqliteStore(sqlite.path, (db) =>
      db.handle.exec("UPDATE notifications SET not_before = 'next tuesday' WHERE sequence = (SELECT max(sequence) FROM notifications)"),
    );
    const url = await server.createDatabase();

    const message = await refusal(copySqliteToPostgres({ from: sqlite.path, to: { url } }));

    assert.match(
      message,
      /^Copying the notifications table to 127\.0\.0\.1:\d+\/test_[0-9a-f]+ failed \(.*next tuesday.*\); the transaction was rolled back and nothing was copied\.$/,
    );
    assert.deepEqual(await postgresCounts(url), Object.fromEntries(TABLES.map((t) => [t, 0])), 'the requests and events copied before it were rolled back too');
    assert.equal(await chainHead(url), GENESIS_HASH);
    // And the empty target takes the copy once the row is mended.
    const handle = new Database(sqlite.path);
    handle.exec(`UPDATE notifications SET not_before = '${T0.toISOString()}' WHERE not_before = 'next tuesday'`);
    handle.close();
    assert.deepEqual((await copySqliteToPostgres({ from: sqlite.path, to: { url } })).counts, sqliteCounts(sqlite.path));
  });
});
