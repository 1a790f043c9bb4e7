import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SCHEMA_VERSION, SqliteDatabase } from '../../../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../../../adapters/store/sqlite/sqliteRequestStore';
import { userActor } from '../../../../domain/actor';
import { NotificationKind, type NewNotification } from '../../../../domain/delivery/notification';
import type { ExportRequest } from '../../../../domain/requests/exportRequest';
import { transition } from '../../../../domain/requests/changes';
import { RequestEvent, RequestState } from '../../../../domain/requests/lifecycle';
import { ConcurrencyConflict, DuplicateOpenRequest, type NewExportRequest, type RequestChange } from '../../../../domain/requests/requestStore';
import { requestStoreContract } from '../../../contracts/requestStore.contract';

const YEAR = 2026;
const T0 = new Date('2026-03-02T09:00:00.000Z');
/** An hour: longer than any test takes, so a lease taken in a test holds to its end. */
const LEASE_MS = 60 * 60_000;
const ADMIN = userActor('aaaaaaaa-0000-0000-0000-00000000000a');
/** Enough bot instances, and enough work each, that their writes overlap rather than run in turn. */
const INSTANCES = 4;
const ITEMS = 60;

interface TempFile {
  readonly path: string;
  readonly remove: () => Promise<void>;
}

async function tempDatabaseFile(): Promise<TempFile> {
  const dir = await mkdtemp(join(tmpdir(), 'privacy-desk-store-'));
  return { path: join(dir, 'privacy-desk.db'), remove: () => rm(dir, { recursive: true, force: true }) };
}

function newRequest(subjectId: string, createdAt: Date = T0): NewExportRequest {
  const at = createdAt.toISOString();
  return {
    id: randomUUID(),
    version: 1,
    state: RequestState.Confirmed,
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

function subjectNumber(n: number): string {
  return `subject-${String(n).padStart(4, '0')}`;
}

function channelUpdate(requestId: string): NewNotification[] {
  return [{ requestId, kind: NotificationKind.ChannelUpdate }];
}

requestStoreContract('SqliteRequestStore (temp file)', async () => {
  const file = await tempDatabaseFile();
  let db = await SqliteDatabase.open(file.path);
  return {
    store: new SqliteRequestStore(db),
    reopen: async () => {
      db.close();
      db = await SqliteDatabase.open(file.path);
      return new SqliteRequestStore(db);
    },
    close: async () => {
      db.close();
      await file.remove();
    },
  };
});

/** What one bot instance in a worker thread is told to do, all instances starting at the same moment. */
type InstanceTask =
  | { readonly kind: 'claimExports'; readonly owner: string }
  | { readonly kind: 'claimNotifications'; readonly owner: string }
  | { readonly kind: 'update'; readonly changes: readonly RequestChange[] }
  | { readonly kind: 'create'; readonly requests: readonly NewExportRequest[] };

/** A claimed id, or for update and create the outcome: a reference, "won", or the error's name. */
type InstanceResult = string[];

/**
 * A bot instance as its own thread with its own SQLite handle, so that the race is real: libsql is
 * synchronous, and two stores in one thread would only ever take turns. Plain JavaScript because a
 * worker starts without the test runner's TypeScript loader; it loads tsx itself.
 */
const INSTANCE_SCRIPT = `
const { workerData, parentPort } = require('node:worker_threads');
require(workerData.tsx);
const { SqliteDatabase } = require(workerData.databaseModule);
const { SqliteRequestStore } = require(workerData.storeModule);
const { file, task, gate, instances, now, leaseMs, year } = workerData;

async function run(store) {
  const results = [];
  switch (task.kind) {
    case 'claimExports':
      for (let r = await store.claimExport(task.owner, now, leaseMs); r; r = await store.claimExport(task.owner, now, leaseMs)) results.push(r.id);
      break;
    case 'claimNotifications':
      for (let batch = await store.claimNotifications(task.owner, now, leaseMs, 3); batch.length > 0; batch = await store.claimNotifications(task.owner, now, leaseMs, 3)) {
        results.push(...batch.map((c) => c.notification.id));
      }
      break;
    case 'update':
      for (const change of task.changes) results.push(await store.update(change).then(() => 'won', (e) => e.name));
      break;
    case 'create':
      for (const request of task.requests) results.push(await store.create(request, year, () => [], []).then((r) => r.reference, (e) => e.name));
      break;
  }
  return results;
}

const counter = new Int32Array(gate);
// Start together, opening included: each instance checks in, then waits until all have.
let arrived = Atomics.add(counter, 0, 1) + 1;
if (arrived === instances) Atomics.notify(counter, 0);
while (arrived < instances) {
  Atomics.wait(counter, 0, arrived);
  arrived = Atomics.load(counter, 0);
}
SqliteDatabase.open(file).then(async (db) => {
  try {
    parentPort.postMessage(await run(new SqliteRequestStore(db)));
  } finally {
    db.close();
  }
});
`;

async function raceInstances(file: string, tasks: readonly InstanceTask[]): Promise<InstanceResult[]> {
  const gate = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  return Promise.all(
    tasks.map(
      (task) =>
        new Promise<InstanceResult>((resolve, reject) => {
          const worker = new Worker(INSTANCE_SCRIPT, {
            eval: true,
            workerData: {
              tsx: require.resolve('tsx/cjs'),
              databaseModule: join(__dirname, '../../../../adapters/store/sqlite/sqliteDatabase.ts'),
              storeModule: join(__dirname, '../../../../adapters/store/sqlite/sqliteRequestStore.ts'),
              file,
              task,
              gate,
              instances: tasks.length,
              now: T0,
              leaseMs: LEASE_MS,
              year: YEAR,
            },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`A bot instance exited (${code}) without reporting.`)));
        }),
    ),
  );
}

function assertEachOnce(claimedPerInstance: readonly InstanceResult[], expected: readonly string[]): void {
  const claimed = claimedPerInstance.flat();
  assert.equal(claimed.length, expected.length, 'nothing claimed twice, nothing missed');
  assert.deepEqual(new Set(claimed), new Set(expected));
}

describe('SqliteRequestStore', () => {
  let file: TempFile;
  const opened: SqliteDatabase[] = [];

  async function open(): Promise<{ db: SqliteDatabase; store: SqliteRequestStore }> {
    const db = await SqliteDatabase.open(file.path);
    opened.push(db);
    return { db, store: new SqliteRequestStore(db) };
  }

  beforeEach(async () => {
    file = await tempDatabaseFile();
  });

  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await file.remove();
  });

  describe('opening', () => {
    function pragma(db: SqliteDatabase, name: string, column = name): unknown {
      return (db.handle.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[column];
    }

    it('writes ahead, waits for other writers and checks foreign keys', async () => {
      const { db } = await open();
      assert.equal(pragma(db, 'journal_mode'), 'wal');
      assert.ok(Number(pragma(db, 'busy_timeout', 'timeout')) >= 1000);
      assert.equal(pragma(db, 'foreign_keys'), 1);
    });

    it('migrates a new file once, and leaves a current one as it is', async () => {
      const first = await open();
      const created = await first.store.create(newRequest('subject-a'), YEAR, () => [], []);
      first.db.close();

      const again = await open();
      assert.equal(pragma(again.db, 'user_version'), SCHEMA_VERSION);
      assert.deepEqual(await again.store.get(created.id), created);
    });

    it('upgrades a file of schema 4 whose outbox has messages queued: they go out as before, nothing stored for them', async () => {
      const before = await open();
      const request = newRequest('subject-a');
      await before.store.create(request, YEAR, () => [], channelUpdate(request.id));
      // Schema 4 as shipped: the outbox without the columns migration 5 adds, nor the index of 6.
      before.db.handle.exec(`
        DROP INDEX notifications_pending_by_request;
        ALTER TABLE notifications DROP COLUMN content;
        ALTER TABLE notifications DROP COLUMN send_attempt;
        PRAGMA user_version = 4;
      `);
      before.db.close();

      const after = await open();
      assert.equal(pragma(after.db, 'user_version'), SCHEMA_VERSION);
      const [queued] = await after.store.claimNotifications('instance-1', T0, LEASE_MS, 10);
      assert.equal(queued?.notification.requestId, request.id);
      assert.equal(queued?.content, undefined);
      assert.equal(queued?.unsettledAttempt, undefined);
    });

    it('refuses a file written by a newer schema', async () => {
      const { db } = await open();
      db.handle.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      await assert.rejects(SqliteDatabase.open(file.path), /newer than this build knows/);
    });

    it('is ready when the file answers and its schema is this build’s, and says why not otherwise', async () => {
      const { db } = await open();
      assert.equal(await db.readiness(), undefined);
      db.handle.exec(`PRAGMA user_version = ${SCHEMA_VERSION - 1}`);
      assert.equal(await db.readiness(), `the schema is at version ${SCHEMA_VERSION - 1}, this build needs ${SCHEMA_VERSION}`);
      db.close();
      assert.equal(await db.readiness(), 'the database does not answer');
    });

    it('lets several instances open and migrate a new file at the same moment', async () => {
      const results = await raceInstances(
        file.path,
        Array.from({ length: INSTANCES }, () => ({ kind: 'claimExports' as const, owner: 'idle' })),
      );
      assert.deepEqual(
        results,
        Array.from({ length: INSTANCES }, () => []),
      );
    });
  });

  describe('restarting', () => {
    it('keeps requests, audit, outbox, leases and the reference counter across close and reopen', async () => {
      const before = await open();
      const request = newRequest('subject-a');
      const created = await before.store.create(request, YEAR, () => [], channelUpdate(request.id));
      const change = transition(created, RequestEvent.StartExport, ADMIN, T0);
      await before.store.update(change);
      await before.store.claimExport('instance-1', T0, LEASE_MS);
      before.db.close();

      const after = await open();
      assert.deepEqual(await after.store.get(created.id), change.request);
      assert.deepEqual(await after.store.auditTrail(created.id), change.audit);
      assert.equal(await after.store.claimExport('instance-2', T0, LEASE_MS), undefined);
      assert.equal((await after.store.claimNotifications('instance-2', T0, LEASE_MS, 10)).length, 1);
      const next = await after.store.create(newRequest('subject-b'), YEAR, () => [], []);
      assert.equal(next.reference, 'DSR-2026-0002');
    });

    it('returns requests exactly as stored, without the driver’s row metadata', async () => {
      const { store } = await open();
      const created = await store.create(newRequest('subject-a'), YEAR, () => [], []);
      for (const read of [await store.get(created.id), await store.claimExport('instance-1', T0, LEASE_MS), ...(await store.list())]) {
        assert.deepEqual(Object.keys(read ?? {}).sort(), Object.keys(created).sort());
      }
    });
  });

  describe('a download link stored with its notification', () => {
    it('is kept only while the notification is unsettled: completing it removes the link from the file', async () => {
      const { db, store } = await open();
      const request = newRequest('subject-a');
      await store.create(request, YEAR, () => [], [{ requestId: request.id, kind: NotificationKind.PackageReady, recipientId: 'subject-a' }]);
      const [claimed] = await store.claimNotifications('instance-1', T0, LEASE_MS, 10);
      const url = 'https://packages.example/exports/r/package.zip?sig=secret';
      await store.beginNotificationSend(
        claimed!.notification.id,
        'instance-1',
        { link: { url, expiresAt: '2026-03-09T09:00:00.000Z', blobName: 'exports/r/package.zip' } },
        [],
      );
      const stored = () =>
        (db.handle.prepare('SELECT content FROM notifications WHERE id = ?').get(claimed!.notification.id) as { content: string | null }).content;
      assert.match(stored() ?? '', /sig=secret/);

      await store.completeNotification(claimed!.notification.id, 'instance-1', 'sent');
      assert.equal(stored(), null, 'a bearer link to someone’s data does not outlive its delivery in the database');
    });
  });

  describe('two instances on one file', () => {
    it('see each other’s leases and versions', async () => {
      const a = (await open()).store;
      const b = (await open()).store;
      const first = await a.create(newRequest('subject-a', T0), YEAR, () => [], []);
      const second = await b.create(newRequest('subject-b', new Date(T0.getTime() + 1)), YEAR, () => [], []);
      assert.equal(second.reference, 'DSR-2026-0002');

      assert.equal((await a.claimExport('instance-a', T0, LEASE_MS))?.id, first.id);
      assert.equal((await b.claimExport('instance-b', T0, LEASE_MS))?.id, second.id);
      assert.equal(await b.claimExport('instance-b', T0, LEASE_MS), undefined);

      await a.update(transition(first, RequestEvent.StartExport, ADMIN, T0));
      await assert.rejects(b.update(transition(first, RequestEvent.Cancel, ADMIN, T0)), ConcurrencyConflict);
      await assert.rejects(
        b.create(newRequest('SUBJECT-A'), YEAR, () => [], []),
        DuplicateOpenRequest,
      );
    });

    it('never lease the same export to two racing instances', async () => {
      const { store } = await open();
      const ids: string[] = [];
      for (let n = 0; n < ITEMS; n++) ids.push((await store.create(newRequest(subjectNumber(n)), YEAR, () => [], [])).id);

      const claimed = await raceInstances(
        file.path,
        Array.from({ length: INSTANCES }, (_, i) => ({ kind: 'claimExports' as const, owner: `instance-${i}` })),
      );

      assertEachOnce(claimed, ids);
    });

    it('never lease the same notification to two racing instances', async () => {
      const { store } = await open();
      for (let n = 0; n < ITEMS; n++) {
        const request = newRequest(subjectNumber(n));
        await store.create(request, YEAR, () => [], channelUpdate(request.id));
      }

      const claimed = await raceInstances(
        file.path,
        Array.from({ length: INSTANCES }, (_, i) => ({ kind: 'claimNotifications' as const, owner: `instance-${i}` })),
      );

      assert.equal(claimed.flat().length, ITEMS, 'nothing claimed twice, nothing missed');
      assert.equal(new Set(claimed.flat()).size, ITEMS);
    });

    it('never both win an update made from the same version', async () => {
      const { store } = await open();
      const requests: ExportRequest[] = [];
      for (let n = 0; n < ITEMS; n++) requests.push(await store.create(newRequest(subjectNumber(n)), YEAR, () => [], []));

      const outcomes = await raceInstances(
        file.path,
        Array.from({ length: INSTANCES }, (_, i) => ({
          kind: 'update' as const,
          changes: requests.map((r) => transition(r, RequestEvent.StartExport, userActor(`instance-${i}`), T0)),
        })),
      );

      for (const [index, request] of requests.entries()) {
        const perRequest = outcomes.map((results) => results[index]);
        assert.equal(perRequest.filter((o) => o === 'won').length, 1, `exactly one instance changed ${request.reference}`);
        assert.ok(
          perRequest.every((o) => o === 'won' || o === ConcurrencyConflict.name),
          perRequest.join(', '),
        );
        const trail = await store.auditTrail(request.id);
        assert.equal(trail.length, 1, 'only the winner’s audit event was written');
        assert.equal((await store.get(request.id))?.version, request.version + 1);
      }
    });

    it('never give two racing filings the same reference, or one subject two open requests', async () => {
      const outcomes = await raceInstances(
        file.path,
        Array.from({ length: INSTANCES }, () => ({
          kind: 'create' as const,
          requests: Array.from({ length: ITEMS }, (_, n) => newRequest(subjectNumber(n))),
        })),
      );

      const references = outcomes.flat().filter((o) => o.startsWith('DSR-'));
      assert.deepEqual(
        [...references].sort(),
        Array.from({ length: ITEMS }, (_, n) => `DSR-${YEAR}-${String(n + 1).padStart(4, '0')}`),
        'one filing per subject won, and the references run on without a gap',
      );
      assert.ok(outcomes.flat().every((o) => o.startsWith('DSR-') || o === DuplicateOpenRequest.name));
      const { store } = await open();
      for (let n = 0; n < ITEMS; n++) assert.ok(await store.findOpenBySubject(subjectNumber(n)));
    });
  });
});
