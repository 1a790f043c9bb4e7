import assert from 'node:assert/strict';
import { formatInstantForPeople } from '../../cards/packageReadyCard';
import { LINK_WITHDRAWN_CARD_TEXT } from '../../cards/text/linkWithdrawnCard.text';
import { userActor } from '../../domain/actor';
import { NotificationKind } from '../../domain/delivery/notification';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import type { CapturedActivity } from '../support/botConnector';
import { actionsOf, cardOf, eventually, sentTo, textOfActivity, type CardAction } from '../helpers/cardQueries';
import { FixedClock } from '../helpers/domainFixture';
import type { TeamsPerson } from '../helpers/teamsClient';
import { PERSON, packageBlobs, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';

const WAIT = { timeoutMs: 20_000 };
const DAY_MS = 24 * 3600_000;

/** The fields of a card's button these tests read: its kind and an Action.OpenUrl's link. */

/** The buttons of a card the bot sent (actionsOf leaves them untyped). */

/** The link of a download button; fails the test if the button has none. */
function linkOf(button: CardAction): string {
  assert.ok(button.url, 'a download button carries its link');
  return button.url;
}

describe('a package’s links and life: reissue, revoke, retention', function () {
  this.timeout(90_000);
  let world: World;
  let running: RunningDesk;
  let clock: FixedClock;
  const isaiahChat = `a:personal-${PERSON.isaiah.objectId}`;
  const linksToIsaiah = () =>
    world.connector
      .sent()
      .filter((c) => sentTo(isaiahChat)(c))
      .flatMap((c) =>
        actionsOf(cardOf(c) ?? {})
          .filter((a) => a.type === 'Action.OpenUrl')
          .map(linkOf),
      );
  const opensUrl = (c: CapturedActivity) => actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl');
  /** The download cards Isaiah was sent (new messages, not updates), oldest first. */
  const linkCardsToIsaiah = () => world.connector.sent().filter((c) => sentTo(isaiahChat)(c) && c.operation !== 'updateActivity' && opensUrl(c));
  /** Updates in place of those download cards (the progress card is updated in place too, and is left out). */
  const updatesToIsaiah = () => {
    const cardIds = new Set(linkCardsToIsaiah().map((c) => c.activityId));
    return world.connector.sent().filter((c) => sentTo(isaiahChat)(c) && c.operation === 'updateActivity' && cardIds.has(c.activityId));
  };
  const withdrawnSentence = () => LINK_WITHDRAWN_CARD_TEXT.en.withdrawn(reference);
  const noticesToIsaiah = () =>
    world.connector
      .sent()
      .filter(
        (c) => sentTo(isaiahChat)(c) && c.operation !== 'updateActivity' && textOfActivity(c).includes(LINK_WITHDRAWN_CARD_TEXT.en.noticeTitle(reference)),
      );
  const trailOf = async (type: string) => (await running.desk.store.auditTrail(requestId)).filter((e) => e.type === type);

  async function say(person: TeamsPerson, text: string): Promise<string> {
    const before = world.connector.sent().length;
    assert.equal((await running.teams.say(person, text)).status, 200);
    return world.connector
      .sent()
      .slice(before)
      .filter(sentTo(`a:personal-${person.objectId}`))
      .map(textOfActivity)
      .join('\n');
  }

  let reference: string;
  let requestId: string;

  /**
   * Each test has its own storage, Connector, desk and clock, and a request of Isaiah's whose package
   * was delivered to him: what the tests count (links and cards sent to Isaiah, packages in storage)
   * is their own. Whatever more a test starts from, it builds with the helpers below.
   */
  beforeEach(async () => {
    clock = new FixedClock(new Date());
    world = await startWorld();
    running = await startDesk(world, { env: { PACKAGE_RETENTION_DAYS: '1' }, overrides: { clock } });
    await running.teams.install(PERSON.alex);
    await running.teams.install(PERSON.isaiah);
    reference = /request (DSR-\d{4}-\d{4})/.exec(await say(PERSON.isaiah, 'export my data gdpr'))![1]!;
    requestId = (await running.desk.store.getByReference(reference))!.id;
    await eventually(async () => (await running.desk.store.get(requestId))!.state === RequestState.Delivered, 'delivery');
    await running.desk.jobs.drain();
  });
  afterEach(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  // The service calls below do not kick the background jobs as a turn does: draining them sends what they queued.

  /** Alex reissues the link a minute later (the clock is frozen in this suite): Isaiah has a second download card. */
  async function reissueLink(): Promise<void> {
    clock.advance(60_000);
    await running.desk.lifecycle.reissue(userActor(PERSON.alex.objectId), reference);
    await running.desk.jobs.drain();
  }

  /** Alex revokes every link sent so far: the cards that carried one are changed to say it was withdrawn. */
  async function revokeLinks(): Promise<void> {
    await running.desk.lifecycle.revoke(userActor(PERSON.alex.objectId), reference);
    await running.desk.jobs.drain();
  }

  it('reissue sends a fresh link without exporting again; both work, and its reply says until when the first one does', async () => {
    assert.equal(linksToIsaiah().length, 1);
    clock.advance(60_000); // the clock is frozen in this suite; a real reissue happens later than the first link
    const reply = await say(PERSON.alex, `reissue ${reference}`);
    assert.match(reply, /fresh download link .* is on its way to Isaiah Langer/);
    // The first link expires in 7 days, but this suite keeps packages 1 day: the package goes first.
    const { generatedAt } = (await running.desk.store.get(requestId))!.package!;
    const deletedAt = formatInstantForPeople(new Date(Date.parse(generatedAt) + DAY_MS), 'UTC');
    assert.ok(
      reply.includes(
        `Earlier links keep working until ${deletedAt}, when the package is deleted after the retention period; type "revoke ${reference}" to stop every link sent so far.`,
      ),
      reply,
    );
    await world.connector.waitFor((c) => sentTo(isaiahChat)(c) && linksToIsaiah().length === 2, WAIT);
    const [first, second] = linksToIsaiah();
    assert.notEqual(first, second);
    for (const url of [first!, second!]) assert.equal((await fetch(url)).status, 200);
    const stored = (await running.desk.store.get(requestId))!;
    assert.equal(stored.exportAttempts, 1, 'not exported again');
    assert.equal((await packageBlobs(world)).length, 1);
    const issued = (await running.desk.store.auditTrail(requestId)).filter((e) => e.type === AuditEventType.LinkIssued);
    assert.deepEqual(
      issued.map((e) => e.detail.reissue ?? false),
      [false, true],
    );
  });

  it('only admins may reissue or revoke', async () => {
    assert.match(await say(PERSON.isaiah, `revoke ${reference}`), /Only privacy admins can revoke links/);
    assert.match(await say(PERSON.isaiah, `reissue ${reference}`), /Only privacy admins can reissue a link/);
    for (const url of linksToIsaiah()) assert.equal((await fetch(url)).status, 200);
  });

  it('revoke makes every existing link stop working, and changes each card that carried one to say it was withdrawn', async () => {
    await reissueLink();
    const before = linksToIsaiah();
    const cards = linkCardsToIsaiah();
    assert.equal(cards.length, 2);
    const reply = await say(PERSON.alex, `revoke ${reference}`);
    assert.match(reply, /has stopped working/);
    assert.ok(
      reply.includes(
        "Isaiah Langer's download cards are being changed to say the link was withdrawn by the privacy team and that, if they still need their data, the privacy team can send a new link",
      ),
      reply,
    );
    // The package moved to an unguessable name: old links find nothing (storage answers 404 BlobNotFound).
    for (const url of before) assert.equal((await fetch(url)).status, 404, 'a revoked link must not download');

    // Both cards, updated in place: same activity, no download button, the withdrawn sentence.
    await eventually(async () => updatesToIsaiah().length >= cards.length, 'both download cards updated in place');
    await running.desk.jobs.drain();
    const updates = updatesToIsaiah();
    assert.deepEqual(updates.map((u) => u.activityId).sort(), cards.map((c) => c.activityId).sort());
    for (const update of updates) {
      assert.equal(opensUrl(update), false, 'a withdrawn card has no download button');
      assert.ok(textOfActivity(update).includes(withdrawnSentence()), textOfActivity(update));
      assert.ok(textOfActivity(update).includes(`the privacy team can send you a new link: contact them and quote ${reference}`));
    }
    assert.deepEqual(noticesToIsaiah(), [], 'every card could be changed: no notice on top');
    assert.deepEqual(
      (await trailOf(AuditEventType.LinksRevoked)).map((e) => e.detail.recipientTold),
      [true],
    );
    assert.deepEqual((await trailOf(AuditEventType.NotificationSent)).filter((e) => e.detail.kind === NotificationKind.LinksWithdrawn).length, 1);
  });

  it('a reissue after the revoke sends a new working card, says the earlier links stay withdrawn, and leaves the old cards withdrawn', async () => {
    await reissueLink();
    await revokeLinks();
    const updatesBefore = updatesToIsaiah().length;
    const cardsBefore = linkCardsToIsaiah().length;
    const revokedAt = formatInstantForPeople(new Date((await trailOf(AuditEventType.LinksRevoked))[0]!.at), 'UTC');
    clock.advance(60_000);
    const reply = await say(PERSON.alex, `reissue ${reference}`);
    assert.ok(reply.includes(`Earlier links were withdrawn by the revoke on ${revokedAt} and stay withdrawn: only the new link will work.`), reply);
    assert.ok(!/keep working/.test(reply), reply);
    await world.connector.waitFor(() => linkCardsToIsaiah().length === cardsBefore + 1, WAIT);
    await running.desk.jobs.drain();
    assert.equal((await fetch(linksToIsaiah().at(-1)!)).status, 200);
    assert.equal(updatesToIsaiah().length, updatesBefore, 'the old cards stay withdrawn, the new one is left alone');
    assert.equal((await packageBlobs(world)).length, 1, 'still exactly one package');
  });

  it('a card that cannot be changed in place (gone) gets one short notice instead', async () => {
    // Two cards withdrawn by a first revoke, and a newer card from a reissue after it.
    await reissueLink();
    await revokeLinks();
    await reissueLink();
    const newest = linkCardsToIsaiah().at(-1)!;
    const link = linksToIsaiah().at(-1)!;
    const updatesBefore = updatesToIsaiah().length;
    // The next call to the Connector — changing the newest card — finds it gone.
    world.connector.failNext(404);
    const revoked = await running.desk.lifecycle.revoke(userActor(PERSON.alex.objectId), reference);
    assert.equal(revoked.recipientTold, true);
    await running.desk.jobs.drain();
    await world.connector.waitFor((c) => noticesToIsaiah().includes(c), WAIT);
    const failed = world.connector.requests.filter((r) => r.injectedFailure);
    assert.deepEqual(
      failed.map((r) => [r.method, decodeURIComponent(r.path).endsWith(`/activities/${newest.activityId}`)]),
      [['PUT', true]],
    );
    const notices = noticesToIsaiah();
    assert.equal(notices.length, 1, 'one notice');
    assert.equal(opensUrl(notices[0]!), false);
    assert.ok(textOfActivity(notices[0]!).includes('the privacy team can send you a new link'));
    assert.equal(updatesToIsaiah().length, updatesBefore, 'the cards withdrawn before are not touched again');
    assert.equal((await fetch(link)).status, 404);
    assert.equal((await trailOf(AuditEventType.NotificationSent)).filter((e) => e.detail.kind === NotificationKind.LinksWithdrawn).length, 2);
  });

  it('deletes the package after the retention period; the record and its trail stay', async () => {
    clock.advance(2 * DAY_MS);
    await running.desk.jobs.drain();
    const purged = (await running.desk.store.get(requestId))!;
    assert.equal(purged.state, RequestState.Purged);
    assert.equal(purged.package, undefined);
    assert.deepEqual(await packageBlobs(world), []);
    for (const url of linksToIsaiah()) assert.notEqual((await fetch(url)).status, 200);
    const trail = await running.desk.store.auditTrail(requestId);
    assert.equal(trail.filter((e) => e.type === AuditEventType.PackageDeleted).length, 1);
    assert.deepEqual(
      trail
        .filter((e) => e.type === AuditEventType.Transitioned)
        .slice(-2)
        .map((e) => e.detail.to),
      [RequestState.Completed, RequestState.Purged],
    );
    assert.match(await say(PERSON.alex, `reissue ${reference}`), /has no package to send again.*Nothing was changed/);
  });
});
