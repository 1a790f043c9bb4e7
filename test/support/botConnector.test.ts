import assert from 'node:assert/strict';
import { startBotConnector, type BotConnectorStandIn } from './botConnector';

const AUTHORIZATION = 'Bearer some-token';
/** A Teams channel conversation id: ':' and ';' must survive URL encoding. */
const CHANNEL_CONVERSATION_ID = '19:abc@thread.tacv2;messageid=1700000000000';

describe('test support: startBotConnector', function () {
  let connector: BotConnectorStandIn;

  before(async function () {
    connector = await startBotConnector();
  });

  after(async function () {
    await connector?.stop();
  });

  beforeEach(function () {
    connector.reset();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(new URL(path, connector.serviceUrl), {
      method,
      headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('listens on loopback with a trailing-slash serviceUrl', function () {
    assert.equal(connector.serviceUrl, `http://127.0.0.1:${connector.port}/`);
  });

  it('creates conversations with 201 and records the parameters', async function () {
    const res = await call('POST', 'v3/conversations', {
      isGroup: false,
      members: [{ id: '29:user' }],
      activity: { type: 'message', text: 'proactive hello' },
    });
    assert.equal(res.status, 201);
    const created = (await res.json()) as { id: string; activityId: string };
    assert.match(created.id, /^conv-\d+$/);
    assert.match(created.activityId, /^activity-\d+$/);
    assert.equal(connector.conversations.length, 1);
    assert.deepEqual(connector.conversations[0].parameters.members, [{ id: '29:user' }]);
    // The activity carried by createConversation counts as sent.
    assert.equal(connector.sent()[0].operation, 'createConversation');
    assert.equal(connector.sent()[0].activity.text, 'proactive hello');
  });

  it('accepts sendToConversation, replyToActivity and updateActivity and records them', async function () {
    const encodedId = encodeURIComponent(CHANNEL_CONVERSATION_ID);

    const send = await call('POST', `v3/conversations/${encodedId}/activities`, { type: 'message', text: 'one' });
    assert.equal(send.status, 200);
    const sentId = ((await send.json()) as { id: string }).id;
    assert.match(sentId, /^activity-\d+$/);

    const reply = await call('POST', `v3/conversations/${encodedId}/activities/incoming-7`, {
      type: 'message',
      text: 'two',
    });
    assert.equal(reply.status, 200);
    assert.match(((await reply.json()) as { id: string }).id, /^activity-\d+$/);

    const update = await call('PUT', `v3/conversations/${encodedId}/activities/${sentId}`, {
      type: 'message',
      text: 'one (edited)',
    });
    assert.equal(update.status, 200);
    assert.deepEqual(await update.json(), { id: sentId });

    const sent = connector.sent();
    assert.deepEqual(
      sent.map((a) => [a.operation, a.conversationId, a.activity.text]),
      [
        ['sendToConversation', CHANNEL_CONVERSATION_ID, 'one'],
        ['replyToActivity', CHANNEL_CONVERSATION_ID, 'two'],
        ['updateActivity', CHANNEL_CONVERSATION_ID, 'one (edited)'],
      ],
    );
    assert.equal(sent[1].replyToId, 'incoming-7');
    assert.equal(sent[2].activityId, sentId);
    assert.ok(sent.every((a) => a.authorization === AUTHORIZATION));
    assert.deepEqual(
      connector.requests.map((r) => [r.method, r.status]),
      [
        ['POST', 200],
        ['POST', 200],
        ['PUT', 200],
      ],
    );
  });

  it('waitFor() resolves with an activity that arrives later, and with one already captured', async function () {
    const waiting = connector.waitFor((a) => a.activity.text === 'later');
    await call('POST', 'v3/conversations/c1/activities', { type: 'message', text: 'earlier' });
    await call('POST', 'v3/conversations/c1/activities', { type: 'message', text: 'later' });
    assert.equal((await waiting).activity.text, 'later');

    const again = await connector.waitFor((a) => a.activity.text === 'earlier');
    assert.equal(again.activity.text, 'earlier');
  });

  it('waitFor() rejects with a message listing what was captured', async function () {
    await call('POST', 'v3/conversations/c1/activities', { type: 'message', text: 'something else' });
    await assert.rejects(
      connector.waitFor((a) => a.activity.text === 'never sent', { timeoutMs: 50 }),
      (err: Error) => {
        assert.match(err.message, /No matching activity/);
        assert.match(err.message, /sendToConversation c1 type=message text="something else"/);
        return true;
      },
    );
  });

  it('failNext() answers the next calls with the injected status, then recovers', async function () {
    connector.failNext(500, 2);
    connector.failNext(429, 1, { retryAfterSeconds: 0 });

    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await call('POST', 'v3/conversations/c1/activities', { type: 'message', text: `try ${i}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.body?.cancel();
    }
    assert.deepEqual(statuses, [500, 500, 429, 200]);
    assert.equal(retryAfter, '0');
    // Failed calls are in requests, not in activities.
    assert.deepEqual(
      connector.requests.map((r) => r.injectedFailure),
      [true, true, true, false],
    );
    assert.deepEqual(
      connector.sent().map((a) => a.activity.text),
      ['try 3'],
    );
  });

  it('answers unknown routes with 404 and records them', async function () {
    const res = await call('GET', 'v3/conversations/c1/members/29:user');
    assert.equal(res.status, 404);
    await res.body?.cancel();
    assert.equal(connector.requests[0].status, 404);
    assert.equal(connector.sent().length, 0);
  });

  it('reset() forgets captures and pending failures but keeps ids unique', async function () {
    connector.failNext(503, 5);
    connector.reset();
    const first = await call('POST', 'v3/conversations/c1/activities', { type: 'message' });
    assert.equal(first.status, 200);
    const firstId = ((await first.json()) as { id: string }).id;
    connector.reset();
    assert.equal(connector.sent().length, 0);
    const second = await call('POST', 'v3/conversations/c1/activities', { type: 'message' });
    assert.notEqual(((await second.json()) as { id: string }).id, firstId);
  });
});
