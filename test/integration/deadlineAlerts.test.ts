import assert from 'node:assert/strict';
import { CardVerb } from '../../cards';
import { userActor } from '../../domain/actor';
import { RequestState } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo, textOf, toChannel } from '../helpers/cardQueries';
import { FixedClock } from '../helpers/domainFixture';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';

const DAY = 24 * 3600_000;
const WAIT = { timeoutMs: 20_000 };

/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

/** The clock's work as people see it in Teams: reminders, channel alerts, closing unconfirmed requests, the digest. */
describe('deadline alerts in Teams (a controllable clock)', function () {
  this.timeout(60_000);
  let world: World;
  let running: RunningDesk;
  const clock = new FixedClock(new Date('2026-03-02T05:00:00Z'));

  before(async () => {
    world = await startWorld();
    running = await startDesk(world, { env: { PRIVACY_DESK_TIME_ZONE: 'Europe/Berlin', DAILY_DIGEST: 'true', DIGEST_HOUR: '8' }, overrides: { clock } });
    await running.teams.say(PERSON.alex, 'notify here', { channelId: '19:privacy@thread.tacv2', teamId: '19:team@thread.tacv2' });
    await running.teams.install(PERSON.alex);
    await running.teams.install(PERSON.megan);
  });
  after(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  const channelCards = (pattern: RegExp) => world.connector.sent().filter((c) => toChannel(c) && pattern.test(textOf(cardOf(c) ?? {})));

  it('reminds the subject with the same card, alerts the channel, then closes the request and tells everyone', async () => {
    const megan = await running.desk.requests.findSubject(userActor(PERSON.alex.objectId), 'meganb@example.com');
    const request = await running.desk.requests.file(userActor(PERSON.alex.objectId), { subject: megan, regime: 'gdpr', receivedOn: '2026-03-02' });
    const meganChat = sentTo(`a:personal-${PERSON.megan.objectId}`);
    const askCards = () => world.connector.sent().filter((c) => meganChat(c) && actionsOf(cardOf(c) ?? {}).some((a) => a.verb === CardVerb.Approve));
    await eventually(async () => askCards().length === 1, 'the confirmation card');

    clock.advance(DAY);
    await eventually(async () => askCards().length === 2, 'the day-1 reminder');
    assert.match(String(askCards()[1]!.activity.summary), /^Reminder/);

    clock.advance(4 * DAY);
    await world.connector.waitFor((c) => toChannel(c) && /has not answered yet/.test(textOf(cardOf(c) ?? {})), WAIT);

    // Past the lapse period but before the due date: the subject may still answer, so the request stays open.
    clock.advance(9 * DAY);
    await running.desk.jobs.drain();
    assert.equal((await running.desk.store.get(request.id))!.state, RequestState.AwaitingConfirmation);

    clock.set('2026-04-02T06:00:00Z'); // the due date, 08:00 in Berlin
    await eventually(async () => (await running.desk.store.get(request.id))!.state === RequestState.Unconfirmed && true, 'closing as unconfirmed');
    await world.connector.waitFor((c) => meganChat(c) && /was closed/.test(textOf(cardOf(c) ?? {})), WAIT);
    await world.connector.waitFor((c) => toChannel(c) && /did not confirm in time/.test(textOf(cardOf(c) ?? {})), WAIT);
    await world.connector.waitFor((c) => sentTo(`a:personal-${PERSON.alex.objectId}`)(c) && /did not confirm in time/.test(textOf(cardOf(c) ?? {})), WAIT);
    assert.equal(askCards().length, 3, 'reminders on days 1 and 3 only');
  });

  it('posts one morning digest a day to the channel', async () => {
    const before = channelCards(/Privacy Desk — /).length;
    clock.set('2026-04-10T05:30:00Z'); // 07:30 in Berlin (summer time)
    await running.desk.jobs.drain();
    assert.equal(channelCards(/Privacy Desk — /).length, before);
    clock.set('2026-04-10T06:05:00Z'); // 08:05
    await world.connector.waitFor(() => channelCards(/Privacy Desk — Fri 10 Apr 2026/).length === 1, WAIT);
    await running.desk.jobs.drain();
    assert.equal(channelCards(/Privacy Desk — Fri 10 Apr 2026/).length, 1);
  });
});
