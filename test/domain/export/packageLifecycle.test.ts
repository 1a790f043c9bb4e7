import assert from 'node:assert/strict';
import sinon from 'sinon';
import { earlierLinksSentence, revokeToldSentence } from '../../../bot/commands/packageLinkCommands';
import { SYSTEM_ACTOR } from '../../../domain/actor';
import { NotificationKind } from '../../../domain/delivery/notification';
import { earlierLinks, PackageLifecycle } from '../../../domain/export/packageLifecycle';
import type { DownloadLink, PackageStore } from '../../../domain/export/packageStore';
import { silentLogger } from '../../../domain/logger';
import { ConfiguredAdmins } from '../../../domain/policy/adminPolicy';
import { AuditEventType, type AuditEvent } from '../../../domain/requests/auditEvent';
import { auditEvent, transition } from '../../../domain/requests/changes';
import type { ExportRequest, PackageInfo } from '../../../domain/requests/exportRequest';
import { ConcurrencyConflict } from '../../../domain/requests/requestStore';
import { RequestEvent } from '../../../domain/requests/lifecycle';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const START = new Date('2026-01-31T09:00:00Z');
const PACKAGE: PackageInfo = {
  blobName: 'exports/r/DSR-2026-0001-attempt-1.zip',
  sizeBytes: 1234,
  sha256: 'ab'.repeat(32),
  fileCount: 4,
  generatedAt: START.toISOString(),
};

/** The audit trail of a request as the lifecycle reads it: links issued and revoked, in order. */
function trail(...events: Array<['issued', string] | ['revoked', string]>): AuditEvent[] {
  return events.map(([what, at], i) =>
    what === 'issued'
      ? auditEvent('r', SYSTEM_ACTOR, AuditEventType.LinkIssued, new Date(START.getTime() + i * HOUR_MS), { recipient: 'subject', expiresAt: at })
      : auditEvent('r', SYSTEM_ACTOR, AuditEventType.LinksRevoked, new Date(at), {}),
  );
}

/** Only moves are used: the package changes its name when links are revoked. */
class MovingPackageStore implements PackageStore {
  readonly moves: Array<[string, string]> = [];
  async move(from: string, to: string): Promise<void> {
    this.moves.push([from, to]);
  }
  async createReadLink(blobName: string, expiresAt: Date): Promise<DownloadLink> {
    return { url: `https://packages.example/${blobName}?sig=1`, expiresAt };
  }
  openUpload(): never {
    throw new Error('not used');
  }
  openBlockUpload(): never {
    throw new Error('not used');
  }
  delete(): never {
    throw new Error('not used');
  }
  list(): never {
    throw new Error('not used');
  }
  openRead(): never {
    throw new Error('not used');
  }
}

describe('earlierLinks: where the links sent so far stand, from the audit trail', () => {
  const now = new Date(START.getTime() + 2 * DAY_MS);
  const in3Days = new Date(now.getTime() + 3 * DAY_MS).toISOString();
  const in5Days = new Date(now.getTime() + 5 * DAY_MS).toISOString();
  const yesterday = new Date(now.getTime() - DAY_MS).toISOString();

  it('none sent: nothing works, nothing withdrawn', () => {
    assert.deepEqual(earlierLinks([], now), { withdrawn: 0, expired: 0, working: 0 });
  });

  it('links never revoked keep working until the last of them expires', () => {
    assert.deepEqual(earlierLinks(trail(['issued', in3Days], ['issued', in5Days]), now), {
      withdrawn: 0,
      expired: 0,
      working: 2,
      workUntil: new Date(in5Days),
      stopsBecause: 'expiry',
    });
  });

  it('or until the package is deleted after retention, when that comes first', () => {
    const deletedAt = new Date(now.getTime() + DAY_MS);
    assert.deepEqual(earlierLinks(trail(['issued', in3Days]), now, deletedAt), {
      withdrawn: 0,
      expired: 0,
      working: 1,
      workUntil: deletedAt,
      stopsBecause: 'retention',
    });
    assert.equal(earlierLinks(trail(['issued', in3Days]), now, new Date(in5Days)).stopsBecause, 'expiry');
  });

  it('links sent before a revoke are withdrawn, whatever their expiry; those sent since work', () => {
    const revokedAt = new Date(START.getTime() + DAY_MS).toISOString();
    assert.deepEqual(earlierLinks(trail(['issued', in3Days], ['issued', in5Days], ['revoked', revokedAt]), now), {
      withdrawn: 2,
      revokedAt: new Date(revokedAt),
      expired: 0,
      working: 0,
    });
    assert.deepEqual(earlierLinks(trail(['issued', in5Days], ['revoked', revokedAt], ['issued', in3Days]), now), {
      withdrawn: 1,
      revokedAt: new Date(revokedAt),
      expired: 0,
      working: 1,
      workUntil: new Date(in3Days),
      stopsBecause: 'expiry',
    });
  });

  it('counts links sent since the last revoke that have expired, and each revoke withdraws only what came before it', () => {
    const first = new Date(START.getTime() + HOUR_MS).toISOString();
    const second = new Date(START.getTime() + 3 * HOUR_MS).toISOString();
    const links = earlierLinks(trail(['issued', in5Days], ['revoked', first], ['issued', in5Days], ['revoked', second], ['issued', yesterday]), now);
    assert.deepEqual(links, { withdrawn: 2, revokedAt: new Date(second), expired: 1, working: 0 });
  });
});

describe('PackageLifecycle: revoke tells whoever holds the links; reissue says where earlier links stand (the real SQLite store)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let packages: MovingPackageStore;
  let lifecycle: PackageLifecycle;
  const alex = PEOPLE.alex;

  beforeEach(async () => {
    f = await domainFixture(new FixedClock(START));
    packages = new MovingPackageStore();
    lifecycle = new PackageLifecycle({
      store: f.store,
      packages,
      admins: new ConfiguredAdmins([alex.objectId]),
      clock: f.clock,
      logger: silentLogger,
      retentionMs: 30 * DAY_MS,
    });
  });
  afterEach(() => f.close());

  /** Isaiah's own request with its package written; `delivered` also sends the link (LinkIssued with it, as the dispatcher records it). */
  async function requestWithPackage(options: { delivered: boolean; deliverTo?: 'subject' | 'requester' }): Promise<ExportRequest> {
    const filed = await f.requests.fileForSelf(PEOPLE.isaiah);
    const exporting = transition(filed, RequestEvent.StartExport, SYSTEM_ACTOR, f.clock.now(), { patch: { deliverTo: options.deliverTo ?? 'subject' } });
    await f.store.update(exporting);
    const ready = transition(exporting.request, RequestEvent.ExportSucceeded, SYSTEM_ACTOR, f.clock.now(), { patch: { package: PACKAGE } });
    await f.store.update(ready);
    if (!options.delivered) return ready.request;
    await sendLink(ready.request);
    return (await f.store.get(filed.id))!;
  }

  /** What the dispatcher writes when a link reached its person. */
  async function sendLink(request: ExportRequest): Promise<void> {
    const now = f.clock.now();
    const expiresAt = new Date(now.getTime() + 7 * DAY_MS).toISOString();
    if (request.state === 'ready') {
      await f.store.update(
        transition(request, RequestEvent.Deliver, SYSTEM_ACTOR, now, {
          extraAudit: [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.LinkIssued, now, { recipient: request.deliverTo, expiresAt })],
        }),
      );
    } else {
      await f.store.appendAudit(
        auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.LinkIssued, now, { recipient: request.deliverTo, expiresAt, reissue: true }),
      );
    }
  }

  /** The withdrawals queued since the last look (taken off the outbox, as a dispatcher would). */
  async function withdrawals() {
    const claimed = await f.store.claimNotifications('test', f.clock.now(), 60_000, 100);
    for (const { notification } of claimed) await f.store.completeNotification(notification.id, 'test', 'sent');
    return claimed.map((c) => c.notification).filter((n) => n.kind === NotificationKind.LinksWithdrawn);
  }

  describe('a fresh link for the recipient (the tab’s Download button)', () => {
    it('is given while a link sent to them works, and ends when that one ends, audited as a link', async () => {
      const request = await requestWithPackage({ delivered: true });
      const sentUntil = await lifecycle.workingLinkFor(PEOPLE.isaiah, request);
      assert.ok(sentUntil);
      f.clock.set(new Date(START.getTime() + 2 * DAY_MS).toISOString());
      const link = await lifecycle.freshLinkForRecipient(PEOPLE.isaiah, request);
      assert.equal(link.expiresAt.getTime(), sentUntil.getTime(), 'no more time than the link already sent');
      assert.equal(link.url, `https://packages.example/${PACKAGE.blobName}?sig=1`);
      const issued = (await f.store.auditTrail(request.id)).filter((e) => e.type === AuditEventType.LinkIssued);
      assert.deepEqual(
        issued.map((e) => [e.actor.objectId, e.detail.via ?? null]),
        [
          [SYSTEM_ACTOR.objectId, null],
          [PEOPLE.isaiah.objectId, 'tab'],
        ],
      );
    });

    it('is refused once the links sent have expired', async () => {
      const request = await requestWithPackage({ delivered: true });
      f.clock.set(new Date(START.getTime() + 8 * DAY_MS).toISOString());
      assert.equal(await lifecycle.workingLinkFor(PEOPLE.isaiah, request), undefined);
      await assert.rejects(lifecycle.freshLinkForRecipient(PEOPLE.isaiah, request), /No download link for .* works now/);
    });

    it('is refused once the links were revoked', async () => {
      const request = await requestWithPackage({ delivered: true });
      await lifecycle.revoke(alex, request.reference);
      const revoked = (await f.store.get(request.id))!;
      assert.equal(await lifecycle.workingLinkFor(PEOPLE.isaiah, revoked), undefined);
      await assert.rejects(lifecycle.freshLinkForRecipient(PEOPLE.isaiah, revoked), /No download link for .* works now/);
    });

    it('mints nothing when the request changed under it (a revoke at the same moment), and says so', async () => {
      const request = await requestWithPackage({ delivered: true });
      const update = sinon.stub(f.store, 'update').rejects(new ConcurrencyConflict(request.id));
      const minted = sinon.spy(packages, 'createReadLink');
      try {
        await assert.rejects(lifecycle.freshLinkForRecipient(PEOPLE.isaiah, request), /changed just now/);
        assert.equal(minted.callCount, 0, 'no link');
      } finally {
        update.restore();
        minted.restore();
      }
      const trail = await f.store.auditTrail(request.id);
      assert.equal(trail.filter((e) => e.type === AuditEventType.LinkIssued).length, 1, 'only the link sent before');
    });

    it('records each refusal in the audit trail', async () => {
      const request = await requestWithPackage({ delivered: true });
      await assert.rejects(lifecycle.freshLinkForRecipient(alex, request));
      const refused = (await f.store.auditTrail(request.id)).filter((e) => e.type === AuditEventType.Refused);
      assert.deepEqual(
        refused.map((e) => [e.actor.objectId, e.detail.action]),
        [[alex.objectId, 'download from the tab']],
      );
    });

    it('is given to no one but the recipient, nor before a link was sent', async () => {
      const delivered = await requestWithPackage({ delivered: true });
      await assert.rejects(lifecycle.freshLinkForRecipient(alex, delivered), /Only the person .* was sent to can download it here/);
      assert.equal(await lifecycle.workingLinkFor(alex, delivered), undefined);
      const notSentYet = await requestWithPackage({ delivered: false });
      assert.equal(await lifecycle.workingLinkFor(PEOPLE.isaiah, notSentYet), undefined);
      await assert.rejects(lifecycle.freshLinkForRecipient(PEOPLE.isaiah, notSentYet), /No download link for .* works now/);
    });
  });

  it('revoking links that reached the subject moves the package and, in the same write, queues their withdrawal', async () => {
    const request = await requestWithPackage({ delivered: true });
    const revoked = await lifecycle.revoke(alex, request.reference);
    assert.equal(revoked.recipientTold, true);
    assert.equal(revoked.recipient, 'subject');
    assert.equal(packages.moves.length, 1);
    assert.equal(revoked.request.package!.blobName, packages.moves[0]![1]);
    assert.deepEqual(
      (await withdrawals()).map((n) => [n.recipientId, n.requestId]),
      [[PEOPLE.isaiah.objectId, request.id]],
    );
    const audited = (await f.store.auditTrail(request.id)).filter((e) => e.type === AuditEventType.LinksRevoked);
    assert.deepEqual(
      audited.map((e) => [e.actor.objectId, e.detail.recipientTold]),
      [[alex.objectId, true]],
    );
  });

  it('when the package goes to the filing admin, the withdrawal goes to them', async () => {
    const request = await requestWithPackage({ delivered: true, deliverTo: 'requester' });
    const revoked = await lifecycle.revoke(alex, request.reference);
    assert.equal(revoked.recipient, 'requester');
    assert.deepEqual(
      (await withdrawals()).map((n) => n.recipientId),
      [request.requesterId],
    );
  });

  it('a second revoke with no link sent since tells nobody anything; one after a reissue does', async () => {
    const request = await requestWithPackage({ delivered: true });
    await lifecycle.revoke(alex, request.reference);
    assert.equal((await withdrawals()).length, 1);
    f.clock.advance(HOUR_MS);
    const again = await lifecycle.revoke(alex, request.reference);
    assert.equal(again.recipientTold, false);
    assert.deepEqual(await withdrawals(), []);
    assert.equal(packages.moves.length, 2, 'the links still move: nothing sent in between is left working');
    await sendLink(again.request);
    f.clock.advance(HOUR_MS);
    assert.equal((await lifecycle.revoke(alex, request.reference)).recipientTold, true);
    assert.equal((await withdrawals()).length, 1);
  });

  it('revoking before any link was sent (ready) tells nobody: the link on its way reads the new name', async () => {
    const request = await requestWithPackage({ delivered: false });
    const revoked = await lifecycle.revoke(alex, request.reference);
    assert.equal(revoked.recipientTold, false);
    assert.equal(revoked.request.state, 'ready');
    assert.deepEqual(await withdrawals(), []);
  });

  it('reissue says the earlier links work, until when — and after a revoke, that they were withdrawn', async () => {
    const request = await requestWithPackage({ delivered: true });
    f.clock.advance(HOUR_MS);
    const first = await lifecycle.reissue(alex, request.reference);
    assert.deepEqual(first.earlier, { withdrawn: 0, expired: 0, working: 1, workUntil: new Date(START.getTime() + 7 * DAY_MS), stopsBecause: 'expiry' });
    await lifecycle.revoke(alex, request.reference);
    const afterRevoke = await lifecycle.reissue(alex, request.reference);
    assert.deepEqual(afterRevoke.earlier, { withdrawn: 1, revokedAt: f.clock.now(), expired: 0, working: 0 });
  });
});

describe('what the reissue reply says about earlier links (bot/commands/packageLinkCommands)', () => {
  const ref = 'DSR-2026-0001';
  const at = new Date('2026-03-09T10:00:00Z');
  const revokedAt = new Date('2026-03-02T08:30:00Z');

  it('working links: until when, why then, and how to stop them', () => {
    assert.equal(
      earlierLinksSentence(ref, { withdrawn: 0, expired: 0, working: 1, workUntil: at, stopsBecause: 'expiry' }, 'Europe/Berlin'),
      'Earlier links keep working until Mon 9 Mar 2026, 11:00 CET; type "revoke DSR-2026-0001" to stop every link sent so far.',
    );
    assert.equal(
      earlierLinksSentence(ref, { withdrawn: 0, expired: 0, working: 1, workUntil: at, stopsBecause: 'retention' }, 'UTC'),
      'Earlier links keep working until Mon 9 Mar 2026, 10:00 UTC, when the package is deleted after the retention period; type "revoke DSR-2026-0001" to stop every link sent so far.',
    );
  });

  it('withdrawn links: never "keep working"', () => {
    const withdrawn = earlierLinksSentence(ref, { withdrawn: 2, revokedAt, expired: 0, working: 0 }, 'UTC');
    assert.equal(withdrawn, 'Earlier links were withdrawn by the revoke on Mon 2 Mar 2026, 08:30 UTC and stay withdrawn: only the new link will work.');
    const mixed = earlierLinksSentence(ref, { withdrawn: 1, revokedAt, expired: 0, working: 1, workUntil: at, stopsBecause: 'expiry' }, 'UTC');
    assert.equal(
      mixed,
      'Links sent before the revoke on Mon 2 Mar 2026, 08:30 UTC stay withdrawn; those sent since keep working until Mon 9 Mar 2026, 10:00 UTC; type "revoke DSR-2026-0001" to stop every link sent so far.',
    );
    assert.match(
      earlierLinksSentence(ref, { withdrawn: 1, revokedAt, expired: 1, working: 0 }, 'UTC'),
      /withdrawn by the revoke on .* or have expired: only the new link will work/,
    );
  });

  it('expired links, and none at all', () => {
    assert.equal(earlierLinksSentence(ref, { withdrawn: 0, expired: 2, working: 0 }, 'UTC'), 'Earlier links have expired: only the new link will work.');
    assert.equal(earlierLinksSentence(ref, { withdrawn: 0, expired: 0, working: 0 }, 'UTC'), 'No link was sent before this one.');
  });
});

describe('what the revoke reply says the person holding the links is told (bot/commands/packageLinkCommands)', () => {
  const delivered = { reference: 'DSR-2026-0001', state: 'delivered', subject: { displayName: 'Isaiah Langer' } } as ExportRequest;

  it('the subject: their cards say the link was withdrawn and what next, never why', () => {
    const said = revokeToldSentence({ request: delivered, recipient: 'subject', recipientTold: true });
    assert.match(said, /^Isaiah Langer's download cards are being changed to say the link was withdrawn by the privacy team/);
    assert.match(said, /the privacy team can send a new link \(quoting DSR-2026-0001\)/);
    assert.match(said, /if a card is gone, a short message says so instead\. They are not told why\.$/);
  });

  it('the filing admin who received the package: their own cards', () => {
    assert.match(
      revokeToldSentence({ request: delivered, recipient: 'requester', recipientTold: true }),
      /^Your download cards are being changed to say the link was withdrawn/,
    );
  });

  it('nobody, when no link had been sent (ready) or none since the last revoke', () => {
    assert.equal(
      revokeToldSentence({ request: { ...delivered, state: 'ready' }, recipient: 'subject', recipientTold: false }),
      'No link had been sent yet, so nobody is told anything; the link on its way to Isaiah Langer will be a new one that works.',
    );
    assert.equal(
      revokeToldSentence({ request: delivered, recipient: 'subject', recipientTold: false }),
      'No link was sent since the last revoke, so Isaiah Langer is told nothing new.',
    );
  });
});
