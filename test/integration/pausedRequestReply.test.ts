import assert from 'node:assert/strict';
import { CardVerb } from '../../cards';
import { userActor } from '../../domain/actor';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { CapturedActivity } from '../support/botConnector';
import { actionsOf, cardOf, sentTo, textOf, textOfActivity } from '../helpers/cardQueries';
import { PERSON, useDesk } from '../helpers/harness';
import type { TeamsPerson } from '../helpers/teamsClient';

const WAIT = { timeoutMs: 20_000 };
const PRIVACY_CHANNEL = { channelId: '19:privacy-team@thread.tacv2', teamId: '19:team@thread.tacv2' };
const NOT_UNDERSTOOD = /I didn't understand that/;

/** The fields of a card's button these tests read: an Action.Execute's verb and data. */

/** The buttons of a card the bot sent (actionsOf leaves them untyped). */

/**
 * The subject answers a paused request by replying in the chat, instead of "I didn't understand that"
 * (issue 11, point 5). Needs the bot's fallback to PausedRequestAnswer.tryAnswer (bot/privacyDeskBot.ts).
 */
describe('a paused request over HTTP: the subject answers by replying in the chat', function () {
  this.timeout(60_000);
  const suite = useDesk();

  const connector = () => suite.world.connector;
  const personal = (p: { objectId: string }) => `a:personal-${p.objectId}`;
  /** The activity's card has a `verb` button for this request (each test has its own request; earlier ones' cards are still captured). */
  const carries = (verb: string, request: ExportRequest) => (c: CapturedActivity) =>
    actionsOf(cardOf(c) ?? {}).some((a) => a.verb === verb && a.data?.requestId === request.id);

  async function turn(person: TeamsPerson, text: string): Promise<string> {
    const before = connector().sent().length;
    const result = await suite.running.teams.say(person, text);
    assert.equal(result.status, 200, `"${text}" was answered ${result.status}`);
    return connector()
      .sent()
      .slice(before)
      .filter(sentTo(personal(person)))
      .map(textOfActivity)
      .join('\n');
  }

  before(async () => {
    for (const person of [PERSON.alex, PERSON.megan, PERSON.isaiah]) await suite.running.teams.install(person);
    await suite.running.teams.say(PERSON.alex, 'notify here', PRIVACY_CHANNEL);
  });

  /**
   * A request about Megan, filed by Alex, not paused. Megan may have one open request at a time: one an
   * earlier test left open is cancelled first. Filed through the service, which does not kick the
   * background jobs as a turn does: they are drained, so nothing of the setup is still on its way.
   */
  async function filedRequest(): Promise<ExportRequest> {
    const { requests, store, jobs } = suite.running.desk;
    const alex = userActor(PERSON.alex.objectId);
    const open = await store.findOpenBySubject(PERSON.megan.objectId);
    if (open) await requests.cancel(alex, open.id, 'the next test files its own request');
    const request = await requests.file(alex, {
      subject: await requests.findSubject(alex, 'meganb@example.com'),
      regime: 'gdpr',
      receivedOn: requests.today(),
    });
    await jobs.drain();
    return request;
  }

  /** A filed request (above) that Alex paused, and Megan answered once by replying in her chat; drained. */
  async function pausedRequestAnsweredOnce(): Promise<ExportRequest> {
    const request = await filedRequest();
    await turn(PERSON.alex, `pause ${request.reference} Your staff number, please`);
    await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && carries(CardVerb.Answer, request)(c), WAIT);
    await turn(PERSON.megan, 'Here is my ID: **4711** <at>Alex Wilber</at>');
    await connector().waitFor((c) => sentTo(personal(PERSON.alex))(c) && carries(CardVerb.Resume, request)(c), WAIT);
    await suite.running.desk.jobs.drain();
    return request;
  }

  it('before any pause, a plain message from the subject is not understood', async () => {
    await filedRequest();
    assert.match(await turn(PERSON.megan, 'Here is my ID'), NOT_UNDERSTOOD);
  });

  it('paused: the subject’s reply is their answer — recorded, sent to the admin with "Resume the clock", the subject told; the clock stays paused', async () => {
    const request = await filedRequest();
    assert.match(await turn(PERSON.alex, `pause ${request.reference} Your staff number, please`), /stands still from today/);
    await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && carries(CardVerb.Answer, request)(c), WAIT);

    const reply = await turn(PERSON.megan, 'Here is my ID: **4711** <at>Alex Wilber</at>');
    assert.match(reply, new RegExp(`Sent to the privacy team as your answer about ${request.reference}\\. The clock stays paused until they resume it\\.`));
    assert.doesNotMatch(reply, NOT_UNDERSTOOD);
    const stored = (await suite.running.desk.store.get(request.id))!;
    assert.deepEqual(
      stored.subjectAnswers?.map((a) => a.text),
      ['Here is my ID: **4711** <at>Alex Wilber</at>'],
    );
    assert.ok(stored.pause);

    const answered = await connector().waitFor((c) => sentTo(personal(PERSON.alex))(c) && carries(CardVerb.Resume, request)(c), WAIT);
    assert.ok(textOf(cardOf(answered)).includes('Here is my ID: **4711** <at>Alex Wilber</at>'));
  });

  it('known commands still win over the answer', async () => {
    const request = await pausedRequestAnsweredOnce();
    const reply = await turn(PERSON.megan, 'help');
    assert.match(reply, /Privacy Desk/);
    assert.equal((await suite.running.desk.store.get(request.id))!.subjectAnswers?.length, 1);
  });

  it('someone with nothing paused is still not understood; after `resume` neither is the subject', async () => {
    const request = await pausedRequestAnsweredOnce();
    assert.match(await turn(PERSON.isaiah, 'Here is my ID'), NOT_UNDERSTOOD);
    assert.match(await turn(PERSON.alex, `resume ${request.reference}`), /running again/);
    assert.match(await turn(PERSON.megan, 'One more thing'), NOT_UNDERSTOOD);
    assert.equal((await suite.running.desk.store.get(request.id))!.subjectAnswers?.length, 1);
  });
});
