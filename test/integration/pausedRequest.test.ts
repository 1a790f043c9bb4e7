import assert from 'node:assert/strict';
import { CardVerb, SUBJECT_ANSWER_INPUT } from '../../cards';
import { userActor } from '../../domain/actor';
import { AuditEventType } from '../../domain/requests/auditEvent';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { RequestState } from '../../domain/requests/lifecycle';
import { MAX_SUBJECT_ANSWER } from '../../domain/requests/requestService';
import type { CapturedActivity } from '../support/botConnector';
import { actionsOf, cardOf, sentTo, textOf, textOfActivity, toChannel } from '../helpers/cardQueries';
import { PERSON, useDesk } from '../helpers/harness';
import type { TeamsPerson } from '../helpers/teamsClient';
import { isMarkdownField, isTextRun, stringFields } from '../cards/support/cardTree';

const WAIT = { timeoutMs: 20_000 };
const PRIVACY_CHANNEL = { channelId: '19:privacy-team@thread.tacv2', teamId: '19:team@thread.tacv2' };
const PATTI = { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', name: 'Patti Fernandez' } as const;
const ASKED = 'A copy of your ID card, or your staff number';
/** What a subject might write: Markdown, a mention, a text function and a template expression. */
const HOSTILE = '[click](https://evil.example) **bold** <at>Alex Wilber</at> {{DATE(2026-03-01T10:00:00Z, SHORT)}} ${reference}\nMy staff number is 4711.';
const HOSTILE_SHOWN = HOSTILE.replace('{{', '{\u200B{');
/** An answer longer than MAX_SUBJECT_ANSWER: it is kept cut. */
const LONG_ANSWER = `${'The rest of my answer. '.repeat(80)}END`;

/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

/** The paused-request notice: where its answer field is. */
interface NoticeCard {
  readonly body: readonly { readonly type: string; readonly id?: string }[];
}

/** What the bot answers to an Action.Execute: the card that replaces the clicked one. */
interface InvokeAnswer {
  readonly status: number;
  readonly body: { readonly type: string; readonly value: unknown };
}

describe('a paused request over HTTP: the subject is asked, and their answer reaches the admins (issue 11, point 5)', function () {
  this.timeout(60_000);
  const suite = useDesk({ env: { PRIVACY_ADMIN_IDS: `${PERSON.alex.objectId},${PATTI.objectId}` } });

  const connector = () => suite.world.connector;
  const teams = () => suite.running.teams;
  const store = () => suite.running.desk.store;
  const personal = (p: { objectId: string }) => `a:personal-${p.objectId}`;
  /** The activity's card has a `verb` button for this request (each test has its own request; earlier ones' cards are still captured). */
  const carries = (verb: string, request: ExportRequest) => (c: CapturedActivity) =>
    actionsOf(cardOf(c) ?? {}).some((a) => a.verb === verb && a.data?.requestId === request.id);

  /** Says `text` in the person's 1:1 chat; returns what the bot answered there. */
  async function turn(person: TeamsPerson, text: string): Promise<string> {
    const before = connector().sent().length;
    const result = await teams().say(person, text);
    assert.equal(result.status, 200, `"${text}" was answered ${result.status}`);
    return connector()
      .sent()
      .slice(before)
      .filter(sentTo(personal(person)))
      .map(textOfActivity)
      .join('\n');
  }

  /** Clicks an Action.Execute; returns the card that replaces the clicked one. */
  async function click(person: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<unknown> {
    const answer: InvokeAnswer = await teams().invoke(person, verb, data);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.type, 'application/vnd.microsoft.card.adaptive');
    return answer.body.value;
  }

  /** Everything sent since `index` that matches (drain the background jobs first, so nothing is still on its way). */
  function sentSince(index: number, predicate: (c: CapturedActivity) => boolean): CapturedActivity[] {
    return connector().sent().slice(index).filter(predicate);
  }

  /** A user string is on a card only in TextRuns, as typed (the text function's braces split); nowhere as Markdown. */
  function assertInert(card: unknown, what: string): void {
    const fields = stringFields(card).filter((f) => f.value.includes('evil.example'));
    assert.ok(fields.length > 0, `${what}: the answer is on the card`);
    for (const f of fields) {
      assert.ok(isTextRun(f), `${what}: ${f.path} holds the answer outside a TextRun`);
      assert.equal(f.value, HOSTILE_SHOWN, `${what}: ${f.path}`);
    }
    for (const f of stringFields(card).filter(isMarkdownField)) assert.ok(!/\]\(|\*\*|<at>|\{\{DATE/.test(f.value), `${what}: ${f.path}: ${f.value}`);
  }

  before(async () => {
    for (const person of [PERSON.alex, PERSON.megan, PATTI]) await teams().install(person);
    assert.equal((await teams().say(PERSON.alex, 'notify here', PRIVACY_CHANNEL)).status, 200);
  });

  /**
   * A request about Megan, filed by Alex and assigned to Patti, with Megan asked to confirm it; and its
   * thread in the channel. Megan may have one open request at a time: one an earlier test left open is
   * cancelled first. Filed through the service, which does not kick the background jobs as a turn
   * does: they are drained, which also leaves nothing of the setup still on its way.
   */
  async function filedRequest(): Promise<{ request: ExportRequest; thread: string }> {
    const { requests, store, jobs } = suite.running.desk;
    const alex = userActor(PERSON.alex.objectId);
    const open = await store.findOpenBySubject(PERSON.megan.objectId);
    if (open) await requests.cancel(alex, open.id, 'the next test files its own request');
    let request = await requests.file(alex, { subject: await requests.findSubject(alex, 'meganb@example.com'), regime: 'gdpr', receivedOn: requests.today() });
    request = await requests.assign(alex, request.id, PATTI.objectId);
    await jobs.drain();
    // The filing's channel post starts the request's thread; everything later about it goes there.
    const filed = await connector().waitFor((c) => c.operation === 'createConversation' && textOf(cardOf(c) ?? {}).includes(request.reference), WAIT);
    await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && carries(CardVerb.Approve, request)(c), WAIT);
    return { request, thread: filed.conversationId };
  }

  /** A filed request (above) that Alex paused for ASKED; Megan has the notice, and everything it sent is drained. */
  async function pausedRequest(): Promise<{ request: ExportRequest; thread: string }> {
    const filed = await filedRequest();
    await turn(PERSON.alex, `pause ${filed.request.reference} ${ASKED}`);
    await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && carries(CardVerb.Answer, filed.request)(c), WAIT);
    await suite.running.desk.jobs.drain();
    return filed;
  }

  /** A paused request (above) that Megan answered twice on the card, HOSTILE then LONG_ANSWER; drained. */
  async function pausedRequestAnsweredTwice(): Promise<{ request: ExportRequest; thread: string }> {
    const paused = await pausedRequest();
    for (const answer of [HOSTILE, LONG_ANSWER]) {
      await click(PERSON.megan, CardVerb.Answer, { requestId: paused.request.id, [SUBJECT_ANSWER_INPUT]: answer });
    }
    await suite.running.desk.jobs.drain();
    return paused;
  }

  it('pause: the subject’s notice states what is needed, in the admin’s words, and how to answer', async () => {
    const { request } = await filedRequest();
    const reply = await turn(PERSON.alex, `pause ${request.reference} ${ASKED}`);
    assert.match(reply, /stands still from today/);
    assert.match(reply, /Megan Bowen is being asked in their chat for what you wrote, with a way to answer; their answer comes to you here\./);
    assert.match(reply, new RegExp(`type "resume ${request.reference}"`));

    const notice = await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && carries(CardVerb.Answer, request)(c), WAIT);
    const card = cardOf(notice) as NoticeCard;
    const text = textOf(card);
    assert.ok(text.includes(`The clock on your request ${request.reference} is paused because the privacy team needs:`), text);
    assert.ok(text.includes(ASKED), text);
    assert.ok(text.includes('Write your answer below and select "Send to the privacy team", or just reply here in this chat.'), text);
    assert.deepEqual(
      actionsOf(card).map((a) => [a.title, a.verb, a.data]),
      [['Send to the privacy team', CardVerb.Answer, { requestId: request.id }]],
    );
    assert.equal(card.body.find((e) => e.type === 'Input.Text')?.id, SUBJECT_ANSWER_INPUT);
    assert.equal(notice.activity.summary, `${request.reference}: the privacy team needs something from you`);
    assert.ok((await store().get(request.id))!.pause);
  });

  it('someone other than the subject clicking "Send to the privacy team" is refused, and nothing changes or goes anywhere', async () => {
    const { request } = await pausedRequest();
    const before = await store().get(request.id);
    const index = connector().sent().length;
    const byAdmin = await click(PERSON.alex, CardVerb.Answer, { requestId: request.id, [SUBJECT_ANSWER_INPUT]: 'I am Megan, honestly' });
    assert.match(textOf(byAdmin), /Only Megan Bowen can answer this request\. Nothing was changed\./);
    const byStranger = await click(PERSON.isaiah, CardVerb.Answer, { requestId: request.id, [SUBJECT_ANSWER_INPUT]: 'I am Megan, honestly' });
    assert.match(textOf(byStranger), /nothing to show you/);
    assert.ok(!JSON.stringify(byStranger).includes(request.reference), 'a stranger learns nothing about the request');
    await suite.running.desk.jobs.drain();
    assert.deepEqual(await store().get(request.id), before);
    assert.deepEqual(
      sentSince(index, () => true),
      [],
      'nobody was told anything',
    );
    const refusals = (await store().auditTrail(request.id)).filter((e) => e.type === AuditEventType.Refused && e.detail.action === 'answer');
    assert.deepEqual(
      refusals.map((e) => e.actor.objectId),
      [PERSON.alex.objectId, PERSON.isaiah.objectId],
    );
  });

  it('the subject answers on the card: recorded; the admins’ 1:1 chats get the words and "Resume the clock"; the thread a post without them; the subject is thanked; the clock stays paused', async () => {
    const { request, thread } = await pausedRequest();
    const index = connector().sent().length;
    const sent = await click(PERSON.megan, CardVerb.Answer, { requestId: request.id, [SUBJECT_ANSWER_INPUT]: HOSTILE });
    const sentText = textOf(sent);
    assert.ok(sentText.includes('Sent to the privacy team'), sentText);
    assert.ok(sentText.includes('The clock stays paused until they resume it.'), sentText);
    assert.ok(sentText.includes(ASKED), sentText);
    assert.deepEqual(actionsOf(sent), []);
    assertInert(sent, 'the subject’s "sent" card');

    const stored = (await store().get(request.id))!;
    assert.deepEqual(
      stored.subjectAnswers?.map((a) => a.text),
      [HOSTILE],
    );
    assert.ok(stored.pause, 'still paused');
    assert.equal(stored.dueOn, request.dueOn);
    const audit = (await store().auditTrail(request.id)).filter((e) => e.type === AuditEventType.SubjectAnswered);
    assert.deepEqual(
      audit.map((e) => e.detail.length),
      [HOSTILE.length],
    );
    assert.ok(!JSON.stringify(await store().auditTrail(request.id)).includes('4711'), 'the words are not in the audit trail');

    // Alex filed and paused it, Patti has it: each gets the words, in their 1:1 chat.
    for (const admin of [PERSON.alex, PATTI]) {
      const answered = await connector().waitFor((c) => sentTo(personal(admin))(c) && carries(CardVerb.Resume, request)(c), WAIT);
      const card: unknown = cardOf(answered);
      const text = textOf(card);
      for (const expected of ['Megan Bowen', ' answered about ', request.reference, ASKED, `resume ${request.reference}`])
        assert.ok(text.includes(expected), `${admin.name}: ${expected}\n${text}`);
      assert.deepEqual(
        actionsOf(card).map((a) => [a.title, a.verb, a.data]),
        [['Resume the clock', CardVerb.Resume, { requestId: request.id }]],
      );
      assertInert(card, `${admin.name}’s card`);
      assert.ok(!String(answered.activity.summary).includes('4711'), 'the summary (shown in notifications) does not quote the subject');
    }

    // The request's thread: that the subject answered, and where to read it — not what they wrote.
    const post = await connector().waitFor((c) => c.conversationId === thread && /The data subject answered/.test(textOf(cardOf(c) ?? {})), WAIT);
    const postText = textOf(cardOf(post));
    assert.ok(postText.includes(request.reference) && postText.includes('Megan Bowen'), postText);
    assert.ok(postText.includes('Their answer is not shown here'), postText);
    for (const word of ['evil.example', '<at>', '4711', ASKED]) assert.ok(!JSON.stringify(post.activity).includes(word), `the channel carries ${word}`);

    // Nothing else went to the channel, and nothing of the answer to the subject's chat but the card that replaced the notice.
    const channelPosts = sentSince(index, toChannel);
    assert.deepEqual(
      channelPosts.map((c) => c.conversationId),
      [thread],
    );
    assert.deepEqual(sentSince(index, sentTo(personal(PERSON.megan))), []);

    // The clock stays paused: still paused once the outbox drained.
    await suite.running.desk.jobs.drain();
    assert.ok((await store().get(request.id))!.pause);
    assert.match((await turn(PERSON.alex, `status ${request.reference}`)).replace(/\\/g, ''), /Clock paused since .*: A copy of your ID card/);
  });

  it(`a very long answer is cut at ${MAX_SUBJECT_ANSWER} characters with "…", and the subject is told so`, async () => {
    const { request } = await pausedRequest();
    const sent = await click(PERSON.megan, CardVerb.Answer, { requestId: request.id, [SUBJECT_ANSWER_INPUT]: LONG_ANSWER });
    assert.match(textOf(sent), /Your answer was longer than 1,000 characters, so only the first 1,000 were sent\. Send the rest as a reply here\./);
    const kept = (await store().get(request.id))!.subjectAnswers!.at(-1)!;
    assert.equal(kept.text.length, MAX_SUBJECT_ANSWER);
    assert.ok(kept.text.endsWith('…') && !kept.text.includes('END'));
    const answered = await connector().waitFor(
      (c) => sentTo(personal(PERSON.alex))(c) && carries(CardVerb.Resume, request)(c) && /They wrote more than 1,000 characters/.test(textOf(cardOf(c) ?? {})),
      WAIT,
    );
    assert.ok(textOf(cardOf(answered)).includes(kept.text));
  });

  it('"Resume the clock" is for admins: the subject is refused; an admin resumes it, and the card says so with no button left', async () => {
    // Two answers wait on it: HOSTILE (with the staff number), then LONG_ANSWER.
    const { request } = await pausedRequestAnsweredTwice();
    const bySubject = await click(PERSON.megan, CardVerb.Resume, { requestId: request.id });
    assert.match(textOf(bySubject), /Only privacy admins can resume a deadline/);
    assert.ok((await store().get(request.id))!.pause, 'still paused');

    const byAdmin = await click(PERSON.alex, CardVerb.Resume, { requestId: request.id });
    assert.match(textOf(byAdmin), new RegExp(`The clock for ${request.reference} is running again: now due`));
    assert.deepEqual(actionsOf(byAdmin), []);
    assert.ok(textOf(byAdmin).includes('My staff number is 4711.'), 'the answers stay on the card');
    const resumed = (await store().get(request.id))!;
    assert.equal(resumed.pause, undefined);
    assert.equal(resumed.state, RequestState.AwaitingConfirmation);

    // The notice's button after the resume: nothing is waiting any more, and the subject is told, in their words.
    const late = await click(PERSON.megan, CardVerb.Answer, { requestId: request.id, [SUBJECT_ANSWER_INPUT]: 'One more thing' });
    assert.match(textOf(late), /Nothing was sent/);
    assert.match(textOf(late), new RegExp(`${request.reference} is not waiting for an answer from you any more`));
    assert.equal((await store().get(request.id))!.subjectAnswers!.length, 2);

    const again = await click(PERSON.alex, CardVerb.Resume, { requestId: request.id });
    assert.match(textOf(again), new RegExp(`${request.reference} is not paused\\. Nothing was changed\\.`));
  });
});
