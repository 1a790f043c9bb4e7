import assert from 'node:assert/strict';
import { SYSTEM_ACTOR } from '../../../domain/actor';
import type { DeliveryOutcome, Messenger } from '../../../domain/delivery/messenger';
import { NotificationKind, type Notification } from '../../../domain/delivery/notification';
import { NotificationDispatcher } from '../../../domain/delivery/notificationDispatcher';
import type { DownloadLink, PackageStore } from '../../../domain/export/packageStore';
import { silentLogger } from '../../../domain/logger';
import { AuditEventType, type AuditEvent } from '../../../domain/requests/auditEvent';
import { amend, transition } from '../../../domain/requests/changes';
import type { ExportRequest, PackageInfo } from '../../../domain/requests/exportRequest';
import { RequestEvent, RequestState } from '../../../domain/requests/lifecycle';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const LINK_LIFETIME_MS = 7 * DAY_MS;
const LEASE_MS = MINUTE_MS;
const RETRY_DELAY_MS = 2_000;
const UNREACHABLE_RETRY_MS = 6 * 60 * MINUTE_MS;
/** Long enough for any lease taken "now" to have run out: how long a restarted instance waits. */
const PAST_THE_LEASE_MS = LEASE_MS + 1;
const PACKAGE: PackageInfo = {
  blobName: 'exports/r/DSR-2026-0001-attempt-1.zip',
  sizeBytes: 1234,
  sha256: 'ab'.repeat(32),
  fileCount: 4,
  generatedAt: '2026-01-31T09:00:00.000Z',
};
const MOVED_BLOB = 'exports/r/revoked-0001/DSR-2026-0001-attempt-1.zip';

/** Every link is new: a different signature each time, as Azure's are. */
class MintingPackageStore implements PackageStore {
  readonly minted: DownloadLink[] = [];
  async createReadLink(blobName: string, expiresAt: Date): Promise<DownloadLink> {
    const link = { url: `https://packages.example/${blobName}?sig=${this.minted.length + 1}`, expiresAt };
    this.minted.push(link);
    return link;
  }
  openUpload(): never {
    throw new Error('not used by the dispatcher');
  }
  openBlockUpload(): never {
    throw new Error('not used by the dispatcher');
  }
  delete(): never {
    throw new Error('not used by the dispatcher');
  }
  move(): never {
    throw new Error('not used by the dispatcher');
  }
  list(): never {
    throw new Error('not used by the dispatcher');
  }
  openRead(): never {
    throw new Error('not used by the dispatcher');
  }
}

/**
 * What becomes of one attempt at a link message: `sent`; `dies` — the Connector takes it, and the
 * process dies before it hears so (nothing after the send ever runs); `held` — taken, and the answer
 * comes only when the test says; `throws` — a failure the bot hears of; `unreachable` — Teams takes
 * nothing.
 */
type Attempt = 'sent' | 'dies' | 'held' | 'throws' | 'unreachable';

/** Teams as the person sees it: every link message that reached them, in order. Other messages just go. */
class ScriptedMessenger implements Messenger {
  readonly received: Array<{ kind: string; link: DownloadLink }> = [];
  private readonly script: Attempt[] = [];
  private readonly waiting: Array<{ count: number; resolve: () => void }> = [];
  private releaseHeld: (() => void) | undefined;

  next(...attempts: Attempt[]): this {
    this.script.push(...attempts);
    return this;
  }

  /** Resolves once `count` link messages have reached the person. */
  reached(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  /** Lets the held attempt hear that its message was taken. */
  release(): void {
    this.releaseHeld?.();
  }

  async deliver(notification: Notification, _request: ExportRequest, link?: DownloadLink): Promise<DeliveryOutcome> {
    if (!link) return { kind: 'sent' };
    const attempt = this.script.shift() ?? 'sent';
    if (attempt === 'throws') throw new Error('Connector answered 503');
    if (attempt === 'unreachable') return { kind: 'unreachable', reason: 'no 1:1 conversation with the bot yet' };
    this.received.push({ kind: notification.kind, link });
    for (const waiter of this.waiting.filter((w) => this.received.length >= w.count)) waiter.resolve();
    if (attempt === 'dies') return new Promise<never>(() => undefined);
    if (attempt === 'held') await new Promise<void>((resolve) => (this.releaseHeld = resolve));
    return { kind: 'sent' };
  }
}

describe('the outbox dispatcher and a message that may already have gone out (the real SQLite store)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let packages: MintingPackageStore;
  let messenger: ScriptedMessenger;
  let instances: number;

  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
    packages = new MintingPackageStore();
    messenger = new ScriptedMessenger();
    instances = 0;
  });
  afterEach(() => f.close());

  /** A bot instance's dispatcher; a new one after a crash is a restarted instance (new name in leases). */
  function instance(): NotificationDispatcher {
    instances += 1;
    return new NotificationDispatcher({
      store: f.store,
      messenger,
      packages,
      clock: f.clock,
      logger: silentLogger,
      owner: `instance-${instances}`,
      leaseMs: LEASE_MS,
      batchSize: 10,
      linkLifetimeMs: LINK_LIFETIME_MS,
      retryDelayMs: RETRY_DELAY_MS,
      maxRetryDelayMs: RETRY_DELAY_MS,
      maxAttempts: 5,
      unreachableRetryMs: UNREACHABLE_RETRY_MS,
    });
  }

  /** An instance that dies right after the Connector took its next link message. */
  async function dieAfterSending(count: number): Promise<void> {
    void instance().runOnce();
    await messenger.reached(count);
  }

  /** Isaiah's own request (or another person's), exported: the package is ready and the link owed. */
  async function readyRequest(person: typeof PEOPLE.isaiah = PEOPLE.isaiah): Promise<ExportRequest> {
    const filed = await f.requests.fileForSelf(person);
    const exporting = transition(filed, RequestEvent.StartExport, SYSTEM_ACTOR, f.clock.now());
    await f.store.update(exporting);
    const ready = transition(exporting.request, RequestEvent.ExportSucceeded, SYSTEM_ACTOR, f.clock.now(), {
      patch: { package: PACKAGE },
      notifications: [{ requestId: filed.id, kind: NotificationKind.PackageReady, recipientId: person.objectId }],
    });
    await f.store.update(ready);
    return ready.request;
  }

  async function trailOf(request: ExportRequest, type: AuditEventType): Promise<AuditEvent[]> {
    return (await f.store.auditTrail(request.id)).filter((e) => e.type === type);
  }

  async function stateOf(request: ExportRequest): Promise<RequestState | undefined> {
    return (await f.store.get(request.id))?.state;
  }

  it('after an instance died as the Connector took the card, the next sends the same link, records the delivery once and the resend as a repeat', async () => {
    const request = await readyRequest();
    messenger.next('dies', 'sent');

    await dieAfterSending(1);
    assert.equal(await stateOf(request), RequestState.Ready, 'the dead instance recorded nothing');
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();

    const [first, again] = messenger.received;
    assert.deepEqual(again, first, 'the person got the same message twice, not a second link');
    assert.equal(packages.minted.length, 1, 'one link was made');
    assert.equal(await stateOf(request), RequestState.Delivered);
    const issued = await trailOf(request, AuditEventType.LinkIssued);
    assert.deepEqual(
      issued.map((e) => e.detail),
      [{ recipient: 'subject', expiresAt: first!.link.expiresAt.toISOString() }],
    );
    const repeats = await trailOf(request, AuditEventType.DeliveryRepeated);
    assert.deepEqual(
      repeats.map((e) => e.detail),
      [
        {
          kind: NotificationKind.PackageReady,
          attempt: 2,
          earlierAttempt: 1,
          earlierOutcome: 'unknown',
          sameLink: true,
          linkExpiresAt: first!.link.expiresAt.toISOString(),
        },
      ],
    );
  });

  it('after two instances died that way, the third sends the same link a third time: one LinkIssued, two repeats', async () => {
    const request = await readyRequest();
    messenger.next('dies', 'dies', 'sent');

    await dieAfterSending(1);
    f.clock.advance(PAST_THE_LEASE_MS);
    await dieAfterSending(2);
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();

    assert.equal(messenger.received.length, 3);
    assert.equal(new Set(messenger.received.map((r) => r.link.url)).size, 1, 'one link in all three');
    assert.equal(await stateOf(request), RequestState.Delivered);
    assert.equal((await trailOf(request, AuditEventType.LinkIssued)).length, 1);
    const repeats = await trailOf(request, AuditEventType.DeliveryRepeated);
    assert.deepEqual(
      repeats.map((e) => [e.detail.earlierAttempt, e.detail.attempt]),
      [
        [1, 2],
        [2, 3],
      ],
    );
  });

  it('records the delivery even when another write changed the request while the card was on its way', async () => {
    const request = await readyRequest();
    messenger.next('held');
    const running = instance().runOnce();
    await messenger.reached(1);
    // An admin takes it on, or the subject answers a pause: a new version of the request, still ready.
    await f.store.update(
      amend((await f.store.get(request.id))!, { assignee: { objectId: PEOPLE.alex.objectId, displayName: 'Alex Wilber' } }, [], f.clock.now()),
    );
    messenger.release();
    await running;

    assert.equal(await stateOf(request), RequestState.Delivered, 'not left ready for ever (retention only deletes delivered packages)');
    assert.equal((await trailOf(request, AuditEventType.LinkIssued)).length, 1);
    assert.equal((await f.store.get(request.id))!.assignee?.objectId, PEOPLE.alex.objectId, 'the other write is kept');
  });

  it('retries a send that failed with the same link, and does not count it as a repeat', async () => {
    const request = await readyRequest();
    messenger.next('throws', 'sent');

    await instance().runOnce();
    assert.equal(await stateOf(request), RequestState.Ready);
    f.clock.advance(RETRY_DELAY_MS);
    await instance().runOnce();

    assert.equal(await stateOf(request), RequestState.Delivered);
    assert.equal(packages.minted.length, 1, 'a timeout may have delivered it after all: the retry carries the same link');
    assert.deepEqual(
      messenger.received.map((r) => r.link),
      [packages.minted[0]],
    );
    assert.deepEqual(await trailOf(request, AuditEventType.DeliveryRepeated), [], 'a failure the bot heard of is not a repeat');
    assert.equal((await trailOf(request, AuditEventType.LinkIssued)).length, 1);
  });

  it('gives a person Teams could not reach a fresh link with its whole lifetime once they can be reached (nobody saw the first), and keeps that one', async () => {
    const request = await readyRequest();
    messenger.next('unreachable', 'dies', 'sent');

    await instance().runOnce();
    f.clock.advance(UNREACHABLE_RETRY_MS);
    const reachable = f.clock.now();
    await dieAfterSending(1);
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();

    assert.equal(packages.minted.length, 2);
    const [, fresh] = packages.minted;
    assert.equal(fresh!.expiresAt.getTime(), reachable.getTime() + LINK_LIFETIME_MS);
    assert.deepEqual(
      messenger.received.map((r) => r.link),
      [fresh, fresh],
    );
    assert.equal(await stateOf(request), RequestState.Delivered);
    assert.deepEqual(
      (await trailOf(request, AuditEventType.DeliveryRepeated)).map((e) => e.detail.attempt),
      [3],
      'the unreachable attempt settled; the crash did not',
    );
  });

  it('keeps a link that may have been seen even when the next attempt cannot reach the person', async () => {
    const request = await readyRequest();
    messenger.next('dies', 'unreachable', 'sent');

    await dieAfterSending(1);
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();
    f.clock.advance(UNREACHABLE_RETRY_MS);
    await instance().runOnce();

    assert.equal(packages.minted.length, 1);
    assert.deepEqual(
      messenger.received.map((r) => r.link),
      [packages.minted[0], packages.minted[0]],
    );
    assert.equal(await stateOf(request), RequestState.Delivered);
    assert.deepEqual(
      (await trailOf(request, AuditEventType.DeliveryRepeated)).map((e) => e.detail.attempt),
      [2],
      'the attempt after the crash; the one after "unreachable" is not',
    );
  });

  it('does not send a stored link again once it has expired: a new one goes out, and it is the one issued', async () => {
    const request = await readyRequest();
    messenger.next('dies', 'sent');

    await dieAfterSending(1);
    f.clock.advance(LINK_LIFETIME_MS);
    await instance().runOnce();

    const [dead, fresh] = messenger.received;
    assert.notEqual(fresh!.link.url, dead!.link.url);
    assert.equal(fresh!.link.expiresAt.getTime(), f.clock.now().getTime() + LINK_LIFETIME_MS);
    const issued = await trailOf(request, AuditEventType.LinkIssued);
    assert.deepEqual(
      issued.map((e) => e.detail.expiresAt),
      [fresh!.link.expiresAt.toISOString()],
    );
    assert.deepEqual(
      (await trailOf(request, AuditEventType.DeliveryRepeated)).map((e) => e.detail.sameLink),
      [false],
    );
  });

  it('does not send a stored link again once the package moved (links revoked), and keeps the new one from then on', async () => {
    const request = await readyRequest();
    messenger.next('dies', 'dies', 'sent');

    await dieAfterSending(1);
    const current = (await f.store.get(request.id))!;
    await f.store.update(amend(current, { package: { ...PACKAGE, blobName: MOVED_BLOB } }, [], f.clock.now()));
    f.clock.advance(PAST_THE_LEASE_MS);
    await dieAfterSending(2);
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();

    const [dead, moved, resent] = messenger.received.map((r) => r.link);
    assert.ok(dead!.url.startsWith(`https://packages.example/${PACKAGE.blobName}?`));
    assert.ok(moved!.url.startsWith(`https://packages.example/${MOVED_BLOB}?`), 'the old link reads nothing any more');
    assert.deepEqual(resent, moved);
    assert.equal(await stateOf(request), RequestState.Delivered);
    assert.deepEqual(
      (await trailOf(request, AuditEventType.DeliveryRepeated)).map((e) => e.detail.sameLink),
      [false, true],
    );
  });

  it('treats a reissued link the same way: resent unchanged after a crash, issued once, the resend a repeat', async () => {
    const request = await readyRequest();
    messenger.next('sent', 'dies', 'sent');
    await instance().runOnce();
    const delivered = (await f.store.get(request.id))!;
    await f.store.update(
      amend(delivered, {}, [], f.clock.now(), [{ requestId: request.id, kind: NotificationKind.LinkReissued, recipientId: PEOPLE.isaiah.objectId }]),
    );
    f.clock.advance(MINUTE_MS);

    await dieAfterSending(2);
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();

    const [original, reissued, resent] = messenger.received;
    assert.equal(reissued!.kind, NotificationKind.LinkReissued);
    assert.notEqual(reissued!.link.url, original!.link.url, 'a reissue is a new link');
    assert.deepEqual(resent, reissued, 'but its resend is not');
    const issued = await trailOf(request, AuditEventType.LinkIssued);
    assert.deepEqual(
      issued.map((e) => [e.detail.expiresAt, e.detail.reissue ?? false]),
      [
        [original!.link.expiresAt.toISOString(), false],
        [reissued!.link.expiresAt.toISOString(), true],
      ],
    );
    assert.deepEqual(
      (await trailOf(request, AuditEventType.DeliveryRepeated)).map((e) => e.detail.kind),
      [NotificationKind.LinkReissued],
    );
  });

  it('leaves a message of its batch alone once its lease ran out while earlier ones were sent: the next claim sends it, once', async () => {
    const first = await readyRequest();
    const second = await readyRequest(PEOPLE.megan);
    messenger.next('held', 'sent');

    const running = instance().runOnce();
    await messenger.reached(1);
    f.clock.advance(PAST_THE_LEASE_MS);
    messenger.release();
    await running;
    assert.equal(messenger.received.length, 1, 'nothing sent on a lease that had run out');
    assert.equal(await stateOf(first), RequestState.Delivered);
    assert.equal(await stateOf(second), RequestState.Ready);

    await instance().runOnce();
    assert.equal(messenger.received.length, 2);
    assert.equal(await stateOf(second), RequestState.Delivered);
    assert.deepEqual(await trailOf(second, AuditEventType.DeliveryRepeated), [], 'it was never begun before');
  });

  it('when an instance outlives its lease mid-send, the other sends the same card and the delivery is recorded once', async () => {
    const request = await readyRequest();
    messenger.next('held', 'sent');

    const slow = instance().runOnce();
    await messenger.reached(1);
    f.clock.advance(PAST_THE_LEASE_MS);
    await instance().runOnce();
    messenger.release();
    await slow;

    assert.deepEqual(messenger.received[1], messenger.received[0]);
    assert.equal(await stateOf(request), RequestState.Delivered);
    assert.equal((await trailOf(request, AuditEventType.LinkIssued)).length, 1);
    assert.equal((await trailOf(request, AuditEventType.Transitioned)).filter((e) => e.detail.to === RequestState.Delivered).length, 1);
    assert.equal((await trailOf(request, AuditEventType.DeliveryRepeated)).length, 1);
  });
});
