import assert from 'node:assert/strict';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { SqliteKeyValueStore } from '../../adapters/store/sqlite/sqliteKeyValueStore';
import { CardActionRouter } from '../../bot/cardActions/cardActionRouter';
import { ASK_IN_ONE_TO_ONE } from '../../bot/commands/channelScope';
import { NotifyHereCommand } from '../../bot/commands/notifyHereCommand';
import { RequestsCommand } from '../../bot/commands/requestsCommand';
import { StatusCommand } from '../../bot/commands/statusCommand';
import { PrivacyDeskBot } from '../../bot/privacyDeskBot';
import { ServiceUrlPolicy } from '../../bot/proactive/serviceUrlPolicy';
import { ConversationDirectory } from '../../bot/state/conversationReferences';
import { CHANNEL_STATUS_NOTE } from '../../cards';
import { userActor } from '../../domain/actor';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { STATE_LABEL } from '../../domain/requests/lifecycle';
import { formatForPeople } from '../../domain/deadlines/calendarDate';
import type { CapturedActivity } from '../support/botConnector';
import { TEST_TENANT_ID } from '../support/channelTokens';
import { CapturingLogger } from '../support/capturingLogger';
import { cardOf, textOf, textOfActivity } from '../helpers/cardQueries';
import { domainFixture } from '../helpers/domainFixture';
import { BOT_APP_ID, PERSON, useDesk } from '../helpers/harness';
import type { TeamsPerson } from '../helpers/teamsClient';

const TEAM_ID = '19:team@thread.tacv2';
const PRIVACY_CHANNEL = { channelId: '19:privacy@thread.tacv2', teamId: TEAM_ID };
const GENERAL_CHANNEL = { channelId: '19:general@thread.tacv2', teamId: TEAM_ID };
const GROUP_CHAT = 'group chat';
const GROUP_CHAT_ID = '19:group-chat-4711@thread.v2';
type Where = typeof PRIVACY_CHANNEL | typeof GROUP_CHAT;

const PATTI = { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', name: 'Patti Fernandez' } as const;
const GRADY = { objectId: 'a1b2c3d4-0007-4000-8000-00000000a007', name: 'Grady Archie' } as const;

const INTAKE_NOTE = 'Ticket 4411 from her lawyer';
const VERIFICATION = 'Passport checked by HR in person';
const CANCEL_REASON = 'Duplicate of a mailed request';
const EXTENSION_REASON = 'Records spread over three systems';
/** The labels of the admin-only part of a status card. */
const INTERNAL_LABELS = ['Intake note', 'Identity verification', 'Handled by'];
/** Anything that looks like an address or a link (the subjects' UPNs and mail are …@example.com). */
const ADDRESS_OR_LINK = /@|https?:|www\./i;

/** The part of a status card these tests read: its elements, the FactSet's facts among them. */
interface StatusCardJson {
  readonly body: ReadonlyArray<{ readonly type: string; readonly facts?: ReadonlyArray<{ readonly title: string; readonly value: string }> }>;
}

/** The titles of the status card's facts, in order (cardOf leaves the card untyped). */
function factTitles(card: unknown): string[] | undefined {
  return (card as StatusCardJson).body.find((e) => e.type === 'FactSet')?.facts?.map((fact) => fact.title);
}

/** Nothing but the sentence sending the person to the 1:1 chat: no card, no reference, no name. */
function assertOnlyAskedToOneToOne(replies: ReadonlyArray<{ activity: Partial<Activity> }>, what: string): void {
  assert.equal(replies.length, 1, `${what}: one reply`);
  const [reply] = replies;
  assert.equal(reply!.activity.text, ASK_IN_ONE_TO_ONE, what);
  assert.deepEqual(reply!.activity.attachments ?? [], [], `${what}: no card`);
}

describe('personal data in shared conversations (HTTP, JWT on)', function () {
  this.timeout(60_000);
  const suite = useDesk({ env: { PRIVACY_ADMIN_IDS: `${PERSON.alex.objectId},${PATTI.objectId}` } });
  let megans: ExportRequest;
  let gradys: ExportRequest;

  before(async () => {
    const { requests } = suite.running.desk;
    await suite.running.teams.install(PERSON.alex);
    await suite.running.teams.say(PERSON.alex, 'notify here', PRIVACY_CHANNEL);
    const alex = userActor(PERSON.alex.objectId);
    const today = requests.today();
    const megan = await requests.findSubject(alex, 'meganb@example.com');
    megans = await requests.file(alex, { subject: megan, regime: 'gdpr', receivedOn: today, intakeNote: INTAKE_NOTE });
    megans = await requests.assign(alex, megans.id, PATTI.objectId);
    // A disabled account: the admin records how they checked who asked, and the link comes to the admin.
    const grady = await requests.findSubject(alex, 'gradya@example.com');
    gradys = await requests.file(alex, { subject: grady, regime: 'gdpr', receivedOn: today, intakeNote: INTAKE_NOTE, identityVerification: VERIFICATION });
    gradys = await requests.assign(alex, gradys.id, PATTI.objectId);
  });

  /** Says `text` to the bot (1:1, in a team channel or in a group chat) and returns the bot's replies to it. */
  async function ask(person: TeamsPerson, text: string, where?: Where): Promise<CapturedActivity[]> {
    const { teams } = suite.running;
    const mention = { type: 'mention', text: '<at>Privacy Desk</at>', mentioned: { id: `28:${BOT_APP_ID}`, name: 'Privacy Desk' } };
    const fields = {
      type: 'message',
      text: where ? `<at>Privacy Desk</at> ${text}` : text,
      ...(where ? { entities: [mention] } : {}),
      ...(where === GROUP_CHAT ? { conversation: { id: GROUP_CHAT_ID, conversationType: 'groupChat', isGroup: true, tenantId: TEST_TENANT_ID } } : {}),
    };
    const activity = teams.activity(person, fields, where === GROUP_CHAT ? undefined : where);
    const result = await teams.post(activity);
    assert.equal(result.status, 200, `"${text}" was answered ${result.status}`);
    return suite.world.connector.sent().filter((c) => c.operation === 'replyToActivity' && c.replyToId === activity.id);
  }

  for (const [where, place] of [
    [GENERAL_CHANNEL, 'a team channel that is not the privacy channel'],
    [GROUP_CHAT, 'a group chat'],
  ] as const) {
    it(`in ${place}, "requests" and "status" send everyone to the 1:1 chat and show nothing`, async () => {
      for (const person of [PERSON.alex, PERSON.isaiah]) {
        assertOnlyAskedToOneToOne(await ask(person, 'requests', where), `${person.name}: requests`);
        for (const reference of [megans.reference, gradys.reference, 'DSR-2099-9999']) {
          // The same answer for a request that exists and one that does not: nothing to learn by asking.
          assertOnlyAskedToOneToOne(await ask(person, `status ${reference}`, where), `${person.name}: status ${reference}`);
        }
      }
    });
  }

  it('in the privacy channel, an admin gets reference, display name, state and due date only; anyone else the 1:1 chat', async () => {
    const listed = await ask(PERSON.alex, 'requests', PRIVACY_CHANNEL);
    assert.equal(listed.length, 1);
    for (const request of [megans, gradys]) {
      const text = textOf(cardOf(listed[0]!));
      for (const shown of [request.reference, request.subject.displayName]) assert.ok(text.includes(shown), shown);
      const [status] = await ask(PERSON.alex, `status ${request.reference}`, PRIVACY_CHANNEL);
      assert.deepEqual(factTitles(cardOf(status!)), ['Reference', 'Data subject', 'State', 'Due']);
      for (const reply of [listed[0]!, status!]) {
        const json = JSON.stringify(reply.activity.attachments);
        for (const word of [INTAKE_NOTE, VERIFICATION, PATTI.name, ...INTERNAL_LABELS]) assert.ok(!json.includes(word), word);
        assert.ok(!ADDRESS_OR_LINK.test(json), json);
      }
    }
    assertOnlyAskedToOneToOne(await ask(PERSON.isaiah, 'requests', PRIVACY_CHANNEL), 'Isaiah: requests');
  });

  it('the subject’s own status shows where the request stands, without the intake note, identity verification or assignee', async () => {
    for (const [subject, request] of [
      [PERSON.megan, megans],
      [GRADY, gradys],
    ] as const) {
      const text = (await ask(subject, `status ${request.reference}`)).map(textOfActivity).join('\n');
      assert.match(text, new RegExp(request.reference));
      assert.match(text, /Due/);
      for (const internal of [INTAKE_NOTE, VERIFICATION, PATTI.name, ...INTERNAL_LABELS]) {
        assert.ok(!text.includes(internal), `${subject.name} reads "${internal}":\n${text}`);
      }
    }
  });

  it('an admin’s status shows the intake note, the identity verification and who handles the request', async () => {
    const megan = (await ask(PERSON.alex, `status ${megans.reference}`)).map(textOfActivity).join('\n');
    assert.match(megan, new RegExp(`Intake note: \\n${INTAKE_NOTE}`));
    assert.match(megan, new RegExp(`Handled by: \\n${PATTI.name}`));
    const grady = (await ask(PERSON.alex, `status ${gradys.reference}`)).map(textOfActivity).join('\n');
    assert.match(grady, new RegExp(`Identity verification: \\n${VERIFICATION}`));
  });

  it('a subject’s own list in the 1:1 chat carries no internal note either', async () => {
    const text = (await ask(PERSON.megan, 'requests')).map(textOfActivity).join('\n');
    assert.match(text, new RegExp(megans.reference));
    for (const internal of [INTAKE_NOTE, PATTI.name]) assert.ok(!text.includes(internal), internal);
  });
});

/**
 * The privacy channel itself, through the bot's real message routing (mention removal, channel scope)
 * with `status` and `requests` given the conversation directory that `notify here` writes to.
 */
describe('personal data in the privacy channel (TestAdapter, the bot’s routing)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let adapter: TestAdapter;
  const requestsOf: Record<string, ExportRequest> = {};
  const alex = PERSON.alex;

  before(async () => {
    f = await domainFixture();
    const conversations = new ConversationDirectory(new SqliteKeyValueStore(f.db));
    const bot = new PrivacyDeskBot({
      storage: new MemoryStorage(),
      requests: f.requests,
      conversations,
      serviceUrls: new ServiceUrlPolicy([]),
      cardActions: new CardActionRouter([], f.requests, f.store),
      logger: new CapturingLogger(),
      onReachable: async () => undefined,
      commands: () => [
        new NotifyHereCommand(f.requests, conversations, f.clock),
        new StatusCommand(f.requests, conversations),
        new RequestsCommand(f.requests, conversations),
      ],
    });
    adapter = new TestAdapter((context) => bot.run(context));

    const admin = userActor(alex.objectId);
    const today = f.requests.today();
    const megan = await f.requests.file(admin, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: today, intakeNote: INTAKE_NOTE });
    await f.requests.assign(admin, megan.id);
    requestsOf.megan = await f.requests.extend(admin, megan.reference, 1, EXTENSION_REASON);
    requestsOf.grady = await f.requests.file(admin, {
      subject: await f.subject('gradya@example.com'),
      regime: 'gdpr',
      receivedOn: today,
      intakeNote: INTAKE_NOTE,
      identityVerification: VERIFICATION,
    });
    const adele = await f.requests.file(admin, { subject: await f.subject('adelev@example.com'), regime: 'ccpa', receivedOn: today });
    requestsOf.adele = await f.requests.cancel(admin, adele.id, CANCEL_REASON);

    const chosen = await say(alex, 'notify here', PRIVACY_CHANNEL);
    assert.match(textOfActivity({ activity: chosen[0]! }), /this channel now receives a card/);
  });
  after(() => f.close());

  /** One message from `person` in a team channel or group chat, as Teams shapes it; the bot's replies. */
  async function say(person: TeamsPerson, text: string, where: Where): Promise<Array<Partial<Activity>>> {
    const channel = where === GROUP_CHAT ? undefined : where;
    await adapter.receiveActivity({
      type: 'message',
      text,
      from: { id: `29:${person.objectId}`, aadObjectId: person.objectId, name: person.name },
      conversation: channel
        ? { id: `${channel.channelId};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: TEST_TENANT_ID, name: '' }
        : { id: GROUP_CHAT_ID, conversationType: 'groupChat', isGroup: true, tenantId: TEST_TENANT_ID, name: '' },
      channelData: { tenant: { id: TEST_TENANT_ID }, ...(channel ? { channel: { id: channel.channelId }, team: { id: channel.teamId } } : {}) },
    });
    return adapter.activeQueue.splice(0);
  }

  /** Words that must never reach a channel: internal notes, reasons, and who handles a request. */
  const NEVER_IN_A_CHANNEL = [INTAKE_NOTE, VERIFICATION, CANCEL_REASON, EXTENSION_REASON, 'Alex Wilber', ...INTERNAL_LABELS, 'Reason', 'Regime', 'Received'];

  /** What the channel reads: the reply's text, summary and card (its addressing is the channel's own). */
  function assertNothingBeyondTheChannelCards(reply: Partial<Activity>, what: string): void {
    const json = JSON.stringify({ text: reply.text, summary: reply.summary, attachments: reply.attachments });
    for (const word of NEVER_IN_A_CHANNEL) assert.ok(!json.includes(word), `${what} carries "${word}": ${json}`);
    assert.ok(!ADDRESS_OR_LINK.test(json), `${what} carries an address or link: ${json}`);
  }

  it('"requests" from an admin in the privacy channel: reference, display name, state and due date of each request', async () => {
    const replies = await say(alex, 'requests', PRIVACY_CHANNEL);
    assert.equal(replies.length, 1);
    const text = textOf(cardOf({ activity: replies[0] }));
    for (const [name, request] of [
      ['Megan Bowen', requestsOf.megan!],
      ['Grady Archie', requestsOf.grady!],
      ['Adele Vance', requestsOf.adele!],
    ] as const) {
      for (const shown of [request.reference, name, STATE_LABEL[request.state], formatForPeople(request.dueOn)])
        assert.ok(text.includes(shown), `${shown} missing:\n${text}`);
    }
    assertNothingBeyondTheChannelCards(replies[0]!, 'requests');
  });

  it('"status" from an admin in the privacy channel: the same four facts and where to ask for the rest', async () => {
    for (const request of Object.values(requestsOf)) {
      const replies = await say(alex, `status ${request.reference}`, PRIVACY_CHANNEL);
      assert.equal(replies.length, 1);
      const card: unknown = cardOf({ activity: replies[0] });
      assert.deepEqual(factTitles(card), ['Reference', 'Data subject', 'State', 'Due']);
      assert.ok(textOf(card).includes(CHANNEL_STATUS_NOTE));
      assertNothingBeyondTheChannelCards(replies[0]!, `status ${request.reference}`);
    }
  });

  it('someone who is not a privacy admin is sent to the 1:1 chat even in the privacy channel', async () => {
    for (const text of ['requests', `status ${requestsOf.megan!.reference}`]) {
      const replies = await say(PERSON.megan, text, PRIVACY_CHANNEL);
      assertOnlyAskedToOneToOne(
        replies.map((activity) => ({ activity })),
        `Megan: ${text}`,
      );
    }
  });

  it('another channel of the same team is not the privacy channel', async () => {
    for (const text of ['requests', `status ${requestsOf.megan!.reference}`]) {
      assertOnlyAskedToOneToOne(
        (await say(alex, text, GENERAL_CHANNEL)).map((activity) => ({ activity })),
        text,
      );
    }
  });

  it('a group chat never is, even one where an admin typed "notify here"', async () => {
    await say(alex, 'notify here', GROUP_CHAT);
    for (const text of ['requests', `status ${requestsOf.megan!.reference}`]) {
      assertOnlyAskedToOneToOne(
        (await say(alex, text, GROUP_CHAT)).map((activity) => ({ activity })),
        text,
      );
    }
  });

  it('without a way to know the privacy channel, a channel is always sent to the 1:1 chat', async () => {
    const unwired = new TestAdapter((context) =>
      new PrivacyDeskBot({
        storage: new MemoryStorage(),
        requests: f.requests,
        conversations: new ConversationDirectory(new SqliteKeyValueStore(f.db)),
        serviceUrls: new ServiceUrlPolicy([]),
        cardActions: new CardActionRouter([], f.requests, f.store),
        logger: new CapturingLogger(),
        onReachable: async () => undefined,
        commands: () => [new StatusCommand(f.requests), new RequestsCommand(f.requests)],
      }).run(context),
    );
    await say(alex, 'notify here', PRIVACY_CHANNEL);
    for (const text of ['requests', `status ${requestsOf.megan!.reference}`]) {
      await unwired.receiveActivity({
        type: 'message',
        text,
        from: { id: `29:${alex.objectId}`, aadObjectId: alex.objectId, name: alex.name },
        conversation: { id: `${PRIVACY_CHANNEL.channelId};messageid=2`, conversationType: 'channel', isGroup: true, tenantId: TEST_TENANT_ID, name: '' },
        channelData: { tenant: { id: TEST_TENANT_ID }, channel: { id: PRIVACY_CHANNEL.channelId }, team: { id: PRIVACY_CHANNEL.teamId } },
      });
      assertOnlyAskedToOneToOne(
        unwired.activeQueue.splice(0).map((activity) => ({ activity })),
        text,
      );
    }
  });
});
