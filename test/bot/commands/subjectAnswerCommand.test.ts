import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import sinon from 'sinon';
import type { CommandScope, CommandTurn } from '../../../bot/commands/command';
import { PausedRequestAnswer } from '../../../bot/commands/subjectAnswerCommand';
import { userActor, type Actor } from '../../../domain/actor';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { MAX_ANSWERS_PER_PAUSE } from '../../../domain/requests/requestService';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

const NOT_UNDERSTOOD = "I didn't understand that.";

describe('PausedRequestAnswer: a subject answers a paused request by typing (TestAdapter)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let command: PausedRequestAnswer;

  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
    command = new PausedRequestAnswer(f.requests);
  });
  afterEach(() => {
    sinon.restore();
    return f.close();
  });

  async function pausedFor(query: string, reason = 'A copy of your ID card'): Promise<ExportRequest> {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject(query), regime: 'gdpr', receivedOn: '2026-01-31' });
    return f.requests.pause(PEOPLE.alex, request.reference, reason);
  }

  /**
   * Plays the bot's message handling as the lead wires it: the command when its pattern matches, else
   * tryAnswer as the last resort before "I didn't understand that". Returns every reply's text.
   */
  async function say(who: Actor, message: Partial<Activity> & { text?: string }, scope: CommandScope = 'personal'): Promise<string[]> {
    const replies: string[] = [];
    const adapter = new TestAdapter(async (context) => {
      const turn: CommandTurn = { context, actor: userActor(context.activity.from.aadObjectId!), scope };
      const text = (context.activity.text ?? '').replace(/\s+/g, ' ').trim();
      const match = command.pattern.exec(text);
      if (match) return command.handle({ ...turn, ...(match[1] ? { argument: match[1].trim() } : {}) });
      if (!(await command.tryAnswer(turn))) await context.sendActivity(NOT_UNDERSTOOD);
    });
    adapter.onTurnError = async (_context, error) => {
      throw error;
    };
    const from = { id: `29:${who.objectId}`, name: 'someone', aadObjectId: who.objectId };
    await adapter.send({ type: ActivityTypes.Message, from, ...message } as Partial<Activity>);
    for (let reply = adapter.activeQueue.shift(); reply; reply = adapter.activeQueue.shift()) replies.push(reply.text ?? '');
    return replies;
  }

  const answersOf = async (request: ExportRequest) => ((await f.store.get(request.id))!.subjectAnswers ?? []).map((a) => a.text);

  it('with nothing paused for the sender: not an answer (the bot says it did not understand), nothing recorded', async () => {
    const request = await pausedFor('meganb@example.com');
    assert.deepEqual(await say(PEOPLE.isaiah, { text: 'Here is my ID' }), [NOT_UNDERSTOOD]);
    assert.deepEqual(await say(PEOPLE.alex, { text: 'Here is my ID' }), [NOT_UNDERSTOOD], 'the admin who paused is not the subject');
    assert.deepEqual(await answersOf(request), []);
  });

  it('one request waiting: the message is the answer, line breaks kept; the subject is told it was sent and the clock stays paused', async () => {
    const request = await pausedFor('meganb@example.com');
    const replies = await say(PEOPLE.megan, { text: 'Here is my ID:\n  staff number 4711' });
    assert.deepEqual(replies, [`Sent to the privacy team as your answer about ${request.reference}. The clock stays paused until they resume it.`]);
    assert.deepEqual(await answersOf(request), ['Here is my ID:\n  staff number 4711']);
    assert.ok((await f.store.get(request.id))!.pause, 'still paused');
  });

  it('a message that starts with the reference: the reference is dropped; the reference alone asks for the answer', async () => {
    const request = await pausedFor('meganb@example.com');
    assert.match((await say(PEOPLE.megan, { text: `${request.reference.toLowerCase()}: my staff number is 4711` }))[0]!, /^Sent to the privacy team/);
    assert.deepEqual(await answersOf(request), ['my staff number is 4711']);
    assert.deepEqual(await say(PEOPLE.megan, { text: request.reference }), [`What is your answer about ${request.reference}? Write it after the reference.`]);
    assert.deepEqual(await answersOf(request), ['my staff number is 4711']);
  });

  it('`answer [reference] <text>` does the same; with nothing waiting it says so', async () => {
    assert.deepEqual(await say(PEOPLE.megan, { text: 'answer my staff number is 4711' }), [
      'Nothing of yours is waiting for an answer, so nothing was sent. Type "help" to see what I can do.',
    ]);
    const request = await pausedFor('meganb@example.com');
    assert.match((await say(PEOPLE.megan, { text: `answer ${request.reference} my staff number\nis 4711` }))[0]!, /^Sent to the privacy team/);
    assert.deepEqual(await answersOf(request), ['my staff number\nis 4711']);
  });

  it('a long answer is cut, and the reply says only the first 1,000 characters were sent', async () => {
    const request = await pausedFor('meganb@example.com');
    const [reply] = await say(PEOPLE.megan, { text: 'word '.repeat(400) });
    assert.match(reply!, /Your answer was longer than 1,000 characters, so only the first 1,000 were sent\. Send the rest as a reply here\./);
    assert.equal((await answersOf(request))[0]!.length, 1000);
  });

  it(`after ${MAX_ANSWERS_PER_PAUSE} answers the next is refused with a sentence, in the subject’s language`, async () => {
    const request = await pausedFor('adelev@example.com'); // Adele reads German
    for (let i = 1; i <= MAX_ANSWERS_PER_PAUSE; i += 1) assert.match((await say(PEOPLE.adele, { text: `Antwort ${i}` }))[0]!, /^Als Ihre Antwort zu DSR-/);
    assert.deepEqual(await say(PEOPLE.adele, { text: 'noch eine' }), [
      `Sie haben bereits ${MAX_ANSWERS_PER_PAUSE} Antworten zu ${request.reference} gesendet, und das Datenschutzteam hat sie alle erhalten; diese wurde daher nicht gesendet. Das Team meldet sich bei Ihnen.`,
    ]);
    assert.equal((await answersOf(request)).length, MAX_ANSWERS_PER_PAUSE);
  });

  it('never in a channel: a message there is not an answer', async () => {
    const request = await pausedFor('meganb@example.com');
    assert.equal(await command.tryAnswer({ context: {} as never, actor: PEOPLE.megan, scope: 'channel' }), false);
    assert.deepEqual(await answersOf(request), []);
  });

  it('files or pictures without words: nothing is sent, and the subject is told to write; the copy Teams adds to text is not a file', async () => {
    const request = await pausedFor('meganb@example.com');
    const picture = { contentType: 'image/png', contentUrl: 'https://teams.example/picture.png' };
    assert.deepEqual(await say(PEOPLE.megan, { text: '', attachments: [picture] }), [
      'I can only pass written answers to the privacy team, not files or pictures, so nothing was sent. Write your answer here; if they need a document, they will tell you how to send it safely.',
    ]);
    assert.deepEqual(await say(PEOPLE.megan, { text: '', attachments: [{ contentType: 'text/html', content: '<p></p>' }] }), [NOT_UNDERSTOOD]);
    assert.match(
      (await say(PEOPLE.megan, { text: 'staff number 4711', attachments: [{ contentType: 'text/html', content: '<p>staff number 4711</p>' }] }))[0]!,
      /^Sent to the privacy team/,
    );
    assert.deepEqual(await answersOf(request), ['staff number 4711']);
  });

  it('several requests waiting: asks which (never guesses); a message naming one answers it', async () => {
    const request = await pausedFor('meganb@example.com');
    // One open request per subject is the rule today; two waiting are made up for the reader.
    const other = { ...request, id: '6f1e2d3c-0000-4000-8000-000000000099', reference: 'DSR-2026-0099' };
    sinon.stub(f.requests, 'awaitingAnswerFrom').resolves([request, other]);
    assert.deepEqual(await say(PEOPLE.megan, { text: 'my staff number is 4711' }), [
      `Which request are you answering? ${request.reference} and DSR-2026-0099 are waiting for an answer from you. Start your message with the reference, for example "${request.reference} my new postal address is …".`,
    ]);
    assert.deepEqual(await answersOf(request), []);
    assert.match((await say(PEOPLE.megan, { text: `${request.reference} my staff number is 4711` }))[0]!, /^Sent to the privacy team/);
    assert.deepEqual(await answersOf(request), ['my staff number is 4711']);
  });
});
