import assert from 'node:assert/strict';
import { EXPIRED_TOKEN_EXPIRES_IN_SECONDS, type SignOptions } from '../../support/channelTokens';
import { BOT_APP_ID, PERSON, useDesk } from '../../helpers/harness';
import { TeamsClient } from '../../helpers/teamsClient';

/**
 * The front door over HTTP against the real restify server and CloudAdapter, JWT validation on with a
 * local key set: only a valid channel token for this bot, from this tenant, from an allowed host,
 * reaches the bot. Everything else gets 401 (or 403 for tenant and host), no reply, no state change.
 */
describe('the front door (real CloudAdapter, local key set)', function () {
  this.timeout(60_000);
  const suite = useDesk();

  /** "export my data" would create a request and reply: any leak through the door is visible. */
  const probe = () => suite.running.teams.activity(PERSON.isaiah, { type: 'message', text: 'export my data' });

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
    ['a token not yet valid', () => token({ nbf: Math.floor(Date.now() / 1000) + 3600 })],
  ];

  for (const [what, authorization] of refused) {
    it(`401 for ${what}`, async () => {
      const before = suite.world.connector.sent().length;
      const answer = await suite.running.teams.post(probe(), await authorization());
      assert.equal(answer.status, 401);
      assert.equal(answer.body, undefined, 'no body: nothing about why');
      await assertNothingHappened(before);
    });
  }

  it('refuses an activity from another tenant (403), changing nothing', async () => {
    const before = suite.world.connector.sent().length;
    const foreign = new TeamsClient({ botUrl: suite.running.desk.server.url, serviceUrl: suite.world.connector.serviceUrl, tenantId: '99999999-9999-4999-8999-999999999999', botId: BOT_APP_ID, tokens: suite.world.tokens });
    const answer = await foreign.post(foreign.activity(PERSON.isaiah, { type: 'message', text: 'export my data' }));
    assert.equal(answer.status, 403);
    await assertNothingHappened(before);
  });

  it('refuses an activity whose serviceUrl is not an allowed host, even with a matching token', async () => {
    const before = suite.world.connector.sent().length;
    const serviceUrl = 'https://attacker.example/';
    const activity = { ...probe(), serviceUrl };
    const answer = await suite.running.teams.post(activity, await suite.world.tokens.authorization({ serviceUrl }));
    assert.equal(answer.status, 403);
    await assertNothingHappened(before);
  });

  it('refuses malformed and oversized activities early', async () => {
    const before = suite.world.connector.sent().length;
    const url = `${suite.running.desk.server.url}/api/messages`;
    const auth = await token();
    const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body });
    assert.equal((await post('{"type": "message"')).status, 400, 'not JSON');
    assert.equal((await post(JSON.stringify({ type: 'message', text: 'hi' }))).status, 400, 'no serviceUrl / conversation');
    assert.equal((await post(JSON.stringify({ ...probe(), text: 'x'.repeat(20_000) }))).status, 400, 'text too long');
    assert.equal((await post(JSON.stringify({ ...probe(), padding: 'x'.repeat(300 * 1024) }))).status, 413, 'body too large');
    await assertNothingHappened(before);
  });

  it('accepts a valid token (and only then acts)', async () => {
    const answer = await suite.running.teams.post(probe());
    assert.equal(answer.status, 200);
    const [request] = await suite.running.desk.store.list({ limit: 10 });
    assert.equal(request?.subject.objectId, PERSON.isaiah.objectId);
  });
});
