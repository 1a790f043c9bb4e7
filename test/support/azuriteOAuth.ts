// Azurite's blob service with Entra (OAuth) sign-in turned on, and a credential it accepts: what the
// tests need to exercise the "no account key anywhere" path (AZURE_STORAGE_ACCOUNT_URL in production),
// where download links are user-delegation SAS.
//
// What Azurite checks (azurite 3.37, dist/src/blob/authentication/BlobTokenAuthenticator.js, `--oauth basic`):
// the bearer token must arrive over https; it must decode as a JWT with iat/nbf/exp, be inside its
// lifetime, come from an Entra issuer (https://sts.windows.net/... and the other national clouds) and be
// meant for storage (aud https://storage.azure.com, e406a681-f3d4-42a8-90b6-c2b029497af1 or
// https://<account>.blob.core.windows.net). It does NOT check the token's signature, so the tests sign
// with a throwaway key and never contact a login server.
//
// What Azurite does with it: Get User Delegation Key answers a key derived from the token's oid and tid
// (and the key's start, expiry and version), and a SAS carrying skoid/sktid/skt/ske/sks/skv is verified
// against that derived key (BlobSASAuthenticator.js): a changed signature, a changed skoid or an expired
// key or link is refused with 403 — the same outcomes Azure Storage gives.
//
// It starts Azurite through the same launcher as local mode (local/azurite/startAzurite.ts) with https
// and OAuth on, and hands out no connection string or account key: the tests that use it must reach
// storage through the token credential alone.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { SignJWT } from 'jose';
import { startAzurite } from '../../local/azurite/startAzurite';
import { trustedTestTlsFiles } from './testTls';

/** The audience Entra puts in tokens for https://storage.azure.com/.default (what the storage SDK asks for). */
export const STORAGE_AUDIENCE = 'https://storage.azure.com';
/** The scope the storage SDK requests from its credential. */
export const STORAGE_SCOPE = 'https://storage.azure.com/.default';

const TOKEN_LIFETIME_SECONDS = 3600;

export interface AzuriteOAuthInstance {
  /** https://127.0.0.1:PORT/devstoreaccount1 — give it to `new BlobServiceClient(url, credential)`. */
  readonly blobEndpoint: string;
  readonly accountName: string;
  readonly port: number;
  /** Azurite's own process id. */
  readonly pid: number;
  /** Stops Azurite and resolves once it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts Azurite's blob service on https://127.0.0.1 (an OS-chosen port, in memory) with `--oauth basic`,
 * serving the test certificate. The process must trust the test CA (NODE_EXTRA_CA_CERTS, set by `npm test`).
 */
export async function startAzuriteOAuth(): Promise<AzuriteOAuthInstance> {
  const tls = trustedTestTlsFiles('Azurite with OAuth');
  const azurite = await startAzurite({ tls: { certPath: tls.serverCertPath, keyPath: tls.serverKeyPath, caPath: tls.caCertPath }, oauth: true });
  // Deliberately without the connection string: the tests reach storage through the token credential alone.
  return { blobEndpoint: azurite.blobEndpoint, accountName: azurite.accountName, port: azurite.port, pid: azurite.pid, stop: () => azurite.stop() };
}

export interface TestEntraCredentialOptions {
  /** The signed-in identity's object id (the user-delegation key's skoid). Random by default. */
  readonly objectId?: string;
  /** The tenant (sktid, and the issuer's path). Random by default. */
  readonly tenantId?: string;
  /** Default: https://storage.azure.com, as Entra issues for the storage scope. */
  readonly audience?: string;
  /** Default: https://sts.windows.net/<tenantId>/ (an Entra v1 issuer, as storage tokens have). */
  readonly issuer?: string;
  /** Shifts the token's lifetime; a negative value larger than an hour gives an already expired token. */
  readonly lifetimeOffsetSeconds?: number;
}

/**
 * A TokenCredential standing in for DefaultAzureCredential: it mints an Entra-shaped access token for
 * the storage scope locally (Azurite checks issuer, audience and lifetime, not the signature). It
 * records the scopes it was asked for, so a test can see the SDK really took the token path.
 */
export class TestEntraCredential implements TokenCredential {
  readonly objectId: string;
  readonly tenantId: string;
  /** Every getToken() call's scopes, in order. */
  readonly requestedScopes: string[][] = [];
  private readonly signingKey = randomBytes(32);

  constructor(private readonly options: TestEntraCredentialOptions = {}) {
    this.objectId = options.objectId ?? randomUUID();
    this.tenantId = options.tenantId ?? randomUUID();
  }

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.requestedScopes.push(Array.isArray(scopes) ? [...scopes] : [scopes]);
    const now = Math.floor(Date.now() / 1000) + (this.options.lifetimeOffsetSeconds ?? 0);
    const expiresAt = now + TOKEN_LIFETIME_SECONDS;
    const token = await new SignJWT({ oid: this.objectId, tid: this.tenantId, appid: randomUUID(), ver: '1.0' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.options.issuer ?? `https://sts.windows.net/${this.tenantId}/`)
      .setAudience(this.options.audience ?? STORAGE_AUDIENCE)
      .setSubject(this.objectId)
      .setIssuedAt(now)
      // Entra backdates nbf by five minutes for clock skew.
      .setNotBefore(now - 300)
      .setExpirationTime(expiresAt)
      .sign(this.signingKey);
    return { token, expiresOnTimestamp: expiresAt * 1000, tokenType: 'Bearer' };
  }
}
