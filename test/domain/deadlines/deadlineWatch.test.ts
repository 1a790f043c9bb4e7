import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../../adapters/store/sqlite/sqliteRequestStore';
import { DeadlineWatch, DIGEST_ROWS_PER_GROUP, digestOf, type Digest } from '../../../domain/deadlines/deadlineWatch';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import type { DeliveryOutcome, Messenger } from '../../../domain/delivery/messenger';
import { DeadlineAlert, NotificationKind } from '../../../domain/delivery/notification';
import { silentLogger } from '../../../domain/logger';
import { RequestState } from '../../../domain/requests/lifecycle';
import { ConfiguredAdmins } from '../../../domain/policy/adminPolicy';
import { RequestService } from '../../../domain/requests/requestService';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

/** Collects digests; the watch's other output goes through the store's outbox, read below. */
class DigestInbox implements Messenger {
  readonly digests: Digest[] = [];
  async deliver(): Promise<DeliveryOutcome> {
    return { kind: 'sent' };
  }
  async postDigest(digest: Digest): Promise<DeliveryOutcome> {
    this.digests.push(digest);
    return { kind: 'sent' };
  }
}

const DAY = 24 * 3600_000;
/** The tests read what the watch queued through the outbox, as one more worker would. */
const OUTBOX_READER = 'test-reader';
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');
const READ_ALL = 1000;
/**
 * Reads happen at the end of time, so any lease keeps what was read from being read again. An hour,
 * not more: the lease must end within the year 9999, the last one an ISO instant writes in four digits.
 */
const READ_LEASE_MS = 3600_000;
const RULES = {
  reminderDays: [1, 3],
  escalateAfterDays: 5,
  lapseAfterDays: 14,
  dueWarningDays: [7, 2],
  digestHour: 8,
  dailyDigest: true,
  timeZone: 'Europe/Berlin',
};

/** A queued notification as the tests compare it: its kind and, for deadline alerts, which moment. */
type Notice = [kind: string, moment: string | undefined];

/** Sorted by kind, then moment, so lists queued in any order compare equal. */
function inOrder(notices: Notice[]): Notice[] {
  return notices.sort(([kindA, momentA], [kindB, momentB]) => kindA.localeCompare(kindB) || (momentA ?? '').localeCompare(momentB ?? ''));
}

describe('the deadline watch (a controllable clock, the real SQLite store)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let inbox: DigestInbox;
  let watch: DeadlineWatch;

  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-03-02T05:00:00Z')));
    inbox = new DigestInbox();
    watch = new DeadlineWatch({ store: f.store, messenger: inbox, clock: f.clock, logger: silentLogger, owner: 'instance-a', ...RULES, dailyDigest: false });
  });
  afterEach(() => f.close());

  /**
   * What the watch queued since the last call, as [kind, moment]: read through the outbox as a
   * delivery worker would, everything due by the end of time, and settled so it is read once.
   */
  async function queued(): Promise<Notice[]> {
    const claimed = await f.store.claimNotifications(OUTBOX_READER, END_OF_TIME, READ_LEASE_MS, READ_ALL);
    for (const { notification } of claimed) await f.store.completeNotification(notification.id, OUTBOX_READER, 'read by the test');
    return claimed.map(({ notification }): Notice => [notification.kind, notification.moment]);
  }

  const LAPSE_NOTICES = inOrder([
    [NotificationKind.ChannelUpdate, DeadlineAlert.Lapsed],
    [NotificationKind.RequesterUpdate, DeadlineAlert.Lapsed],
    [NotificationKind.SubjectLapsed, undefined],
  ]);

  it('reminds the subject on days 1 and 3, alerts the channel on day 5 — each once — and does not close the request after 14 days, before its due date', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-03-02' });
    await queued();
    f.clock.advance(DAY / 2);
    await watch.runOnce();
    assert.deepEqual(await queued(), []);
    f.clock.advance(DAY / 2);
    await watch.runOnce();
    await watch.runOnce(); // again: nothing more
    assert.deepEqual(await queued(), [[NotificationKind.SubjectReminder, undefined]]);
    f.clock.advance(2 * DAY);
    await watch.runOnce();
    assert.deepEqual(await queued(), [[NotificationKind.SubjectReminder, undefined]]);
    f.clock.advance(2 * DAY);
    await watch.runOnce();
    assert.deepEqual(await queued(), [[NotificationKind.ChannelUpdate, DeadlineAlert.Unanswered]]);
    f.clock.advance(9 * DAY); // day 14: the configured days have passed, the month has not
    await watch.runOnce();
    assert.deepEqual(await queued(), []);
    assert.equal((await f.store.get(request.id))!.state, RequestState.AwaitingConfirmation);
  });

  it('closes an unconfirmed request on its due date in tenant time, not the day before: the subject is told within the period', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-03-02' });
    assert.equal(request.dueOn, '2026-04-02');
    f.clock.set('2026-04-01T21:59:00Z'); // 23:59 on 1 April in Berlin (summer time)
    await watch.runOnce();
    assert.equal((await f.store.get(request.id))!.state, RequestState.AwaitingConfirmation);
    await queued();
    f.clock.set('2026-04-01T22:01:00Z'); // 00:01 on 2 April in Berlin, the due date
    await watch.runOnce();
    assert.deepEqual(inOrder(await queued()), LAPSE_NOTICES);
    const lapsed = (await f.store.get(request.id))!;
    assert.equal(lapsed.state, RequestState.Unconfirmed);
    assert.equal(lapsed.answeredAt, '2026-04-01T22:01:00.000Z', 'the register dates the answer by this');
    const transitioned = (await f.store.auditTrail(request.id)).find((e) => e.detail.event === 'lapse');
    assert.deepEqual([transitioned?.detail.dueOn, transitioned?.detail.afterDays], ['2026-04-02', 30]);
    await watch.runOnce();
    assert.deepEqual(await queued(), []);
  });

  it('a request entered late, due before the configured days have passed: closes once they have, not on the due date', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-02-05' });
    assert.equal(request.dueOn, '2026-03-05');
    await queued();
    f.clock.set('2026-03-15T05:00:00Z'); // 13 days after the card, past the due date
    await watch.runOnce();
    assert.equal((await f.store.get(request.id))!.state, RequestState.AwaitingConfirmation);
    f.clock.set('2026-03-16T05:00:00Z');
    await watch.runOnce();
    assert.equal((await f.store.get(request.id))!.state, RequestState.Unconfirmed);
  });

  it('a paused clock has not run out: the request does not lapse while it waits for the subject, however long', async () => {
    const filed = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-03-02' });
    await f.requests.pause(PEOPLE.alex, filed.reference, 'A copy of your staff ID, please');
    f.clock.set('2026-05-20T08:00:00Z'); // long past the stored due date and the configured days
    await watch.runOnce();
    assert.equal((await f.store.get(filed.id))!.state, RequestState.AwaitingConfirmation);
  });

  it('warns the channel 7 and 2 days before the due date and once overdue, and changes nothing', async () => {
    const request = await f.requests.fileForSelf(PEOPLE.isaiah); // confirmed at once: no reminders, only the clock
    await queued();
    f.clock.set('2026-03-26T09:00:00Z'); // due 2026-04-02: 7 days left
    await watch.runOnce();
    await watch.runOnce();
    assert.deepEqual(await queued(), [[NotificationKind.ChannelUpdate, DeadlineAlert.DueSoon]]);
    f.clock.set('2026-03-31T09:00:00Z');
    await watch.runOnce();
    assert.deepEqual(await queued(), [[NotificationKind.ChannelUpdate, DeadlineAlert.DueSoon]]);
    f.clock.set('2026-04-03T09:00:00Z');
    await watch.runOnce();
    await watch.runOnce();
    assert.deepEqual(await queued(), [[NotificationKind.ChannelUpdate, DeadlineAlert.Overdue]]);
    assert.equal((await f.store.get(request.id))!.state, RequestState.Confirmed, 'alerts change nothing');
  });

  it('posts the digest at 08:00 tenant time, once a day, across the spring daylight-saving change', async () => {
    await f.requests.fileForSelf(PEOPLE.isaiah);
    const digestWatch = new DeadlineWatch({ store: f.store, messenger: inbox, clock: f.clock, logger: silentLogger, owner: 'instance-a', ...RULES });
    f.clock.set('2026-03-28T06:59:00Z'); // 07:59 CET
    await digestWatch.runOnce();
    assert.equal(inbox.digests.length, 0);
    f.clock.set('2026-03-28T07:00:00Z'); // 08:00 CET
    await digestWatch.runOnce();
    await digestWatch.runOnce();
    assert.deepEqual(
      inbox.digests.map((d) => d.date),
      ['2026-03-28'],
    );
    f.clock.set('2026-03-29T05:59:00Z'); // 07:59 CEST, the day the clocks went forward
    await digestWatch.runOnce();
    assert.equal(inbox.digests.length, 1);
    f.clock.set('2026-03-29T06:00:00Z'); // 08:00 CEST
    await digestWatch.runOnce();
    assert.deepEqual(
      inbox.digests.map((d) => d.date),
      ['2026-03-28', '2026-03-29'],
    );
    assert.equal(inbox.digests[1]!.dueThisWeek.count, 1, 'the self-service request is due 2026-04-02');
  });

  it('two instances racing for the same occurrences run each exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-watch-'));
    const file = join(dir, 'store.db');
    const clock = new FixedClock(new Date('2026-03-02T05:00:00Z'));
    const [dbA, dbB] = [await SqliteDatabase.open(file), await SqliteDatabase.open(file)];
    try {
      const a = new SqliteRequestStore(dbA, clock);
      const b = new SqliteRequestStore(dbB, clock);
      const f2 = await domainFixture(clock);
      // File through a service on store A's file (the fixture's own in-memory store is not used here).
      const service = new RequestService({
        store: a,
        directory: f2.directory,
        admins: new ConfiguredAdmins([PEOPLE.alex.objectId]),
        clock,
        timeZone: 'Europe/Berlin',
        filingsPerHour: 10,
        recentWindowDays: 90,
      });
      await service.file(PEOPLE.alex, { subject: await f2.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-03-02' });
      f2.close();
      const inboxes = [new DigestInbox(), new DigestInbox()];
      const watches = [a, b].map(
        (store, i) => new DeadlineWatch({ store, messenger: inboxes[i]!, clock, logger: silentLogger, owner: `instance-${i}`, ...RULES }),
      );
      clock.set('2026-03-03T08:00:00Z'); // day 1, 09:00 in Berlin: a reminder and a digest are due
      await Promise.all([watches[0]!.runOnce(), watches[1]!.runOnce(), watches[0]!.runOnce(), watches[1]!.runOnce()]);
      const queuedOnA = await a.claimNotifications(OUTBOX_READER, END_OF_TIME, READ_LEASE_MS, READ_ALL);
      assert.equal(queuedOnA.filter(({ notification }) => notification.kind === NotificationKind.SubjectReminder).length, 1);
      assert.equal(inboxes[0]!.digests.length + inboxes[1]!.digests.length, 1);
    } finally {
      dbA.close();
      dbB.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("digestOf: the digest's lists, counted in full, naming the most urgent few", () => {
  const TODAY = '2026-03-02';
  let made = 0;
  /** A request with only what the digest looks at set; filed in the order made unless `createdAt` says otherwise. */
  function open(dueOn: string, state: ExportRequest['state'] = RequestState.Confirmed, createdAt?: string): ExportRequest {
    made += 1;
    return {
      id: `req-${String(made).padStart(5, '0')}`,
      reference: `DSR-2026-${String(made).padStart(4, '0')}`,
      version: 1,
      state,
      regime: 'gdpr',
      deliverTo: 'subject',
      subject: { objectId: `subject-${made}`, displayName: `Person ${made}`, userPrincipalName: `person${made}@example.com` },
      requesterId: 'requester',
      selfService: false,
      receivedOn: '2026-02-01',
      dueOn,
      exportAttempts: 0,
      createdAt: createdAt ?? new Date(Date.UTC(2026, 1, 1) + made * 1000).toISOString(),
      updatedAt: '2026-02-01T00:00:00.000Z',
    } as ExportRequest;
  }
  const refs = (requests: readonly ExportRequest[]) => requests.map((r) => r.reference);

  it('puts a request in every list it belongs to: overdue before today, this week from today to 7 days on', () => {
    const yesterday = open('2026-03-01', RequestState.Failed);
    const dueToday = open('2026-03-02', RequestState.AwaitingConfirmation);
    const inSeven = open('2026-03-09');
    const inEight = open('2026-03-10', RequestState.AwaitingConfirmation);
    const digest = digestOf([inEight, inSeven, dueToday, yesterday], TODAY);
    assert.equal(digest.date, TODAY);
    assert.deepEqual(
      {
        overdue: refs(digest.overdue.mostUrgent),
        dueThisWeek: refs(digest.dueThisWeek.mostUrgent),
        awaiting: refs(digest.awaitingConfirmation.mostUrgent),
        failed: refs(digest.failed.mostUrgent),
      },
      {
        overdue: [yesterday.reference],
        dueThisWeek: [dueToday.reference, inSeven.reference],
        awaiting: [dueToday.reference, inEight.reference],
        failed: [yesterday.reference],
      },
    );
    assert.deepEqual([digest.overdue.count, digest.dueThisWeek.count, digest.awaitingConfirmation.count, digest.failed.count], [1, 2, 2, 1]);
  });

  it('counts every request but names at most a few, the earliest due first, whatever order they were listed in', () => {
    const overdue = Array.from({ length: 40 }, (_, i) => open(`2026-02-${String(27 - (i % 20)).padStart(2, '0')}`, RequestState.AwaitingConfirmation));
    const expected = [...overdue]
      .sort((a, b) => (a.dueOn === b.dueOn ? a.createdAt.localeCompare(b.createdAt) : a.dueOn.localeCompare(b.dueOn)))
      .slice(0, DIGEST_ROWS_PER_GROUP);
    for (const listed of [overdue, [...overdue].reverse(), [...overdue.slice(17), ...overdue.slice(0, 17)]]) {
      const digest = digestOf(listed, TODAY);
      assert.equal(digest.overdue.count, 40);
      assert.equal(digest.awaitingConfirmation.count, 40);
      assert.deepEqual(refs(digest.overdue.mostUrgent), refs(expected));
      assert.deepEqual(refs(digest.awaitingConfirmation.mostUrgent), refs(expected));
    }
    assert.ok(DIGEST_ROWS_PER_GROUP < 40, 'the test must overflow a group');
  });

  it('between requests due the same day, names the one filed first', () => {
    const later = open('2026-03-04', RequestState.Confirmed, '2026-02-20T10:00:00.000Z');
    const earlier = open('2026-03-04', RequestState.Confirmed, '2026-02-10T10:00:00.000Z');
    assert.deepEqual(refs(digestOf([later, earlier], TODAY).dueThisWeek.mostUrgent), [earlier.reference, later.reference]);
    assert.deepEqual(refs(digestOf([later, earlier], TODAY, 1).dueThisWeek.mostUrgent), [earlier.reference]);
  });

  it('has empty lists when nothing is open', () => {
    const digest = digestOf([], TODAY);
    for (const group of [digest.overdue, digest.dueThisWeek, digest.awaitingConfirmation, digest.failed]) assert.deepEqual(group, { count: 0, mostUrgent: [] });
  });
});
