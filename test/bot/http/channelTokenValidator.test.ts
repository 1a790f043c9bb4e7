import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type GenerateKeyPairResult } from 'jose';
import { ChannelTokenValidator, TokenRefusal, TokenRefused } from '../../../bot/http/channelTokenValidator';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from '../../support/loopback';

const APP_ID = '3c5f6a2e-7d1b-4e8f-9a0c-1b2d3e4f5a6b';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
const ACTIVITY = { channelId: 'msteams', serviceUrl: SERVICE_URL };

/** A key set server whose keys and availability the test changes, counting fetches. */
async function keySetServer() {
  const state = { keys: [] as object[], up: true, metadataFetches: 0, requests: 0 };
  let port = 0;
  // Not chained on writeHead: restify, once loaded by another suite, patches it to return nothing.
  const answer = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    if (!state.up) return answer(res, 503);
    if (req.url === '/metadata') {
      state.metadataFetches += 1;
      return answer(res, 200, { issuer: ISSUER, jwks_uri: `http://${LOOPBACK_HOST}:${port}/keys` });
    }
    answer(res, 200, { keys: state.keys });
  });
  port = await listenOnLoopback(server);
  return { state, metadataUrl: `http://${LOOPBACK_HOST}:${port}/metadata`, stop: () => closeServer(server) };
}

async function publish(pair: GenerateKeyPairResult, kid: string, endorsements: string[] = ['msteams']) {
  return { ...(await exportJWK(pair.publicKey)), kid, kty: 'RSA', use: 'sig', endorsements };
}

function sign(pair: GenerateKeyPairResult, kid: string, claims: Record<string, unknown> = {}, alg = 'RS256') {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now, exp: now + 3600, ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(pair.privateKey);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TokenRefused, String(error));
    return error.reason;
  }
  assert.fail('the token was accepted');
}

describe('ChannelTokenValidator', () => {
  let keySet: Awaited<ReturnType<typeof keySetServer>>;
  let pair: GenerateKeyPairResult;
  let clock: number;
  const validator = () => new ChannelTokenValidator({ appId: APP_ID, openIdMetadataUrl: keySet.metadataUrl, issuer: ISSUER, now: () => clock });

  beforeEach(async () => {
    keySet = await keySetServer();
    pair = await generateKeyPair('RS256', { extractable: true });
    keySet.state.keys = [await publish(pair, 'k1')];
    clock = Date.now();
  });
  afterEach(() => keySet.stop());

  it('accepts a well-formed token and returns its claims', async () => {
    const claims = await validator().validate(`Bearer ${await sign(pair, 'k1')}`, ACTIVITY);
    assert.equal(claims.aud, APP_ID);
  });

  it('names why a token is refused', async () => {
    const v = validator();
    const cases: Array<[TokenRefusal, () => Promise<string | undefined>]> = [
      [TokenRefusal.Missing, async () => undefined],
      [TokenRefusal.Malformed, async () => 'Basic abc'],
      [TokenRefusal.Malformed, async () => 'Bearer not-a-jwt'],
      [TokenRefusal.NoExpiry, async () => `Bearer ${await sign(pair, 'k1', { exp: undefined })}`],
      [TokenRefusal.NoExpiry, async () => `Bearer ${await sign(pair, 'k1', { exp: '2099-01-01' })}`],
      [TokenRefusal.Expired, async () => `Bearer ${await sign(pair, 'k1', { nbf: undefined, exp: Math.floor(Date.now() / 1000) - 3600 })}`],
      [TokenRefusal.NotYetValid, async () => `Bearer ${await sign(pair, 'k1', { nbf: Math.floor(Date.now() / 1000) + 3600 })}`],
      [TokenRefusal.WrongAudience, async () => `Bearer ${await sign(pair, 'k1', { aud: 'someone-else' })}`],
      [TokenRefusal.WrongIssuer, async () => `Bearer ${await sign(pair, 'k1', { iss: 'https://sts.example/' })}`],
      [TokenRefusal.ServiceUrlMismatch, async () => `Bearer ${await sign(pair, 'k1', { serviceurl: 'https://evil.example/' })}`],
      [TokenRefusal.UnknownKey, async () => `Bearer ${await sign(pair, 'k9')}`],
      [TokenRefusal.BadSignature, async () => `Bearer ${await sign(await generateKeyPair('RS256'), 'k1')}`],
      // An HMAC token "signed" with the public key's bytes must not pass as RS256 (algorithm confusion).
      [
        TokenRefusal.Malformed,
        async () =>
          `Bearer ${await new SignJWT({ iss: ISSUER, aud: APP_ID, exp: Math.floor(Date.now() / 1000) + 60 }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode('public-key-bytes'))}`,
      ],
    ];
    for (const [expected, header] of cases) assert.equal(await refusal(v.validate(await header(), ACTIVITY)), expected, expected);
  });

  it('refuses a key not endorsed for the activity’s channel', async () => {
    const v = validator();
    assert.equal(await refusal(v.validate(`Bearer ${await sign(pair, 'k1')}`, { ...ACTIVITY, channelId: 'webchat' })), TokenRefusal.NotEndorsed);
  });

  it('looks for a rotated key, but not more often than every five minutes', async () => {
    const v = validator();
    await v.validate(`Bearer ${await sign(pair, 'k1')}`, ACTIVITY);
    assert.equal(keySet.state.metadataFetches, 1);
    const rotated = await generateKeyPair('RS256', { extractable: true });
    keySet.state.keys = [await publish(pair, 'k1'), await publish(rotated, 'k2')];
    assert.equal(await refusal(v.validate(`Bearer ${await sign(rotated, 'k2')}`, ACTIVITY)), TokenRefusal.UnknownKey, 'too soon to look again');
    assert.equal(keySet.state.metadataFetches, 1);
    clock += 5 * 60_000 + 1;
    await v.validate(`Bearer ${await sign(rotated, 'k2')}`, ACTIVITY);
    assert.equal(keySet.state.metadataFetches, 2);
  });

  it('says the key set is unavailable when it never got one, and keeps the keys it has when a refresh fails', async () => {
    keySet.state.up = false;
    const v = validator();
    assert.equal(await refusal(v.validate(`Bearer ${await sign(pair, 'k1')}`, ACTIVITY)), TokenRefusal.KeySetUnavailable);
    keySet.state.up = true;
    clock += 5 * 60_000 + 1;
    await v.validate(`Bearer ${await sign(pair, 'k1')}`, ACTIVITY);
    keySet.state.up = false;
    clock += 25 * 3600_000;
    const later = Math.floor(clock / 1000);
    const asked = keySet.state.requests;
    await v.validate(`Bearer ${await sign(pair, 'k1', { nbf: later, exp: later + 3600 })}`, ACTIVITY);
    assert.ok(keySet.state.requests > asked, 'a refresh was tried, and failed');
  });

  it('checks a token it has already accepted again for the activity, and against the clock', async () => {
    const v = validator();
    const now = Math.floor(clock / 1000);
    const token = `Bearer ${await sign(pair, 'k1', { nbf: now, exp: now + 60 })}`;
    await v.validate(token, ACTIVITY);
    assert.equal(await refusal(v.validate(token, { ...ACTIVITY, serviceUrl: 'https://evil.example/' })), TokenRefusal.ServiceUrlMismatch);
    assert.equal(await refusal(v.validate(token, { ...ACTIVITY, channelId: 'webchat' })), TokenRefusal.NotEndorsed);
    clock -= (5 * 60 + 1) * 1000;
    assert.equal(await refusal(v.validate(token, ACTIVITY)), TokenRefusal.NotYetValid);
    clock += (5 * 60 + 1) * 1000;
    await v.validate(token, ACTIVITY);
    // Within the five minutes' tolerance after `exp` it still passes, as it did the first time; then never again.
    clock += (60 + 5 * 60 - 1) * 1000;
    await v.validate(token, ACTIVITY);
    clock += 2000;
    assert.equal(await refusal(v.validate(token, ACTIVITY)), TokenRefusal.Expired);
    assert.equal(await refusal(v.validate(token, ACTIVITY)), TokenRefusal.Expired);
  });

  it('refuses a token it has already accepted once its key is no longer published', async () => {
    const v = validator();
    const later = Math.floor((clock + 25 * 3600_000) / 1000);
    const token = `Bearer ${await sign(pair, 'k1', { nbf: later - 3600 * 26, exp: later + 3600 })}`;
    await v.validate(token, ACTIVITY);
    keySet.state.keys = [await publish(await generateKeyPair('RS256', { extractable: true }), 'k2')];
    clock += 25 * 3600_000;
    assert.equal(await refusal(v.validate(token, ACTIVITY)), TokenRefusal.UnknownKey);
    assert.equal(keySet.state.metadataFetches, 2, 'the key set was fetched again');
  });

  it('fetches the key set once for concurrent first requests', async () => {
    const v = validator();
    const token = `Bearer ${await sign(pair, 'k1')}`;
    await Promise.all(Array.from({ length: 5 }, () => v.validate(token, ACTIVITY)));
    assert.equal(keySet.state.metadataFetches, 1);
  });
});
