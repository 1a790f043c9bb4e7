import assert from 'node:assert/strict';
import { CardVerb } from '../../cards';
import { RequestState } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo, textOfActivity } from '../helpers/cardQueries';
import { BOT_APP_ID, PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import { TeamsClient, type TeamsPerson } from '../helpers/teamsClient';
import { botFrameworkAuthConfig, startChannelTokenIssuer, TEST_TENANT_ID, type ChannelTokenIssuer } from '../support/channelTokens';

const WAIT = { timeoutMs: 15_000 };

/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

/** How the bot refuses an invoke it cannot trust: an error the client shows. */
interface RefusedInvoke {
  readonly status: number;
  readonly body: { readonly value: { readonly message: string } };
}

/**
 * "A person is who Teams says, and stays that person": over HTTP with real JWT validation. Megan's 1:1
 * chat is bound to the Teams user id that spoke in it; an activity that names her objectId with another
 * Teams user id, from another conversation, is refused and can never redirect her card or her link.
 */
describe('a person is who Teams says, and stays that person', function () {
  this.timeout(90_000);
  let world: World;
  let running: RunningDesk;

  beforeEach(async () => {
    world = await startWorld();
    running = await startDesk(world);
  });
  afterEach(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  const megansChat = () => running.teams.personalConversationId(PERSON.megan);
  const IMPOSTOR_CHAT = 'a:personal-impostor';
  /** Megan's objectId, another Teams user id, another 1:1 conversation, our tenant, a valid token. */
  const asImpostor = (fields: Record<string, unknown>) => {
    const activity = running.teams.activity(PERSON.megan, fields);
    return {
      ...activity,
      from: { id: '29:someone-else', aadObjectId: PERSON.megan.objectId, name: 'Megan Bowen' },
      conversation: { ...(activity.conversation as object), id: IMPOSTOR_CHAT },
    };
  };

  async function say(person: TeamsPerson, text: string): Promise<string> {
    const before = world.connector.sent().length;
    assert.equal((await running.teams.say(person, text)).status, 200);
    return world.connector.sent().slice(before).map(textOfActivity).join('\n');
  }

  async function fileForMegan(): Promise<string> {
    for (const answer of ['export meganb@example.com', 'yes', 'GDPR', 'today', 'skip']) await say(PERSON.alex, answer);
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(await say(PERSON.alex, 'yes'))![1]!;
    return (await running.desk.store.getByReference(reference))!.id;
  }

  it('an impostor’s message, install and click are refused; her card and her link go only to her own chat', async () => {
    assert.equal((await running.teams.install(PERSON.megan)).status, 200);
    const logged = running.logger.entries.length;

    // The impostor installs, talks and asks for "her" data from another conversation.
    const refusals = [];
    for (const fields of [
      { type: 'conversationUpdate', membersAdded: [{ id: `28:${BOT_APP_ID}` }] },
      { type: 'message', text: 'export my data gdpr' },
      { type: 'message', text: 'requests' },
    ]) {
      const answer = await running.teams.post(asImpostor(fields));
      assert.equal(answer.status, 200);
      refusals.push(...world.connector.sent().filter(sentTo(IMPOSTOR_CHAT)).map(textOfActivity));
    }
    assert.ok(
      refusals.length > 0 && refusals.every((t) => /could not confirm who you are in this conversation, so I did nothing/.test(t)),
      JSON.stringify(refusals),
    );
    assert.deepEqual(await running.desk.store.list({ limit: 10 }), [], 'nothing was filed');
    const lines = running.logger.entries.slice(logged).filter((e) => /does not match the one on record/.test(e.message));
    assert.equal(lines.length, 3, 'one log line per refused activity');
    for (const personal of ['Megan', 'meganb', PERSON.megan.objectId, 'someone-else', IMPOSTOR_CHAT])
      assert.ok(!JSON.stringify(lines).includes(personal), `log holds ${personal}`);

    // An admin files for Megan: her card goes to her own chat, never the impostor's.
    const requestId = await fileForMegan();
    const ask = await world.connector.waitFor(
      (c) => actionsOf(cardOf(c) ?? {}).some((a) => a.verb === CardVerb.Approve && a.data?.requestId === requestId),
      WAIT,
    );
    assert.equal(decodeURIComponent(ask.conversationId), megansChat());

    // The impostor's click is refused (403) and changes nothing.
    const click: RefusedInvoke = await running.teams.post(
      asImpostor({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: CardVerb.Approve, data: { requestId } }, trigger: 'manual' },
      }),
    );
    assert.equal(click.status, 403);
    assert.match(click.body.value.message, /could not confirm who you are/);
    assert.equal((await running.desk.store.get(requestId))!.state, RequestState.AwaitingConfirmation);

    // Megan approves from her own chat: the link reaches her chat, and nothing ever reached the impostor's but refusals.
    assert.equal((await running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId })).status, 200);
    const ready = await world.connector.waitFor((c) => actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl'), WAIT);
    assert.equal(decodeURIComponent(ready.conversationId), megansChat());
    await eventually(async () => (await running.desk.store.get(requestId))!.state === RequestState.Delivered, 'delivery');
    await running.desk.jobs.drain();
    const toImpostor = world.connector.sent().filter(sentTo(IMPOSTOR_CHAT));
    assert.ok(toImpostor.every((c) => actionsOf(cardOf(c) ?? {}).length === 0 && /could not confirm who you are/.test(textOfActivity(c))));
  });

  it('the same person in a new 1:1 conversation (same Teams user id) is followed there', async () => {
    assert.equal((await running.teams.install(PERSON.megan)).status, 200);
    const moved = 'a:personal-megan-reinstalled';
    const activity = running.teams.activity(PERSON.megan, { type: 'message', text: 'help' });
    assert.equal((await running.teams.post({ ...activity, conversation: { ...(activity.conversation as object), id: moved } })).status, 200);
    const requestId = await fileForMegan();
    const ask = await world.connector.waitFor(
      (c) => actionsOf(cardOf(c) ?? {}).some((a) => a.verb === CardVerb.Approve && a.data?.requestId === requestId),
      WAIT,
    );
    assert.equal(decodeURIComponent(ask.conversationId), moved);
  });

  it('a first contact binds: someone else claiming her afterwards is refused even before any request exists', async () => {
    assert.equal((await running.teams.say(PERSON.megan, 'help')).status, 200);
    const before = world.connector.sent().length;
    assert.equal((await running.teams.post(asImpostor({ type: 'message', text: 'help' }))).status, 200);
    const replies = world.connector.sent().slice(before);
    assert.equal(replies.length, 1);
    assert.match(textOfActivity(replies[0]!), /could not confirm who you are/);
  });
});

/**
 * Web Chat and Direct Line are on by default on an Azure Bot, and there the client chooses `from`.
 * With a token the channel's key set endorses for Web Chat, the activity is still refused (403).
 */
describe('channels other than Teams', function () {
  this.timeout(60_000);
  let world: World;
  let webchatIssuer: ChannelTokenIssuer;

  before(async () => {
    world = await startWorld();
    webchatIssuer = await startChannelTokenIssuer({ appId: BOT_APP_ID, endorsements: ['msteams', 'webchat', 'directline'] });
  });
  after(async () => {
    await webchatIssuer?.stop();
    await world?.stop();
  });

  async function deskFor(extraEnv: Record<string, string> = {}) {
    const running = await startDesk(world, { env: { ...botFrameworkAuthConfig(BOT_APP_ID, webchatIssuer), ...extraEnv } });
    const client = new TeamsClient({
      botUrl: running.desk.server.url,
      serviceUrl: world.connector.serviceUrl,
      tenantId: TEST_TENANT_ID,
      botId: BOT_APP_ID,
      tokens: webchatIssuer,
    });
    return { running, client };
  }

  it('refuses webchat and directline activities under a valid token (403), changing nothing; msteams passes', async () => {
    const { running, client } = await deskFor();
    try {
      const before = world.connector.sent().length;
      for (const channelId of ['webchat', 'directline', 'emulator']) {
        const answer = await client.post({ ...client.activity(PERSON.isaiah, { type: 'message', text: 'export my data gdpr' }), channelId });
        assert.equal(answer.status, channelId === 'emulator' ? 401 : 403, channelId);
      }
      assert.equal(world.connector.sent().length, before);
      assert.deepEqual(await running.desk.store.list({ limit: 10 }), []);
      assert.ok(running.logger.entries.some((e) => e.message === 'inbound activity refused: policy' && e.fields.reason === 'channel_not_allowed'));
      assert.equal((await client.say(PERSON.isaiah, 'help')).status, 200);
    } finally {
      await running.desk.stop();
    }
  });

  it('processes another channel only when ALLOWED_CHANNEL_IDS names it', async () => {
    const { running, client } = await deskFor({ ALLOWED_CHANNEL_IDS: 'msteams,webchat' });
    try {
      const answer = await client.post({ ...client.activity(PERSON.isaiah, { type: 'message', text: 'help' }), channelId: 'webchat' });
      assert.equal(answer.status, 200);
    } finally {
      await running.desk.stop();
    }
  });
});
