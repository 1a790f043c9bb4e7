import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { userActor, type Actor } from '../../domain/actor';
import { chainHash, GENESIS_HASH, verifyChain, type ChainedAuditEvent } from '../../domain/audit/auditChain';
import { NotificationKind, RequestMoment, type NewNotification } from '../../domain/delivery/notification';
import { AuditEventType, type AuditEvent } from '../../domain/requests/auditEvent';
import { auditEvent, transition } from '../../domain/requests/changes';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { RequestEvent, RequestState } from '../../domain/requests/lifecycle';
import type { Clock } from '../../domain/clock';
import {
  ConcurrencyConflict,
  DuplicateOpenRequest,
  type ClaimedNotification,
  type MessageContent,
  type NewExportRequest,
  type RequestStore,
} from '../../domain/requests/requestStore';
import { FixedClock } from '../support/fixedClock';

export interface StoreUnderTest {
  readonly store: RequestStore;
  /** Gives a fresh store over the same durable data, as a restarted bot would get. */
  readonly reopen?: () => Promise<RequestStore>;
  readonly close: () => Promise<void>;
}

const YEAR = 2026;
const T0 = new Date('2026-03-02T09:00:00.000Z');
const MINUTE_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ADMIN = userActor('aaaaaaaa-0000-0000-0000-00000000000a');
const SUBJECT = 'bbbbbbbb-0000-0000-0000-00000000000b';
const OTHER_SUBJECT = 'cccccccc-0000-0000-0000-00000000000c';
const THIRD_SUBJECT = 'dddddddd-0000-0000-0000-00000000000d';
const WORKER = 'worker-1';
const OTHER_WORKER = 'worker-2';
const MANY = 100;

function minutesAfterT0(minutes: number): Date {
  return new Date(T0.getTime() + minutes * MINUTE_MS);
}

/** A lease length. */
function minutes(count: number): number {
  return count * MINUTE_MS;
}

/** An optional field left out and one set to undefined mean the same; a store need not tell them apart. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function toChannel(requestId: string, count: number): NewNotification[] {
  return Array.from({ length: count }, () => ({ requestId, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Filed }));
}

function idsOf(claimed: readonly ClaimedNotification[]): string[] {
  return claimed.map((c) => c.notification.id);
}

interface Filing {
  readonly subjectId?: string;
  readonly requesterId?: string;
  readonly state?: RequestState;
  readonly at?: Date;
  readonly year?: number;
  readonly notifications?: (requestId: string) => NewNotification[];
}

function newRequest(filing: Filing): NewExportRequest {
  const at = (filing.at ?? T0).toISOString();
  const subjectId = filing.subjectId ?? SUBJECT;
  return {
    id: randomUUID(),
    version: 1,
    state: filing.state ?? RequestState.Confirmed,
    regime: 'gdpr',
    subject: { objectId: subjectId, displayName: 'Dana Subject', userPrincipalName: `${subjectId}@contoso.example`, mail: 'dana@contoso.example' },
    requesterId: filing.requesterId ?? ADMIN.objectId,
    selfService: false,
    deliverTo: 'subject',
    receivedOn: '2026-03-01',
    dueOn: '2026-04-01',
    intakeNote: 'Ticket 4711',
    exportAttempts: 0,
    createdAt: at,
    updatedAt: at,
  };
}

function filedEvent(requestId: string, reference: string, at: Date): AuditEvent {
  return auditEvent(requestId, ADMIN, AuditEventType.Filed, at, { reference });
}

/**
 * What every RequestStore must do, whatever it is built on. `makeStore` gives a fresh, empty store
 * for each test; `reopen`, when given, is checked to bring back everything that was written.
 *
 * `databaseTime` is for a store that keeps leases by its own clock (PostgreSQL's) rather than the
 * caller's `now`: it must take that clock's time from here. The tests set it, through `at`, to the
 * `now` they pass with each lease, so both kinds of store see one time and every test means the same.
 */
export function requestStoreContract(name: string, makeStore: (databaseTime: Clock) => Promise<StoreUnderTest>): void {
  describe(`RequestStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: RequestStore;
    let databaseTime: FixedClock;

    /** Moves the store's own clock to `instant` and gives it back, to be passed as the caller's now. */
    function at(instant: Date): Date {
      databaseTime.set(instant.toISOString());
      return instant;
    }

    beforeEach(async () => {
      databaseTime = new FixedClock(T0);
      subject = await makeStore(databaseTime);
      store = subject.store;
    });

    afterEach(async () => {
      await subject.close();
    });

    async function file(filing: Filing = {}): Promise<ExportRequest> {
      const request = newRequest(filing);
      return store.create(
        request,
        filing.year ?? YEAR,
        (reference) => [filedEvent(request.id, reference, filing.at ?? T0)],
        filing.notifications?.(request.id) ?? [],
      );
    }

    async function move(request: ExportRequest, event: RequestEvent, at: Date, actor: Actor = ADMIN): Promise<ExportRequest> {
      const change = transition(request, event, actor, at);
      await store.update(change);
      return change.request;
    }

    describe('create', () => {
      it('gives each year its own reference sequence, starting at 0001', async () => {
        const references: string[] = [];
        for (const [subjectId, year] of [
          [SUBJECT, 2026],
          [OTHER_SUBJECT, 2026],
          [THIRD_SUBJECT, 2027],
          ['eeeeeeee-0000-0000-0000-00000000000e', 2026],
        ] as const) {
          references.push((await file({ subjectId, year })).reference);
        }
        assert.deepEqual(references, ['DSR-2026-0001', 'DSR-2026-0002', 'DSR-2027-0001', 'DSR-2026-0003']);
      });

      it('stores the request as given plus its reference, found by id and by reference in any case', async () => {
        const request = newRequest({});
        const created = await store.create(request, YEAR, () => [], []);
        assert.deepEqual(created, { ...request, reference: 'DSR-2026-0001' });
        assert.deepEqual(await store.get(request.id), plain(created));
        assert.deepEqual(await store.getByReference('dsr-2026-0001'), plain(created));
      });

      it('writes the audit events built for the new reference, in the order given', async () => {
        const request = newRequest({});
        let offered: string | undefined;
        const events: AuditEvent[] = [];
        await store.create(
          request,
          YEAR,
          (reference) => {
            offered = reference;
            events.push(filedEvent(request.id, reference, T0), auditEvent(request.id, ADMIN, AuditEventType.Transitioned, T0, { event: RequestEvent.Confirm }));
            return events;
          },
          [],
        );
        assert.equal(offered, 'DSR-2026-0001');
        assert.deepEqual(await store.auditTrail(request.id), plain(events));
      });

      it('queues the notifications, due from the moment of filing, each with its own id', async () => {
        const notifications = (requestId: string): NewNotification[] => [
          { requestId, kind: NotificationKind.AskSubject, recipientId: SUBJECT },
          { requestId, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Filed },
        ];
        const created = await file({ at: minutesAfterT0(10), notifications });

        assert.deepEqual(await store.claimNotifications(WORKER, at(minutesAfterT0(9)), minutes(11), 10), []);
        const claimed = await store.claimNotifications(WORKER, at(minutesAfterT0(10)), minutes(10), 10);
        assert.deepEqual(
          claimed.map((c) => ({ ...c, notification: { ...c.notification, id: 'id' } })),
          notifications(created.id).map((n) => ({ notification: { ...n, id: 'id' }, attempts: 1 })),
        );
        for (const id of idsOf(claimed)) assert.match(id, UUID);
        assert.notEqual(claimed[0]?.notification.id, claimed[1]?.notification.id);
      });

      it('refuses a second open request for the same subject, whatever the case of the id, and writes nothing', async () => {
        const first = await file({ subjectId: SUBJECT });
        const second = newRequest({ subjectId: SUBJECT.toUpperCase() });

        await assert.rejects(
          store.create(second, YEAR, (reference) => [filedEvent(second.id, reference, T0)], [
            { requestId: second.id, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Filed },
          ]),
          (error: unknown) => error instanceof DuplicateOpenRequest && error.existing.id === first.id,
        );

        assert.equal(await store.get(second.id), undefined);
        assert.deepEqual(await store.auditTrail(second.id), []);
        assert.deepEqual(await store.claimNotifications(WORKER, at(T0), minutes(5), 10), []);
        assert.equal((await file({ subjectId: OTHER_SUBJECT })).reference, 'DSR-2026-0002', 'the refused request used up no reference');
      });

      it('lets only one of two simultaneous requests for a subject through', async () => {
        const outcomes = await Promise.allSettled([file({ subjectId: SUBJECT }), file({ subjectId: SUBJECT.toUpperCase() })]);
        const created = outcomes.filter((o) => o.status === 'fulfilled');
        const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        assert.equal(created.length, 1);
        assert.equal(refused.length, 1);
        assert.ok(refused[0]?.reason instanceof DuplicateOpenRequest);
      });

      it('lets a subject file again once their request has closed', async () => {
        const first = await file({ subjectId: SUBJECT });
        await move(first, RequestEvent.Cancel, minutesAfterT0(1));
        assert.equal(await store.findOpenBySubject(SUBJECT), undefined);

        const second = await file({ subjectId: SUBJECT, at: minutesAfterT0(2) });
        assert.equal((await store.findOpenBySubject(SUBJECT))?.id, second.id);
      });
    });

    describe('update', () => {
      it('writes the new request, appends its audit events and queues its notifications', async () => {
        const created = await file();
        const change = transition(created, RequestEvent.StartExport, ADMIN, minutesAfterT0(5), {
          patch: { exportAttempts: 1 },
          notifications: [{ requestId: created.id, kind: NotificationKind.RequesterUpdate, moment: RequestMoment.Confirmed, recipientId: ADMIN.objectId }],
        });
        await store.update(change);

        assert.deepEqual(await store.get(created.id), plain(change.request));
        const trail = await store.auditTrail(created.id);
        assert.deepEqual(trail.slice(1), plain(change.audit));
        const claimed = await store.claimNotifications(WORKER, at(minutesAfterT0(5)), minutes(5), 10);
        assert.deepEqual(
          claimed.map((c) => ({ ...c.notification, id: 'id' })),
          change.notifications.map((n) => ({ ...n, id: 'id' })),
        );
      });

      it('refuses a change computed from an old version with ConcurrencyConflict and writes nothing', async () => {
        const created = await file();
        const current = await move(created, RequestEvent.StartExport, minutesAfterT0(1));
        const stale = transition(created, RequestEvent.Cancel, ADMIN, minutesAfterT0(2), {
          notifications: [{ requestId: created.id, kind: NotificationKind.ChannelUpdate }],
        });

        await assert.rejects(store.update(stale), (error: unknown) => error instanceof ConcurrencyConflict && error.requestId === created.id);

        assert.deepEqual(await store.get(created.id), plain(current));
        assert.equal((await store.auditTrail(created.id)).length, 2);
        assert.deepEqual(await store.claimNotifications(WORKER, at(minutesAfterT0(2)), minutes(3), 10), []);
        assert.equal((await store.findOpenBySubject(SUBJECT))?.id, created.id, 'the refused cancel did not free the slot');
      });

      it('rejects a change that does not write the next version, and writes nothing', async () => {
        const created = await file();
        const change = transition(created, RequestEvent.Cancel, ADMIN, minutesAfterT0(1));
        const skipping = { ...change, request: { ...change.request, version: created.version + 2 } };

        await assert.rejects(store.update(skipping), (error: unknown) => error instanceof Error && !(error instanceof ConcurrencyConflict));

        assert.deepEqual(await store.get(created.id), plain(created));
        assert.equal((await store.auditTrail(created.id)).length, 1);
      });

      it('applies only the first of two changes made from the same version', async () => {
        const created = await file();
        const cancel = transition(created, RequestEvent.Cancel, ADMIN, minutesAfterT0(1));
        const start = transition(created, RequestEvent.StartExport, ADMIN, minutesAfterT0(1));

        const outcomes = await Promise.allSettled([store.update(cancel), store.update(start)]);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        assert.equal(won.length, 1);
        assert.ok(lost[0]?.reason instanceof ConcurrencyConflict);
        const stored = await store.get(created.id);
        assert.equal(stored?.version, created.version + 1);
        assert.equal((await store.auditTrail(created.id)).length, 2);
      });

      it('keeps the subject’s slot while the request is open, failed included, and frees it when it closes', async () => {
        const created = await file();
        const exporting = await move(created, RequestEvent.StartExport, minutesAfterT0(1));
        const failed = await move(exporting, RequestEvent.ExportFailed, minutesAfterT0(2));
        assert.equal((await store.findOpenBySubject(SUBJECT))?.id, created.id);
        await assert.rejects(file({ subjectId: SUBJECT }), DuplicateOpenRequest);

        await move(failed, RequestEvent.Cancel, minutesAfterT0(3));
        assert.equal(await store.findOpenBySubject(SUBJECT), undefined);
      });
    });

    describe('reading', () => {
      it('finds nothing for an unknown id or reference', async () => {
        await file();
        assert.equal(await store.get(randomUUID()), undefined);
        assert.equal(await store.getByReference('DSR-2026-0002'), undefined);
        assert.equal(await store.findOpenBySubject(OTHER_SUBJECT), undefined);
      });

      it('finds a subject’s open request whatever the case of their id', async () => {
        const created = await file({ subjectId: SUBJECT });
        assert.deepEqual(await store.findOpenBySubject(SUBJECT.toUpperCase()), plain(created));
      });

      it('lists all requests newest first, the later reference first on a tie, up to the limit', async () => {
        const a = await file({ subjectId: SUBJECT, at: minutesAfterT0(1) });
        const b = await file({ subjectId: OTHER_SUBJECT, at: minutesAfterT0(3) });
        const c = await file({ subjectId: THIRD_SUBJECT, at: minutesAfterT0(2) });
        const d = await file({ subjectId: 'eeeeeeee-0000-0000-0000-00000000000e', at: minutesAfterT0(3) });

        assert.deepEqual(
          (await store.list()).map((r) => r.reference),
          [d, b, c, a].map((r) => r.reference),
        );
        assert.deepEqual(
          (await store.list({ limit: 2 })).map((r) => r.reference),
          [d, b].map((r) => r.reference),
        );
      });

      it('lists the requests a person is subject or requester of, whatever the case of their id', async () => {
        const person = OTHER_SUBJECT;
        const asSubject = await file({ subjectId: person, at: minutesAfterT0(1) });
        await file({ subjectId: SUBJECT, at: minutesAfterT0(2) });
        const asRequester = await file({ subjectId: THIRD_SUBJECT, requesterId: person.toUpperCase(), at: minutesAfterT0(3) });

        const listed = await store.list({ involving: person.toUpperCase() });
        assert.deepEqual(
          listed.map((r) => r.id),
          [asRequester.id, asSubject.id],
        );
        assert.deepEqual(
          (await store.list({ involving: person, limit: 1 })).map((r) => r.id),
          [asRequester.id],
        );
      });

      it('lists a person’s requests once each, newest first across both roles, however many each role holds', async () => {
        const person = OTHER_SUBJECT;
        // Their own, self-filed (subject and requester both), then three they filed for others, then one filed for them.
        const own = await file({ subjectId: person, requesterId: person, at: minutesAfterT0(1) });
        await move(own, RequestEvent.Cancel, minutesAfterT0(2));
        const filed: ExportRequest[] = [];
        for (const [i, subjectId] of [SUBJECT, THIRD_SUBJECT, 'eeeeeeee-0000-0000-0000-00000000000e'].entries()) {
          filed.push(await file({ subjectId, requesterId: person, at: minutesAfterT0(3 + i) }));
        }
        const forThem = await file({ subjectId: person, at: minutesAfterT0(4) });

        const newestFirst = [filed[2]!, forThem, filed[1]!, filed[0]!, own].map((r) => r.reference);
        assert.deepEqual(
          (await store.list({ involving: person })).map((r) => r.reference),
          newestFirst,
          'the tie at minute 4: the later reference first',
        );
        for (const limit of [1, 2, 3, 4]) {
          assert.deepEqual(
            (await store.list({ involving: person, limit })).map((r) => r.reference),
            newestFirst.slice(0, limit),
            `limit ${limit}`,
          );
        }
      });

      it('lists a subject’s own requests oldest first, closed ones included, not those they only filed', async () => {
        const first = await file({ subjectId: SUBJECT, at: minutesAfterT0(1) });
        await move(first, RequestEvent.Cancel, minutesAfterT0(2));
        await file({ subjectId: OTHER_SUBJECT, requesterId: SUBJECT, at: minutesAfterT0(3) });
        const second = await file({ subjectId: SUBJECT.toUpperCase(), at: minutesAfterT0(4) });

        assert.deepEqual(
          (await store.listBySubject(SUBJECT)).map((r) => r.id),
          [first.id, second.id],
        );
      });

      it('counts what a person filed since a moment, whatever became of it', async () => {
        const early = await file({ subjectId: SUBJECT, requesterId: ADMIN.objectId, at: minutesAfterT0(1) });
        await move(early, RequestEvent.Cancel, minutesAfterT0(2));
        await file({ subjectId: OTHER_SUBJECT, requesterId: ADMIN.objectId.toUpperCase(), at: minutesAfterT0(5) });
        await file({ subjectId: SUBJECT, requesterId: SUBJECT, at: minutesAfterT0(6) });
        assert.equal(await store.countFiledBy(ADMIN.objectId, minutesAfterT0(0)), 2);
        assert.equal(await store.countFiledBy(ADMIN.objectId, minutesAfterT0(3)), 1);
        assert.equal(await store.countFiledBy(ADMIN.objectId, minutesAfterT0(7)), 0);
      });

      it('keeps a request’s audit trail in the order it was written, not by timestamp', async () => {
        const created = await file({ at: minutesAfterT0(10) });
        const other = await file({ subjectId: OTHER_SUBJECT, at: minutesAfterT0(10) });
        const earlier = auditEvent(created.id, ADMIN, AuditEventType.Refused, minutesAfterT0(1), { code: 'not_the_subject' });
        await store.appendAudit(earlier);
        await store.appendAudit(auditEvent(other.id, ADMIN, AuditEventType.Refused, minutesAfterT0(11), {}));
        const later = auditEvent(created.id, ADMIN, AuditEventType.Refused, minutesAfterT0(0), { code: 'not_an_admin' });
        await store.appendAudit(later);

        const trail = await store.auditTrail(created.id);
        assert.deepEqual(
          trail.map((e) => e.type),
          [AuditEventType.Filed, AuditEventType.Refused, AuditEventType.Refused],
        );
        assert.deepEqual(trail.slice(1), plain([earlier, later]));
      });
    });

    describe('export leases', () => {
      /** Just after a lease of minutes(15) taken at T0 ran out. */
      const afterLease = minutesAfterT0(16);

      it('offers nothing while no request is confirmed', async () => {
        await file({ state: RequestState.AwaitingConfirmation });
        await file({ subjectId: OTHER_SUBJECT, state: RequestState.Filed });
        assert.equal(await store.claimExport(WORKER, at(T0), minutes(15)), undefined);
      });

      it('leases the oldest confirmed request and never the same one to two workers', async () => {
        const newer = await file({ subjectId: SUBJECT, at: minutesAfterT0(2) });
        const older = await file({ subjectId: OTHER_SUBJECT, at: minutesAfterT0(1) });

        assert.equal((await store.claimExport(WORKER, at(minutesAfterT0(3)), minutes(12)))?.id, older.id);
        assert.equal((await store.claimExport(OTHER_WORKER, at(minutesAfterT0(3)), minutes(12)))?.id, newer.id);
        assert.equal(await store.claimExport('worker-3', at(minutesAfterT0(3)), minutes(12)), undefined);
      });

      it('does not count claiming as a change of the request', async () => {
        const created = await file();
        const claimed = await store.claimExport(WORKER, at(T0), minutes(15));
        assert.deepEqual(claimed, plain(created));
        assert.equal((await store.get(created.id))?.version, created.version);
        await assert.doesNotReject(
          store.update(transition(created, RequestEvent.StartExport, ADMIN, minutesAfterT0(1))),
          'a change read before the claim still applies',
        );
      });

      it('keeps the lease through updates, and hands an expired one to the next worker', async () => {
        const created = await file();
        await store.claimExport(WORKER, at(T0), minutes(15));
        const exporting = await move(created, RequestEvent.StartExport, minutesAfterT0(1));

        assert.equal(await store.claimExport(OTHER_WORKER, at(minutesAfterT0(14)), minutes(1)), undefined);
        assert.deepEqual(await store.claimExport(OTHER_WORKER, at(afterLease), minutes(14)), plain(exporting));
        assert.equal(await store.renewExportLease(created.id, WORKER, at(afterLease), minutes(24)), false, 'the first worker lost it');
      });

      it('renews the lease only for the worker holding it', async () => {
        const created = await file();
        await store.claimExport(WORKER, at(T0), minutes(15));

        assert.equal(await store.renewExportLease(created.id, OTHER_WORKER, at(minutesAfterT0(1)), minutes(59)), false);
        assert.equal((await store.claimExport(OTHER_WORKER, at(afterLease), minutes(14)))?.id, created.id, 'the refused renewal did not extend the lease');
      });

      it('extends a renewed lease past its first expiry', async () => {
        const created = await file();
        await store.claimExport(WORKER, at(T0), minutes(15));
        assert.equal(await store.renewExportLease(created.id, WORKER, at(minutesAfterT0(1)), minutes(59)), true);
        assert.equal(await store.claimExport(OTHER_WORKER, at(afterLease), minutes(15)), undefined);
        assert.equal((await store.claimExport(OTHER_WORKER, at(minutesAfterT0(61)), minutes(29)))?.id, created.id);
      });

      it('releases the lease only for the worker holding it, making an exporting request claimable again', async () => {
        const created = await file();
        await store.claimExport(WORKER, at(T0), minutes(15));
        await move(created, RequestEvent.StartExport, minutesAfterT0(1));

        await store.releaseExportLease(created.id, OTHER_WORKER);
        assert.equal(await store.claimExport(OTHER_WORKER, at(minutesAfterT0(2)), minutes(13)), undefined);

        await store.releaseExportLease(created.id, WORKER);
        assert.equal((await store.claimExport(OTHER_WORKER, at(minutesAfterT0(2)), minutes(13)))?.id, created.id);
      });

      it('never offers a request that is past exporting, whatever its lease', async () => {
        const created = await file();
        await store.claimExport(WORKER, at(T0), minutes(15));
        const exporting = await move(created, RequestEvent.StartExport, minutesAfterT0(1));
        await move(exporting, RequestEvent.ExportSucceeded, minutesAfterT0(2));
        assert.equal(await store.claimExport(OTHER_WORKER, at(afterLease), minutes(14)), undefined);
      });
    });

    describe('notification outbox', () => {
      /** Just after a lease of minutes(5) taken at T0 ran out. */
      const afterLease = minutesAfterT0(6);

      async function queueOneLeasedToWorker(): Promise<string> {
        await file({ notifications: (id) => toChannel(id, 1) });
        const [id] = idsOf(await store.claimNotifications(WORKER, at(T0), minutes(5), 10));
        assert.ok(id);
        return id;
      }

      it('leases due notifications oldest first, up to the limit, each to one worker', async () => {
        const older = await file({ subjectId: SUBJECT, at: minutesAfterT0(0), notifications: (id) => toChannel(id, 2) });
        const newer = await file({ subjectId: OTHER_SUBJECT, at: minutesAfterT0(1), notifications: (id) => toChannel(id, 2) });

        const first = await store.claimNotifications(WORKER, at(minutesAfterT0(1)), minutes(4), 3);
        const rest = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(1)), minutes(4), 3);

        assert.deepEqual(
          first.map((c) => c.notification.requestId),
          [older.id, older.id, newer.id],
        );
        assert.deepEqual(rest, [], "the newer request's second message waits while its first is leased");
        await store.completeNotification(first[2]!.notification.id, WORKER, 'sent');
        const last = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(1)), minutes(4), 3);
        assert.deepEqual(
          last.map((c) => c.notification.requestId),
          [newer.id],
        );
        assert.deepEqual(await store.claimNotifications('worker-3', at(minutesAfterT0(1)), minutes(4), 3), []);
      });

      it("hands out none of a request's messages while one of them is leased, so they go out in order", async () => {
        const busy = await file({ subjectId: SUBJECT, at: minutesAfterT0(0), notifications: (id) => toChannel(id, 3) });
        const other = await file({ subjectId: OTHER_SUBJECT, at: minutesAfterT0(1), notifications: (id) => toChannel(id, 1) });

        const [head] = await store.claimNotifications(WORKER, at(minutesAfterT0(2)), minutes(4), 1);
        assert.equal(head?.notification.requestId, busy.id);
        const meanwhile = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(2)), minutes(4), 10);
        assert.deepEqual(
          meanwhile.map((c) => c.notification.requestId),
          [other.id],
          'only the request nobody is sending for',
        );

        await store.deferNotification(head!.notification.id, WORKER, minutesAfterT0(30), 'recipient not reachable yet');
        const after = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(3)), minutes(4), 10);
        assert.deepEqual(
          after.map((c) => c.notification.requestId),
          [busy.id, busy.id],
          'a message waiting for a later time, no longer leased, does not hold back the rest',
        );
      });

      it('renews a notification only for the worker holding it, and only while its lease runs', async () => {
        const id = await queueOneLeasedToWorker();

        assert.equal(await store.renewNotificationLease(id, OTHER_WORKER, at(minutesAfterT0(1)), minutes(5)), false, 'not its lease');
        assert.equal(await store.renewNotificationLease(id, WORKER, at(minutesAfterT0(4)), minutes(5)), true);
        assert.deepEqual(await store.claimNotifications(OTHER_WORKER, at(afterLease), minutes(4), 10), [], 'the renewed lease runs to T0 + 9 minutes');

        assert.equal(await store.renewNotificationLease(id, WORKER, at(minutesAfterT0(10)), minutes(5)), false, 'ran out: another may hold it by now');
        assert.deepEqual(idsOf(await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(10)), minutes(4), 10)), [id]);
      });

      it('hands a notification whose lease expired to the next worker, counting the attempt', async () => {
        await file({ notifications: (id) => toChannel(id, 1) });
        const [first] = await store.claimNotifications(WORKER, at(T0), minutes(5), 10);
        const [again] = await store.claimNotifications(OTHER_WORKER, at(afterLease), minutes(4), 10);
        assert.equal(first?.attempts, 1);
        assert.equal(again?.notification.id, first?.notification.id);
        assert.equal(again?.attempts, 2);
      });

      it('completes a notification for the worker holding it only, and never offers it again', async () => {
        const id = await queueOneLeasedToWorker();

        await store.completeNotification(id, OTHER_WORKER, 'sent');
        assert.deepEqual(idsOf(await store.claimNotifications(OTHER_WORKER, at(afterLease), minutes(4), 10)), [id]);

        await store.completeNotification(id, OTHER_WORKER, 'sent');
        assert.deepEqual(await store.claimNotifications('worker-3', at(minutesAfterT0(60)), minutes(10), 10), []);
      });

      it('defers a notification for the worker holding it only, offering it again from notBefore', async () => {
        const id = await queueOneLeasedToWorker();

        await store.deferNotification(id, OTHER_WORKER, minutesAfterT0(2), 'not my lease');
        assert.deepEqual(await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(3)), minutes(2), 10), [], 'still leased to WORKER');

        await store.deferNotification(id, WORKER, minutesAfterT0(30), 'recipient not reachable yet');
        assert.deepEqual(await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(29)), minutes(11), 10), []);
        const [again] = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(30)), minutes(10), 10);
        assert.equal(again?.notification.id, id);
        assert.equal(again?.attempts, 2);
      });

      it('wakes the deferred notifications of one person, whatever the case of their id', async () => {
        const person = OTHER_SUBJECT.toUpperCase();
        await file({
          notifications: (requestId) => [
            { requestId, kind: NotificationKind.AskSubject, recipientId: person },
            { requestId, kind: NotificationKind.RequesterUpdate, moment: RequestMoment.Filed, recipientId: person.toLowerCase() },
            { requestId, kind: NotificationKind.RequesterUpdate, moment: RequestMoment.Filed, recipientId: ADMIN.objectId },
          ],
        });
        const claimed = await store.claimNotifications(WORKER, at(T0), minutes(5), 10);
        for (const id of idsOf(claimed)) await store.deferNotification(id, WORKER, minutesAfterT0(600), 'no conversation yet');

        assert.equal(await store.wakeNotificationsFor(OTHER_SUBJECT, minutesAfterT0(10)), 2);

        const woken = await store.claimNotifications(WORKER, at(minutesAfterT0(10)), minutes(10), 10);
        assert.deepEqual(
          woken.map((c) => c.notification.recipientId),
          [person, person.toLowerCase()],
          'ids come back as given',
        );
        assert.equal(await store.wakeNotificationsFor(person, minutesAfterT0(11)), 0, 'nothing of theirs is still waiting');
      });

      it('keeps up with many notifications without losing or repeating one', async () => {
        const created = await file({ notifications: (id) => toChannel(id, MANY) });
        const seen: string[] = [];
        for (
          let batch = await store.claimNotifications(WORKER, at(T0), minutes(5), 7);
          batch.length > 0;
          batch = await store.claimNotifications(WORKER, at(T0), minutes(5), 7)
        ) {
          seen.push(...idsOf(batch));
          assert.ok(batch.every((c) => c.notification.requestId === created.id));
          // Settled before the next claim, as the dispatcher does: a request's messages wait while any is leased.
          for (const id of idsOf(batch)) assert.ok(await store.completeNotification(id, WORKER, 'sent'));
        }
        assert.equal(seen.length, MANY);
        assert.equal(new Set(seen).size, MANY);
      });
    });

    describe('what an attempt at a notification leaves for the next', () => {
      /** Just after a lease of minutes(5) taken at T0 ran out. */
      const afterLease = minutesAfterT0(6);
      const content: MessageContent = {
        link: {
          url: 'https://packages.example/exports/r/package.zip?sig=1',
          expiresAt: minutesAfterT0(7 * 24 * 60).toISOString(),
          blobName: 'exports/r/package.zip',
        },
      };

      async function queueOneClaimedByWorker(): Promise<{ request: ExportRequest; claimed: ClaimedNotification }> {
        const request = await file({ notifications: (id) => [{ requestId: id, kind: NotificationKind.PackageReady, recipientId: SUBJECT }] });
        const [claimed] = await store.claimNotifications(WORKER, at(T0), minutes(5), 10);
        assert.ok(claimed);
        return { request, claimed };
      }

      function repeatOf(request: ExportRequest, attempt: number): AuditEvent {
        return auditEvent(request.id, ADMIN, AuditEventType.DeliveryRepeated, T0, { kind: NotificationKind.PackageReady, attempt });
      }

      it('offers a notification nobody began sending with no content and no unsettled attempt', async () => {
        const { claimed } = await queueOneClaimedByWorker();
        assert.equal(claimed.content, undefined);
        assert.equal(claimed.unsettledAttempt, undefined);
      });

      it('hands what an attempt stored before sending, and that it never settled, to the next claim — after a restart too', async () => {
        const { request, claimed } = await queueOneClaimedByWorker();
        const repeat = repeatOf(request, 1);
        assert.equal(await store.beginNotificationSend(claimed.notification.id, WORKER, content, [repeat]), true);
        assert.deepEqual((await store.auditTrail(request.id)).at(-1), plain(repeat), 'the audit is written with the marker');
        if (subject.reopen) store = await subject.reopen();

        const [again] = await store.claimNotifications(OTHER_WORKER, at(afterLease), minutes(14), 10);
        assert.equal(again?.notification.id, claimed.notification.id);
        assert.equal(again?.attempts, 2);
        assert.deepEqual(again?.content, content);
        assert.equal(again?.unsettledAttempt, 1);
      });

      it('marks the send with the attempt that began it, the latest one', async () => {
        const { claimed } = await queueOneClaimedByWorker();
        await store.beginNotificationSend(claimed.notification.id, WORKER, content, []);
        const [second] = await store.claimNotifications(OTHER_WORKER, at(afterLease), minutes(14), 10);
        await store.beginNotificationSend(second!.notification.id, OTHER_WORKER, content, []);

        const [third] = await store.claimNotifications(WORKER, at(minutesAfterT0(21)), minutes(9), 10);
        assert.equal(third?.attempts, 3);
        assert.equal(third?.unsettledAttempt, 2);
      });

      it('writes nothing, and says so, for a worker that does not hold the notification', async () => {
        const { request, claimed } = await queueOneClaimedByWorker();
        const trail = await store.auditTrail(request.id);
        assert.equal(await store.beginNotificationSend(claimed.notification.id, OTHER_WORKER, content, [repeatOf(request, 1)]), false);
        assert.deepEqual(await store.auditTrail(request.id), trail);

        const [taken] = await store.claimNotifications(OTHER_WORKER, at(afterLease), minutes(14), 10);
        assert.equal(taken?.content, undefined, 'nothing was stored');
        assert.equal(taken?.unsettledAttempt, undefined);
        assert.equal(await store.beginNotificationSend(claimed.notification.id, WORKER, content, []), false, 'the first worker lost its lease');
      });

      it('settles the attempt when it is deferred: the content stays for the next attempt, the marker goes', async () => {
        const { claimed } = await queueOneClaimedByWorker();
        await store.beginNotificationSend(claimed.notification.id, WORKER, content, []);
        await store.deferNotification(claimed.notification.id, WORKER, minutesAfterT0(1), 'Connector answered 503');

        const [again] = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(1)), minutes(19), 10);
        assert.deepEqual(again?.content, content);
        assert.equal(again?.unsettledAttempt, undefined, 'a failure heard of is not an unknown outcome');
      });

      it('drops the content of a deferred attempt when told it reached nobody', async () => {
        const { claimed } = await queueOneClaimedByWorker();
        await store.beginNotificationSend(claimed.notification.id, WORKER, content, []);
        await store.deferNotification(claimed.notification.id, WORKER, minutesAfterT0(1), 'no 1:1 conversation with the bot yet', { discardContent: true });

        const [again] = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(1)), minutes(19), 10);
        assert.equal(again?.content, undefined);
        assert.equal(again?.unsettledAttempt, undefined);
      });

      it('completes with its audit in the same write, for the worker holding the notification only', async () => {
        const { request, claimed } = await queueOneClaimedByWorker();
        await store.beginNotificationSend(claimed.notification.id, WORKER, content, []);
        const issued = auditEvent(request.id, ADMIN, AuditEventType.LinkIssued, T0, { reissue: true });
        const trail = await store.auditTrail(request.id);

        assert.equal(await store.completeNotification(claimed.notification.id, OTHER_WORKER, 'sent', [issued]), false);
        assert.deepEqual(await store.auditTrail(request.id), trail);
        assert.equal(await store.completeNotification(claimed.notification.id, WORKER, 'sent', [issued]), true);
        assert.deepEqual(await store.auditTrail(request.id), [...trail, plain(issued)]);
        assert.equal(await store.completeNotification(claimed.notification.id, WORKER, 'sent', [issued]), false, 'and once');
        assert.deepEqual(await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(60)), minutes(10), 10), []);
      });
    });

    describe('listing open requests', () => {
      it('lists every open request, whatever its state, oldest first, and none that closed', async () => {
        const confirmed = await file({ subjectId: SUBJECT, at: minutesAfterT0(3) });
        const awaiting = await file({ subjectId: OTHER_SUBJECT, state: RequestState.AwaitingConfirmation, at: minutesAfterT0(1) });
        const cancelled = await file({ subjectId: THIRD_SUBJECT, at: minutesAfterT0(2) });
        await move(cancelled, RequestEvent.Cancel, minutesAfterT0(4));
        const exporting = await move(confirmed, RequestEvent.StartExport, minutesAfterT0(5));
        const failed = await move(exporting, RequestEvent.ExportFailed, minutesAfterT0(6));

        assert.deepEqual(await store.listOpen(), plain([awaiting, failed]));
      });

      it('lists nothing when every request has closed', async () => {
        const created = await file();
        await move(created, RequestEvent.Cancel, minutesAfterT0(1));
        assert.deepEqual(await store.listOpen(), []);
      });
    });

    describe('packages for retention', () => {
      function packageAt(at: Date) {
        return { blobName: `exports/${randomUUID()}/package.zip`, sizeBytes: 1024, sha256: 'a'.repeat(64), fileCount: 3, generatedAt: at.toISOString() };
      }

      async function fileWithPackage(subjectId: string, state: RequestState, generatedAt: Date): Promise<ExportRequest> {
        const request = { ...newRequest({ subjectId }), state, package: packageAt(generatedAt) };
        return store.create(request, YEAR, () => [], []);
      }

      it('lists delivered and completed requests whose package is older than the cutoff, oldest package first, up to the limit', async () => {
        const newest = await fileWithPackage(SUBJECT, RequestState.Delivered, minutesAfterT0(30));
        const oldest = await fileWithPackage(OTHER_SUBJECT, RequestState.Completed, minutesAfterT0(10));
        const middle = await fileWithPackage(THIRD_SUBJECT, RequestState.Delivered, minutesAfterT0(20));
        await fileWithPackage('eeeeeeee-0000-0000-0000-00000000000e', RequestState.Delivered, minutesAfterT0(40));

        assert.deepEqual(
          await store.listPackagesGeneratedBefore(minutesAfterT0(40), 10),
          plain([oldest, middle, newest]),
          'a package generated at the cutoff is not older',
        );
        assert.deepEqual(
          (await store.listPackagesGeneratedBefore(minutesAfterT0(40), 2)).map((r) => r.id),
          [oldest.id, middle.id],
        );
        assert.deepEqual(await store.listPackagesGeneratedBefore(minutesAfterT0(10), 10), []);
      });

      it('leaves out requests whose package is not yet delivered, and those with no package', async () => {
        await fileWithPackage(SUBJECT, RequestState.Ready, minutesAfterT0(1));
        await file({ subjectId: OTHER_SUBJECT, state: RequestState.Confirmed });
        assert.deepEqual(await store.listPackagesGeneratedBefore(minutesAfterT0(60), 10), []);
      });

      it('sees a package a change of state brought', async () => {
        const created = await file();
        const delivered: ExportRequest = { ...created, state: RequestState.Delivered, package: packageAt(minutesAfterT0(5)), version: created.version + 1 };
        await store.update({ request: delivered, expectedVersion: created.version, audit: [], notifications: [] });

        assert.deepEqual(await store.listPackagesGeneratedBefore(minutesAfterT0(6), 10), plain([delivered]));
        assert.deepEqual(await store.listPackagesGeneratedBefore(minutesAfterT0(5), 10), []);
      });
    });

    describe('scheduled work', () => {
      const JOB = 'reminder:request-1:1';
      const OTHER_JOB = 'reminder:request-1:2';
      const DIGEST = 'digest:2026-03-02';

      function reminderWork(requestId: string) {
        return {
          notifications: [{ requestId, kind: NotificationKind.SubjectReminder, recipientId: SUBJECT }],
          audit: [auditEvent(requestId, ADMIN, AuditEventType.Refused, T0, { code: 'reminder_sent' })],
        };
      }

      it('runs a job once: queues its messages due from `now` and writes its audit, in one go', async () => {
        const created = await file();
        const work = reminderWork(created.id);

        assert.equal(await store.scheduleOnce(JOB, WORKER, minutesAfterT0(10), work), true);

        assert.deepEqual((await store.auditTrail(created.id)).slice(1), plain(work.audit));
        assert.deepEqual(await store.claimNotifications(WORKER, at(minutesAfterT0(9)), minutes(11), 10), [], 'not due before the job ran');
        const claimed = await store.claimNotifications(WORKER, at(minutesAfterT0(10)), minutes(10), 10);
        assert.deepEqual(
          claimed.map((c) => ({ ...c.notification, id: 'id' })),
          work.notifications.map((n) => ({ ...n, id: 'id' })),
        );
      });

      it('does nothing, and says so, for a job that already ran, on any instance', async () => {
        const created = await file();
        await store.scheduleOnce(JOB, WORKER, T0, reminderWork(created.id));
        const trail = await store.auditTrail(created.id);
        // Leased past the second attempt, so only a message that attempt queued could be claimed then.
        await store.claimNotifications(WORKER, at(T0), minutes(600), 10);

        assert.equal(await store.scheduleOnce(JOB, OTHER_WORKER, minutesAfterT0(60), reminderWork(created.id)), false);

        assert.deepEqual(await store.auditTrail(created.id), trail);
        assert.deepEqual(await store.claimNotifications(WORKER, at(minutesAfterT0(60)), minutes(10), 10), []);
        assert.equal(
          await store.scheduleOnce(OTHER_JOB, OTHER_WORKER, minutesAfterT0(60), reminderWork(created.id)),
          true,
          'another occurrence is another job',
        );
      });

      it('lets only one of two simultaneous runs of a job through', async () => {
        const created = await file();
        const outcomes = await Promise.all([
          store.scheduleOnce(JOB, WORKER, T0, reminderWork(created.id)),
          store.scheduleOnce(JOB, OTHER_WORKER, T0, reminderWork(created.id)),
        ]);
        assert.deepEqual(
          outcomes.sort((a, b) => Number(a) - Number(b)),
          [false, true],
        );
        assert.equal((await store.claimNotifications(WORKER, at(T0), minutes(5), 10)).length, 1);
        assert.equal((await store.auditTrail(created.id)).length, 2);
      });

      it('claims a run for one owner at a time, and lets another take over a claim whose lease ran out', async () => {
        assert.equal(await store.claimRun(DIGEST, WORKER, at(T0), minutes(5)), true);
        assert.equal(await store.claimRun(DIGEST, OTHER_WORKER, at(minutesAfterT0(4)), minutes(6)), false, 'the lease still holds');
        assert.equal(await store.claimRun(DIGEST, OTHER_WORKER, at(minutesAfterT0(6)), minutes(4)), true);
        assert.equal(await store.claimRun(DIGEST, WORKER, at(minutesAfterT0(7)), minutes(5)), false, 'the taken-over claim has a lease of its own');
        assert.equal(await store.claimRun('digest:2026-03-03', WORKER, at(minutesAfterT0(7)), minutes(5)), true, 'another day is another run');
      });

      it('never hands out a completed run again, however late', async () => {
        await store.claimRun(DIGEST, WORKER, at(T0), minutes(5));
        await store.completeRun(DIGEST, WORKER, minutesAfterT0(1));
        assert.equal(await store.claimRun(DIGEST, OTHER_WORKER, at(minutesAfterT0(600)), minutes(5)), false);
        assert.equal(await store.scheduleOnce(DIGEST, OTHER_WORKER, minutesAfterT0(600), { notifications: [], audit: [] }), false);
      });

      it('completes a run only for its owner: a lost claim cannot mark the new owner’s run done', async () => {
        await store.claimRun(DIGEST, WORKER, at(T0), minutes(5));
        await store.claimRun(DIGEST, OTHER_WORKER, at(minutesAfterT0(6)), minutes(4));
        await store.completeRun(DIGEST, WORKER, minutesAfterT0(7));
        assert.equal(await store.claimRun(DIGEST, 'worker-3', at(minutesAfterT0(11)), minutes(4)), true, 'still only claimed, so it could be taken over');
      });

      it('does not let a job run by scheduleOnce be claimed', async () => {
        const created = await file();
        await store.scheduleOnce(JOB, WORKER, T0, reminderWork(created.id));
        assert.equal(await store.claimRun(JOB, OTHER_WORKER, at(minutesAfterT0(600)), minutes(5)), false);
      });

      it('gives a run to only one of two simultaneous claims', async () => {
        const outcomes = await Promise.all([store.claimRun(DIGEST, WORKER, at(T0), minutes(5)), store.claimRun(DIGEST, OTHER_WORKER, at(T0), minutes(5))]);
        assert.deepEqual(
          outcomes.sort((a, b) => Number(a) - Number(b)),
          [false, true],
        );
      });
    });

    describe('audit log', () => {
      /** More than a store is likely to read in one page. */
      const LONG_LOG = 1_050;
      const RACING_APPENDS = 20;

      async function readLog(): Promise<ChainedAuditEvent[]> {
        const entries: ChainedAuditEvent[] = [];
        for await (const entry of store.auditLog()) entries.push(entry);
        return entries;
      }

      it('is empty before anything was written', async () => {
        assert.deepEqual(await readLog(), []);
      });

      it('gives every event of every request in the order written, each chained to the one before', async () => {
        const first = await file({ subjectId: SUBJECT });
        const second = await file({ subjectId: OTHER_SUBJECT });
        const refused = auditEvent(first.id, ADMIN, AuditEventType.Refused, minutesAfterT0(0), { code: 'not_an_admin' });
        await store.appendAudit(refused);
        const cancelled = await move(second, RequestEvent.Cancel, minutesAfterT0(1));

        const log = await readLog();
        const written = [
          ...(await store.auditTrail(first.id)).slice(0, 1),
          ...(await store.auditTrail(second.id)).slice(0, 1),
          refused,
          ...(await store.auditTrail(cancelled.id)).slice(1),
        ];
        assert.deepEqual(
          log.map((entry) => entry.event),
          plain(written),
        );
        assert.equal(log[0]?.previousHash, GENESIS_HASH);
        log.forEach((entry, n) => {
          assert.equal(entry.hash, chainHash(entry.previousHash, entry.event));
          if (n > 0) {
            assert.equal(entry.previousHash, log[n - 1]?.hash);
            assert.ok(entry.sequence > log[n - 1]!.sequence, 'sequence numbers rise in the order written');
          }
        });
        assert.deepEqual(await verifyChain(store.auditLog()), { intact: true, checked: written.length });
      });

      it('continues the chain after a restart', async function () {
        if (!subject.reopen) this.skip();
        const created = await file();
        store = await subject.reopen();
        await store.appendAudit(auditEvent(created.id, ADMIN, AuditEventType.Refused, T0, {}));
        assert.deepEqual(await verifyChain(store.auditLog()), { intact: true, checked: 2 });
      });

      it('reads a long log whole, without losing or repeating an event', async () => {
        const request = newRequest({});
        const events = Array.from({ length: LONG_LOG }, (_, n) => auditEvent(request.id, ADMIN, AuditEventType.Refused, T0, { n }));
        await store.create(request, YEAR, () => events, []);

        const log = await readLog();
        assert.equal(log.length, LONG_LOG);
        assert.deepEqual(
          log.map((entry) => entry.event.id),
          events.map((event) => event.id),
        );
        assert.deepEqual(await verifyChain(store.auditLog()), { intact: true, checked: LONG_LOG });
      });

      it('stays one chain when appends race', async () => {
        const created = await file();
        await Promise.all(
          Array.from({ length: RACING_APPENDS }, (_, n) => store.appendAudit(auditEvent(created.id, ADMIN, AuditEventType.Refused, T0, { n }))),
        );
        assert.deepEqual(await verifyChain(store.auditLog()), { intact: true, checked: RACING_APPENDS + 1 });
      });
    });

    describe('durability', () => {
      it('brings back requests, audit, reference counter, open slots and leases after reopening', async function () {
        if (!subject.reopen) this.skip();
        const created = await file({ notifications: (id) => toChannel(id, 1) });
        const exporting = await move(created, RequestEvent.StartExport, minutesAfterT0(1));
        await store.claimExport(WORKER, at(minutesAfterT0(1)), minutes(29));
        const [notificationId] = idsOf(await store.claimNotifications(WORKER, at(minutesAfterT0(1)), minutes(29), 10));
        assert.ok(notificationId);
        const trail = await store.auditTrail(created.id);

        store = await subject.reopen();

        assert.deepEqual(await store.get(created.id), plain(exporting));
        assert.deepEqual(await store.getByReference(created.reference), plain(exporting));
        assert.deepEqual(await store.auditTrail(created.id), trail);
        await assert.rejects(file({ subjectId: SUBJECT }), DuplicateOpenRequest);
        assert.equal((await file({ subjectId: OTHER_SUBJECT, state: RequestState.AwaitingConfirmation })).reference, 'DSR-2026-0002');
        assert.equal(await store.claimExport(OTHER_WORKER, at(minutesAfterT0(2)), minutes(28)), undefined);
        assert.equal(await store.renewExportLease(created.id, WORKER, at(minutesAfterT0(2)), minutes(58)), true);
        assert.deepEqual(await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(2)), minutes(28), 10), []);
        await store.deferNotification(notificationId, WORKER, minutesAfterT0(3), 'retry');
        const [again] = await store.claimNotifications(OTHER_WORKER, at(minutesAfterT0(3)), minutes(27), 10);
        assert.equal(again?.attempts, 2);
      });
    });
  });
}
