// A local stand-in for Entra ID as a Teams tab sees it: the tenant's signing keys (a JWKS over
// loopback) and a signer for the single sign-on tokens teams-js `authentication.getAuthToken()` hands
// the tab. The tab API checks them with the same code as production, pointed at this key set.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type GenerateKeyPairResult } from 'jose';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from './loopback';
import { TEST_TENANT_ID } from './channelTokens';
import type { SsoSettings } from '../../tab/api/ssoTokenValidator';

export const TAB_APP_ID = '3c5f6a2e-7d1b-4e8f-9a0c-1b2d3e4f5a6b';
export const TAB_AUDIENCE = `api://privacydesk.contoso.com/${TAB_APP_ID}`;
export const TAB_ISSUER = `https://sts.windows.net/${TEST_TENANT_ID}/`;
const SIGNING_KEY_ID = 'entra-test-key';

export interface SsoTokenOptions {
  /** Claims to add or replace; `undefined` removes a default one. */
  readonly claims?: Record<string, unknown>;
  /** Seconds from now; negative for a token that has expired. Default one hour. */
  readonly expiresInSeconds?: number;
  /** Sign with a key the key set does not publish (a forged token). */
  readonly forged?: boolean;
}

export interface EntraStandIn {
  /** Settings that make the tab API trust this stand-in: the test tenant, the tab's audience, this key set. */
  readonly settings: SsoSettings;
  /** A token as Teams would hand the tab for this person. */
  token(person: { objectId: string; name?: string }, options?: SsoTokenOptions): Promise<string>;
  /** How often the key set was fetched. */
  keySetFetches(): number;
  stop(): Promise<void>;
}

export async function startEntraStandIn(): Promise<EntraStandIn> {
  const [signingKey, forgingKey]: GenerateKeyPairResult[] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
  const jwks = { keys: [{ ...(await exportJWK(signingKey.publicKey)), kid: SIGNING_KEY_ID, use: 'sig', alg: 'RS256' }] };
  const path = `/${randomUUID()}/discovery/keys`;
  let fetches = 0;
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404);
      res.end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  const port = await listenOnLoopback(server);
  const settings: SsoSettings = { tenantId: TEST_TENANT_ID, audience: TAB_AUDIENCE, issuer: TAB_ISSUER, jwksUrl: `http://${LOOPBACK_HOST}:${port}${path}` };

  const token = async (person: { objectId: string; name?: string }, options: SsoTokenOptions = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresInSeconds ?? 60 * 60;
    const claims: Record<string, unknown> = {
      aud: TAB_AUDIENCE,
      iss: TAB_ISSUER,
      tid: TEST_TENANT_ID,
      oid: person.objectId,
      name: person.name,
      scp: 'access_as_user',
      // Teams on the web asked for it (one of the clients the Entra app pre-authorizes).
      appid: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      ver: '1.0',
      iat: Math.min(now, now + expiresIn - 60),
      nbf: Math.min(now, now + expiresIn - 60),
      exp: now + expiresIn,
      ...options.claims,
    };
    const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
    const key = options.forged ? forgingKey.privateKey : signingKey.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: SIGNING_KEY_ID, typ: 'JWT' }).sign(key);
  };

  return { settings, token, keySetFetches: () => fetches, stop: () => closeServer(server) };
}
