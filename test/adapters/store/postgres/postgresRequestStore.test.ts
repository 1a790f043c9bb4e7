import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PostgresDatabase } from '../../../../adapters/store/postgres/postgresDatabase';
import { PostgresRequestStore } from '../../../../adapters/store/postgres/postgresRequestStore';
import { userActor } from '../../../../domain/actor';
import { systemClock } from '../../../../domain/clock';
import { verifyAuditLog } from '../../../../domain/audit/auditVerification';
import { NotificationKind, type NewNotification } from '../../../../domain/delivery/notification';
import { ConfiguredAdmins } from '../../../../domain/policy/adminPolicy';
import { AuditEventType } from '../../../../domain/requests/auditEvent';
import { auditEvent, transition } from '../../../../domain/requests/changes';
import type { ExportRequest } from '../../../../domain/requests/exportRequest';
import { RequestEvent, RequestState } from '../../../../domain/requests/lifecycle';
import { ConcurrencyConflict, DuplicateOpenRequest, type NewExportRequest, type RequestStore } from '../../../../domain/requests/requestStore';
import { requestStoreContract } from '../../../contracts/requestStore.contract';
import { startPostgres, type PostgresServer } from '../../../support/postgres';

const YEAR = 2026;
const T0 = new Date('2026-03-02T09:00:00.000Z');
/** An hour: longer than any test takes, so a lease taken in a test holds to its end. */
const LEASE_MS = 60 * 60_000;
const ADMIN = userActor('aaaaaaaa-0000-0000-0000-00000000000a');
/** Enough bot instances (each its own pool), and enough work each, that their writes overlap rather than run in turn. */
const INSTANCES = 4;
const ITEMS = 60;
const APPENDS_PER_INSTANCE = 40;

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

describe('PostgresRequestStore', () => {
  let server: PostgresServer;

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    await server?.stop();
  });

  // The suite's instants are far from the real time, so the store's lease clock is the suite's.
  requestStoreContract('PostgresRequestStore (fresh database)', async (databaseTime) => {
    const url = await server.createDatabase();
    let db = await PostgresDatabase.open({ url });
    return {
      store: new PostgresRequestStore(db, systemClock, { databaseTime }),
      reopen: async () => {
        await db.close();
        db = await PostgresDatabase.open({ url });
        return new PostgresRequestStore(db, systemClock, { databaseTime });
      },
      close: () => db.close(),
    };
  });

  describe('several instances on one database', () => {
    let url: string;
    const opened: PostgresDatabase[] = [];

    async function open(): Promise<{ db: PostgresDatabase; store: PostgresRequestStore }> {
      const db = await PostgresDatabase.open({ url });
      opened.push(db);
      return { db, store: new PostgresRequestStore(db) };
    }

    /** One store per instance, each with its own pool of connections, as separate bot processes would have. */
    async function instances(): Promise<RequestStore[]> {
      return Promise.all(Array.from({ length: INSTANCES }, async () => (await open()).store));
    }

    beforeEach(async () => {
      url = await server.createDatabase();
    });

    afterEach(async () => {
      for (const db of opened.splice(0)) await db.close();
    });

    it('never lease the same export to two racing instances', async () => {
      const { store } = await open();
      const ids: string[] = [];
      for (let n = 0; n < ITEMS; n++) ids.push((await store.create(newRequest(subjectNumber(n)), YEAR, () => [], [])).id);

      const claimed = await Promise.all(
        (await instances()).map(async (instance, i) => {
          const mine: string[] = [];
          for (let r = await instance.claimExport(`instance-${i}`, T0, LEASE_MS); r; r = await instance.claimExport(`instance-${i}`, T0, LEASE_MS))
            mine.push(r.id);
          return mine;
        }),
      );

      assert.equal(claimed.flat().length, ITEMS, 'nothing claimed twice, nothing missed');
      assert.deepEqual(new Set(claimed.flat()), new Set(ids));
      assert.ok(claimed.filter((mine) => mine.length > 0).length > 1, 'the instances really did share the work');
    });

    it('never lease the same notification to two racing instances', async () => {
      const { store } = await open();
      for (let n = 0; n < ITEMS; n++) {
        const request = newRequest(subjectNumber(n));
        await store.create(request, YEAR, () => [], channelUpdate(request.id));
      }

      const claimed = await Promise.all(
        (await instances()).map(async (instance, i) => {
          const mine: string[] = [];
          for (
            let batch = await instance.claimNotifications(`instance-${i}`, T0, LEASE_MS, 3);
            batch.length > 0;
            batch = await instance.claimNotifications(`instance-${i}`, T0, LEASE_MS, 3)
          ) {
            mine.push(...batch.map((c) => c.notification.id));
          }
          return mine;
        }),
      );

      assert.equal(claimed.flat().length, ITEMS, 'nothing claimed twice, nothing missed');
      assert.equal(new Set(claimed.flat()).size, ITEMS);
    });

    it("hand out one request's messages to one instance at a time, so they are settled in the order queued", async () => {
      const { db, store } = await open();
      const MESSAGES_PER_REQUEST = 3;
      const queued = new Map<string, string[]>();
      for (let n = 0; n < ITEMS / MESSAGES_PER_REQUEST; n++) {
        const request = newRequest(subjectNumber(n));
        await store.create(request, YEAR, () => [], Array.from({ length: MESSAGES_PER_REQUEST }, () => channelUpdate(request.id)).flat());
      }
      const { rows } = await db.query<{ id: string; request_id: string }>('SELECT id, request_id FROM notifications ORDER BY sequence');
      for (const row of rows) queued.set(row.request_id, [...(queued.get(row.request_id) ?? []), row.id]);

      // Each instance settles what it claimed, one by one, as the dispatcher does; the shared log is the order they were settled in.
      const settled = new Map<string, string[]>();
      const perInstance = await Promise.all(
        (await instances()).map(async (instance, i) => {
          let count = 0;
          for (
            let batch = await instance.claimNotifications(`instance-${i}`, T0, LEASE_MS, 2);
            batch.length > 0;
            batch = await instance.claimNotifications(`instance-${i}`, T0, LEASE_MS, 2)
          ) {
            for (const { notification } of batch) {
              assert.ok(await instance.completeNotification(notification.id, `instance-${i}`, 'sent'));
              settled.set(notification.requestId, [...(settled.get(notification.requestId) ?? []), notification.id]);
              count += 1;
            }
          }
          return count;
        }),
      );

      assert.equal(
        perInstance.reduce((a, b) => a + b, 0),
        ITEMS,
        'every message settled once',
      );
      assert.ok(perInstance.filter((count) => count > 0).length > 1, 'the instances really did share the work');
      assert.deepEqual(settled, queued, "each request's messages settled in the order they were queued");
    });

    it('never both win an update made from the same version', async () => {
      const { store } = await open();
      const requests: ExportRequest[] = [];
      for (let n = 0; n < ITEMS; n++) requests.push(await store.create(newRequest(subjectNumber(n)), YEAR, () => [], []));

      const outcomes = await Promise.all(
        (await instances()).map((instance, i) =>
          Promise.all(
            requests.map((r) =>
              instance.update(transition(r, RequestEvent.StartExport, userActor(`instance-${i}`), T0)).then(
                () => 'won',
                (error: Error) => error.name,
              ),
            ),
          ),
        ),
      );

      for (const [index, request] of requests.entries()) {
        const perRequest = outcomes.map((results) => results[index]);
        assert.equal(perRequest.filter((o) => o === 'won').length, 1, `exactly one instance changed ${request.reference}`);
        assert.ok(
          perRequest.every((o) => o === 'won' || o === ConcurrencyConflict.name),
          perRequest.join(', '),
        );
        assert.equal((await store.auditTrail(request.id)).length, 1, 'only the winner’s audit event was written');
        assert.equal((await store.get(request.id))?.version, request.version + 1);
      }
    });

    it('never give two racing filings the same reference, or one subject two open requests', async () => {
      const outcomes = await Promise.all(
        (await instances()).map((instance) =>
          Promise.all(
            Array.from({ length: ITEMS }, (_, n) =>
              instance
                .create(newRequest(subjectNumber(n)), YEAR, () => [], [])
                .then(
                  (created) => created.reference,
                  (error: Error) => error.name,
                ),
            ),
          ),
        ),
      );

      const references = outcomes.flat().filter((o) => o.startsWith('DSR-'));
      assert.deepEqual(
        [...references].sort(),
        Array.from({ length: ITEMS }, (_, n) => `DSR-${YEAR}-${String(n + 1).padStart(4, '0')}`),
        'one filing per subject won, and the references run on without a gap',
      );
      assert.ok(
        outcomes.flat().every((o) => o.startsWith('DSR-') || o === DuplicateOpenRequest.name),
        outcomes.flat().join(', '),
      );
    });

    it('keep one audit chain, which verifies, when they append at once', async () => {
      const { store } = await open();
      const filing = newRequest('subject-a');
      const request = await store.create(filing, YEAR, (reference) => [auditEvent(filing.id, ADMIN, AuditEventType.Filed, T0, { reference })], []);

      await Promise.all(
        (await instances()).map((instance, i) =>
          Promise.all(
            Array.from({ length: APPENDS_PER_INSTANCE }, (_, n) =>
              n % 2 === 0
                ? instance.appendAudit(auditEvent(request.id, userActor(`instance-${i}`), AuditEventType.Refused, T0, { n }))
                : instance.scheduleOnce(`job:${i}:${n}`, `instance-${i}`, T0, {
                    notifications: [],
                    audit: [auditEvent(request.id, ADMIN, AuditEventType.Refused, T0, { n })],
                  }),
            ),
          ),
        ),
      );

      const report = await verifyAuditLog(ADMIN, { store, admins: new ConfiguredAdmins([ADMIN.objectId]) });
      assert.deepEqual(report, { intact: true, checked: 1 + INSTANCES * APPENDS_PER_INSTANCE });
    });

    it('run a scheduled job once, whichever instance gets there first', async () => {
      const { store } = await open();
      const request = await store.create(newRequest('subject-a'), YEAR, () => [], []);
      const outcomes = await Promise.all(
        (await instances()).map((instance, i) =>
          instance.scheduleOnce('reminder:1', `instance-${i}`, T0, { notifications: channelUpdate(request.id), audit: [] }),
        ),
      );
      assert.equal(outcomes.filter(Boolean).length, 1);
      assert.equal((await store.claimNotifications('worker', T0, LEASE_MS, 10)).length, 1);

      const claims = await Promise.all((await instances()).map((instance, i) => instance.claimRun('digest:2026-03-02', `instance-${i}`, T0, LEASE_MS)));
      assert.equal(claims.filter(Boolean).length, 1);
    });
  });

  describe('leases, kept by the database’s clock', () => {
    /** How far ahead the skewed instance’s clock runs: well past the lease, so its own time says the lease ran out. */
    const SKEW_MS = 10 * 60_000;
    const SHORT_LEASE_MS = 60_000;
    const opened: PostgresDatabase[] = [];

    /** A bot instance whose clock runs `aheadMs` ahead of the database server's (which is this machine's). */
    async function instance(url: string, aheadMs: number): Promise<{ store: PostgresRequestStore; now: () => Date }> {
      const db = await PostgresDatabase.open({ url });
      opened.push(db);
      return { store: new PostgresRequestStore(db), now: () => new Date(Date.now() + aheadMs) };
    }

    afterEach(async () => {
      for (const db of opened.splice(0)) await db.close();
    });

    it('keep an instance whose clock runs 10 minutes ahead from taking a live export lease', async () => {
      const url = await server.createDatabase();
      const punctual = await instance(url, 0);
      const ahead = await instance(url, SKEW_MS);
      const request = await punctual.store.create(newRequest('subject-a', punctual.now()), YEAR, () => [], []);
      assert.equal((await punctual.store.claimExport('instance-punctual', punctual.now(), SHORT_LEASE_MS))?.id, request.id);

      assert.equal(
        await ahead.store.claimExport('instance-ahead', ahead.now(), SHORT_LEASE_MS),
        undefined,
        'by its own clock the lease ran out; by the database’s it holds',
      );
      assert.equal(await punctual.store.renewExportLease(request.id, 'instance-punctual', punctual.now(), SHORT_LEASE_MS), true, 'and its holder still has it');
    });

    it('keep such an instance from taking a leased notification or a claimed run', async () => {
      const url = await server.createDatabase();
      const punctual = await instance(url, 0);
      const ahead = await instance(url, SKEW_MS);
      const request = newRequest('subject-a', punctual.now());
      await punctual.store.create(request, YEAR, () => [], channelUpdate(request.id));
      assert.equal((await punctual.store.claimNotifications('instance-punctual', punctual.now(), SHORT_LEASE_MS, 10)).length, 1);
      assert.equal(await punctual.store.claimRun('digest:today', 'instance-punctual', punctual.now(), SHORT_LEASE_MS), true);

      assert.deepEqual(await ahead.store.claimNotifications('instance-ahead', ahead.now(), SHORT_LEASE_MS, 10), []);
      assert.equal(await ahead.store.claimRun('digest:today', 'instance-ahead', ahead.now(), SHORT_LEASE_MS), false);
    });

    it('start a lease at the database’s time, not the caller’s: a lease taken by a clock far behind is still live', async () => {
      const url = await server.createDatabase();
      const behind = await instance(url, -SKEW_MS);
      const punctual = await instance(url, 0);
      await behind.store.create(newRequest('subject-a', behind.now()), YEAR, () => [], []);
      await behind.store.claimExport('instance-behind', behind.now(), SHORT_LEASE_MS);

      assert.equal(
        await punctual.store.claimExport('instance-punctual', punctual.now(), SHORT_LEASE_MS),
        undefined,
        'by the caller’s clock it ended 9 minutes ago',
      );
    });
  });

  describe('a download link stored with its notification', () => {
    it('is kept only while the notification is unsettled: completing it removes the link from the database', async () => {
      const db = await PostgresDatabase.open({ url: await server.createDatabase() });
      try {
        const store = new PostgresRequestStore(db);
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
        const stored = async () =>
          (await db.query<{ content: string | null }>('SELECT content FROM notifications WHERE id = $1', [claimed!.notification.id])).rows[0]?.content;
        assert.match((await stored()) ?? '', /sig=secret/);

        await store.completeNotification(claimed!.notification.id, 'instance-1', 'sent');
        assert.equal(await stored(), null, 'a bearer link to someone’s data does not outlive its delivery in the database');
      } finally {
        await db.close();
      }
    });
  });
});
