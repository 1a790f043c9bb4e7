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
// Like the plain launcher (local/azurite/startAzurite.ts) this spawns Azurite's own CLI, so the PID we
// hold is Azurite's; unlike it, no connection string or account key is handed out: the tests that use
// this must reach storage through the token credential alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { SignJWT } from 'jose';
import { AZURITE_ACCOUNT_NAME, azuriteBlobMainPath } from '../../local/azurite/startAzurite';
import { LOOPBACK_HOST } from './loopback';
import { testTlsFiles } from './testTls';

/** The audience Entra puts in tokens for https://storage.azure.com/.default (what the storage SDK asks for). */
export const STORAGE_AUDIENCE = 'https://storage.azure.com';
/** The scope the storage SDK requests from its credential. */
export const STORAGE_SCOPE = 'https://storage.azure.com/.default';

/** A guard against a wedged start, not a performance expectation (Azurite is ready in about 1 s). */
const START_TIMEOUT_MS = 30_000;
/** stop() asks politely first, then forces. */
const STOP_GRACE_MS = 10_000;
const MAX_LOG_CHARS = 8_000;
/** Azurite prints this once it listens; with --blobPort 0 it is the only way to learn the port. */
const LISTENING_LINE = /successfully listens on https:\/\/[^\s:]+:(\d+)/;
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
  const tls = trustedTlsFiles();
  const args = [
    azuriteBlobMainPath(),
    '--blobHost',
    LOOPBACK_HOST,
    '--blobPort',
    '0',
    '--silent',
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--inMemoryPersistence',
    // OAuth needs https: Azurite refuses bearer tokens over http.
    '--oauth',
    'basic',
    '--cert',
    tls.serverCertPath,
    '--key',
    tls.serverKeyPath,
  ];
  // Azurite checks a copy's source by calling itself over https (BlobHandler.validateCopySource), so it
  // must trust the test CA too.
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caCertPath },
  });

  let log = '';
  const appendLog = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
  };
  child.stdout!.on('data', appendLog);
  child.stderr!.on('data', appendLog);

  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let port: number;
  try {
    port = await waitForListeningPort(child, () => log);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    await exited;
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    })();
    return stopping;
  };

  return {
    blobEndpoint: `https://${LOOPBACK_HOST}:${port}/${AZURITE_ACCOUNT_NAME}`,
    accountName: AZURITE_ACCOUNT_NAME,
    port,
    pid: child.pid!,
    stop,
  };
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

/** The test TLS files, after checking this process trusts their CA (Node reads NODE_EXTRA_CA_CERTS only at start). */
function trustedTlsFiles() {
  const files = testTlsFiles();
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  let present = true;
  try {
    readFileSync(files.caCertPath);
    readFileSync(files.serverCertPath);
    readFileSync(files.serverKeyPath);
  } catch {
    present = false;
  }
  if (!present || !extra || resolve(extra) !== files.caCertPath) {
    throw new Error(
      'Azurite with OAuth serves https with the throwaway test CA, which this process does not trust. ' +
        'Run `npm test`, or for one file: `node --import tsx scripts/prepare-test-tls.ts && ' +
        'NODE_EXTRA_CA_CERTS=$PWD/.tmp/test-tls/ca.pem npx mocha --no-config -r tsx/cjs --extension ts --timeout 90000 --exit <file>`.',
    );
  }
  return files;
}

/** Resolves with the port from Azurite's "listens on https://" line; rejects if it exits or never gets there. */
function waitForListeningPort(child: ChildProcess, currentLog: () => string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let seen = '';
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = LISTENING_LINE.exec(seen);
      if (match) {
        cleanup();
        resolvePort(Number(match[1]));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`Azurite (OAuth) exited before listening (code ${code}, signal ${signal}):\n${currentLog()}`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new Error(`Azurite (OAuth) could not be spawned: ${error.message}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Azurite (OAuth) did not listen on https within ${START_TIMEOUT_MS} ms:\n${currentLog()}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
