import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../../adapters/store/sqlite/sqliteRequestStore';
import { DeadlineWatch, type Digest } from '../../../domain/deadlines/deadlineWatch';
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
const RULES = { reminderDays: [1, 3], escalateAfterDays: 5, lapseAfterDays: 14, dueWarningDays: [7, 2], digestHour: 8, dailyDigest: true, timeZone: 'Europe/Berlin' };

describe('the deadline watch (a controllable clock, the real SQLite store)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let inbox: DigestInbox;
  let watch: DeadlineWatch;
  let seen: number;

  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-03-02T05:00:00Z')));
    inbox = new DigestInbox();
    watch = new DeadlineWatch({ store: f.store, messenger: inbox, clock: f.clock, logger: silentLogger, owner: 'instance-a', ...RULES, dailyDigest: false });
    seen = 0;
  });
  afterEach(() => f.close());

  /** What the watch queued since the last call, as [kind, moment]. */
  async function queued(): Promise<Array<[string, string | undefined]>> {
    const rows = f.db.handle.prepare('SELECT kind, moment FROM notifications ORDER BY sequence').all() as Array<{ kind: string; moment: string | null }>;
    const fresh = rows.slice(seen).map((r): [string, string | undefined] => [r.kind, r.moment ?? undefined]);
    seen = rows.length;
    return fresh;
  }

  it('reminds the subject on days 1 and 3, alerts the channel on day 5, closes as unconfirmed on day 14 — each once', async () => {
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
    f.clock.advance(9 * DAY);
    await watch.runOnce();
    assert.deepEqual((await queued()).sort(), [
      [NotificationKind.ChannelUpdate, DeadlineAlert.Lapsed],
      [NotificationKind.RequesterUpdate, DeadlineAlert.Lapsed],
      [NotificationKind.SubjectLapsed, undefined],
    ].sort() as Array<[string, string | undefined]>);
    assert.equal((await f.store.get(request.id))!.state, RequestState.Unconfirmed);
    await watch.runOnce();
    assert.deepEqual(await queued(), []);
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
    assert.deepEqual(inbox.digests.map((d) => d.date), ['2026-03-28']);
    f.clock.set('2026-03-29T05:59:00Z'); // 07:59 CEST, the day the clocks went forward
    await digestWatch.runOnce();
    assert.equal(inbox.digests.length, 1);
    f.clock.set('2026-03-29T06:00:00Z'); // 08:00 CEST
    await digestWatch.runOnce();
    assert.deepEqual(inbox.digests.map((d) => d.date), ['2026-03-28', '2026-03-29']);
    assert.equal(inbox.digests[1]!.dueThisWeek.length, 1, 'the self-service request is due 2026-04-02');
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
      const service = new RequestService({ store: a, directory: f2.directory, admins: new ConfiguredAdmins([PEOPLE.alex.objectId]), clock, timeZone: 'Europe/Berlin', filingsPerHour: 10, recentWindowDays: 90 });
      await service.file(PEOPLE.alex, { subject: await f2.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-03-02' });
      f2.close();
      const inboxes = [new DigestInbox(), new DigestInbox()];
      const watches = [a, b].map((store, i) => new DeadlineWatch({ store, messenger: inboxes[i]!, clock, logger: silentLogger, owner: `instance-${i}`, ...RULES }));
      clock.set('2026-03-03T08:00:00Z'); // day 1, 09:00 in Berlin: a reminder and a digest are due
      await Promise.all([watches[0]!.runOnce(), watches[1]!.runOnce(), watches[0]!.runOnce(), watches[1]!.runOnce()]);
      const reminders = dbA.handle.prepare(`SELECT COUNT(*) AS n FROM notifications WHERE kind = ?`).get(NotificationKind.SubjectReminder) as { n: number };
      assert.equal(reminders.n, 1);
      assert.equal(inboxes[0]!.digests.length + inboxes[1]!.digests.length, 1);
    } finally {
      dbA.close();
      dbB.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
