import assert from 'node:assert/strict';
import sinon from 'sinon';
import { MAX_ACTIVITY_BYTES } from '../../../bot/http/server';
import { MAX_MESSAGE_CHARS } from '../../../bot/privacyDeskBot';
import { EXPIRED_TOKEN_EXPIRES_IN_SECONDS, LIBRARY_CLOCK_TOLERANCE_SECONDS, type SignOptions } from '../../support/channelTokens';
import { PERSON, useDesk } from '../../helpers/harness';
import { sentTo } from '../../helpers/cardQueries';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The front door over HTTP against the real restify server and CloudAdapter, JWT validation on with a
 * local key set: only a valid channel token for this bot, from this tenant, from an allowed host,
 * reaches the bot. Everything else gets 401 (or 403 for tenant and host), no reply, no state change.
 */
describe('the front door (real CloudAdapter, local key set)', function () {
  this.timeout(60_000);
  const suite = useDesk();

  /** "export my data" would create a request and reply: any leak through the door is visible. */
  const probe = () => suite.running.teams.activity(PERSON.isaiah, { type: 'message', text: 'export my data gdpr' });

  async function assertNothingHappened(before: number) {
    assert.equal(suite.world.connector.sent().length, before, 'no reply was sent');
    assert.deepEqual(await suite.running.desk.store.list({ limit: 10 }), [], 'no request was filed');
  }

  const token = (claims: Record<string, unknown> = {}, options: SignOptions = {}) =>
    suite.world.tokens.authorization({ serviceUrl: suite.world.connector.serviceUrl, ...claims }, options);

  const refused: Array<[string, () => Promise<string | null>]> = [
    ['no Authorization header', async () => null],
    ['a garbage token', async () => 'Bearer garbage.garbage.garbage'],
    ['a non-Bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['the wrong audience', () => token({ aud: '00000000-1111-4222-8333-444444444444' })],
    ['the wrong issuer', () => token({ iss: 'https://sts.example.test/' })],
    ['an expired token', () => token({}, { expiresInSeconds: EXPIRED_TOKEN_EXPIRES_IN_SECONDS })],
    ['a serviceurl claim that differs from the activity', () => token({ serviceUrl: 'https://smba.trafficmanager.net/emea/' })],
    ['an unknown key id', () => token({}, { kid: 'no-such-key' })],
    ['the right key id signed by another key', () => token({}, { signWithOtherKey: true })],
    ['a key not endorsed for Teams', () => token({}, { omitEndorsement: true })],
    ['a token not yet valid', () => token({ nbf: nowSeconds() + 3600 })],
    ['a token not yet valid beyond the clock skew', () => token({ nbf: nowSeconds() + LIBRARY_CLOCK_TOLERANCE_SECONDS + 120 })],
    ['a token without exp', () => token({ exp: undefined })],
    ['a token whose exp is not a number', () => token({ exp: 'tomorrow' })],
    [
      'a token expired beyond the clock skew',
      () => token({ iat: nowSeconds() - 7200, nbf: nowSeconds() - 7200, exp: nowSeconds() - LIBRARY_CLOCK_TOLERANCE_SECONDS - 120 }),
    ],
  ];

  for (const [what, authorization] of refused) {
    it(`401 for ${what}, logged as one line with a reason and nothing else`, async () => {
      const before = suite.world.connector.sent().length;
      const logged = suite.running.logger.entries.length;
      // botbuilder prints verification failures and the published keys with console.error.
      const stderr = sinon.spy(console, 'error');
      try {
        const answer = await suite.running.teams.post(probe(), await authorization());
        assert.equal(answer.status, 401);
        assert.equal(answer.body, undefined, 'no body: nothing about why');
      } finally {
        stderr.restore();
      }
      assert.equal(stderr.callCount, 0, 'nothing printed to stderr (stack traces, key material)');
      const lines = suite.running.logger.entries.slice(logged);
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]!.message, 'inbound activity refused: token');
      assert.deepEqual(Object.keys(lines[0]!.fields).sort(), ['activityType', 'channelId', 'reason']);
      await assertNothingHappened(before);
    });
  }

  const accepted: Array<[string, () => Promise<string>]> = [
    ['nbf slightly ahead of our clock (within the skew)', () => token({ nbf: nowSeconds() + 60 })],
    ['exp slightly behind our clock (within the skew)', () => token({ iat: nowSeconds() - 3600, nbf: nowSeconds() - 3600, exp: nowSeconds() - 60 })],
    ['no nbf at all', () => token({ nbf: undefined })],
  ];
  for (const [what, authorization] of accepted) {
    it(`accepts a token with ${what}`, async () => {
      const answer = await suite.running.teams.post(suite.running.teams.activity(PERSON.isaiah, { type: 'message', text: 'help' }), await authorization());
      assert.equal(answer.status, 200);
    });
  }

  const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
  const tenantCases: Array<[string, (a: Record<string, any>) => Record<string, unknown>]> = [
    ['another tenant', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: OTHER_TENANT }, channelData: { tenant: { id: OTHER_TENANT } } })],
    [
      'another tenant in channelData only',
      (a) => ({ ...a, conversation: { ...a.conversation, tenantId: undefined }, channelData: { tenant: { id: OTHER_TENANT } } }),
    ],
    ['another tenant in the conversation only', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: OTHER_TENANT }, channelData: {} })],
    ['two tenants that disagree', (a) => ({ ...a, channelData: { tenant: { id: OTHER_TENANT } } })],
    ['no tenant at all', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: undefined }, channelData: undefined })],
  ];
  for (const [what, change] of tenantCases) {
    it(`refuses an activity from ${what} (403), changing nothing, logged without personal data`, async () => {
      const before = suite.world.connector.sent().length;
      const logged = suite.running.logger.entries.length;
      for (const activity of [probe(), suite.running.teams.activity(PERSON.alex, { type: 'message', text: 'requests' })]) {
        assert.equal((await suite.running.teams.post(change(activity))).status, 403);
      }
      await assertNothingHappened(before);
      const lines = suite.running.logger.entries.slice(logged);
      assert.equal(lines.length, 2, 'one line per refused activity');
      assert.ok(lines.every((l) => l.message === 'inbound activity refused: policy'));
      const text = JSON.stringify(lines);
      for (const personal of [PERSON.isaiah.name, PERSON.isaiah.objectId, PERSON.alex.objectId, OTHER_TENANT])
        assert.ok(!text.includes(personal), `log holds ${personal}`);
    });
  }

  it('refuses an activity whose serviceUrl is not an allowed host, even with a matching token', async () => {
    const before = suite.world.connector.sent().length;
    const serviceUrl = 'https://attacker.example/';
    const activity = { ...probe(), serviceUrl };
    const answer = await suite.running.teams.post(activity, await suite.world.tokens.authorization({ serviceUrl }));
    assert.equal(answer.status, 403);
    await assertNothingHappened(before);
  });

  it('refuses malformed and oversized activities early, saying why', async () => {
    const before = suite.world.connector.sent().length;
    const url = `${suite.running.desk.server.url}/api/messages`;
    const auth = await token();
    const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body });
    assert.equal((await post('{"type": "message"')).status, 400, 'not JSON');
    const shapeless = await post(JSON.stringify({ type: 'message', text: 'hi' }));
    assert.equal(shapeless.status, 400, 'no serviceUrl / conversation');
    assert.match(((await shapeless.json()) as { error: { message: string } }).error.message, /could not read this request, so nothing was changed/);
    assert.equal((await post(JSON.stringify({ ...probe(), padding: 'x'.repeat(300 * 1024) }))).status, 413, 'body too large');
    await assertNothingHappened(before);
  });

  /** An activity whose JSON is exactly `bytes` long, padded in a field the bot never reads. */
  function activityOfSize(bytes: number, fields: Record<string, unknown> = {}): string {
    const base = JSON.stringify({ ...suite.running.teams.activity(PERSON.megan, { type: 'message', text: 'help', ...fields }), padding: '' });
    return base.replace('"padding":""', `"padding":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`);
  }

  it(`the body limit is ${MAX_ACTIVITY_BYTES} bytes (256 KiB), as documented: at the limit accepted, one byte over refused with 413`, async () => {
    const url = `${suite.running.desk.server.url}/api/messages`;
    const post = async (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: await token() }, body });
    const atLimit = activityOfSize(MAX_ACTIVITY_BYTES);
    assert.equal(Buffer.byteLength(atLimit), MAX_ACTIVITY_BYTES);
    assert.equal((await post(atLimit)).status, 200);
    assert.equal((await post(activityOfSize(250_000))).status, 200, 'a 250 KB activity');
    const before = suite.world.connector.sent().length;
    assert.equal((await post(activityOfSize(MAX_ACTIVITY_BYTES + 1))).status, 413);
    assert.equal(suite.world.connector.sent().length, before, 'nothing sent for a refused body');
  });

  it(`a message longer than ${MAX_MESSAGE_CHARS} characters is answered with a sentence in the chat; one at the limit is read`, async () => {
    const megansChat = sentTo(suite.running.teams.personalConversationId(PERSON.megan));
    const replyTo = async (text: string) => {
      const before = suite.world.connector.sent().length;
      assert.equal((await suite.running.teams.say(PERSON.megan, text)).status, 200);
      return suite.world.connector
        .sent()
        .slice(before)
        .filter(megansChat)
        .map((c) => String(c.activity.text ?? ''));
    };
    for (const length of [MAX_MESSAGE_CHARS + 1, 16 * 1024, 200_000]) {
      const [reply, ...more] = await replyTo('x'.repeat(length));
      assert.equal(more.length, 0);
      assert.match(
        reply!,
        new RegExp(`That message is ${length.toLocaleString('en-US')} characters long; I read messages of up to 4,000 characters, so nothing was changed`),
      );
    }
    assert.match((await replyTo('x'.repeat(MAX_MESSAGE_CHARS))).join('\n'), /I didn't understand that/, 'at the limit the message is read as usual');
    assert.deepEqual(await suite.running.desk.store.list({ limit: 10 }), [], 'nothing was filed');
  });

  it('accepts a valid token (and only then acts)', async () => {
    const answer = await suite.running.teams.post(probe());
    assert.equal(answer.status, 200);
    const [request] = await suite.running.desk.store.list({ limit: 10 });
    assert.equal(request?.subject.objectId, PERSON.isaiah.objectId);
  });
});
