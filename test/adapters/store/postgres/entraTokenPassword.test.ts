// The password function pg asks at every new connection when DATABASE_AUTH=entra. The credential is
// the boundary (on Azure, the managed identity endpoint): a small fake stands in for it, and sinon's
// clock moves time towards the token's expiry.
import assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import sinon from 'sinon';
import { entraTokenPassword, POSTGRES_ENTRA_SCOPE, REFRESH_BEFORE_EXPIRY_MS } from '../../../../adapters/store/postgres/entraTokenPassword';

const HOUR = 3600_000;

/** Issues token-1, token-2, … each valid for an hour from "now"; or fails, or waits to be let go. */
class FakeCredential implements TokenCredential {
  readonly scopesAsked: string[] = [];
  failWith: Error | undefined;
  returnNothing = false;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
    this.scopesAsked.push(...[scopes].flat());
    if (this.gate) await this.gate;
    if (this.failWith) throw this.failWith;
    if (this.returnNothing) return null;
    return { token: `token-${this.scopesAsked.length}`, expiresOnTimestamp: Date.now() + HOUR };
  }

  /** Holds every getToken until release() is called. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.gate = undefined;
    this.openGate?.();
  }
}

describe('entraTokenPassword (PostgreSQL sign-in with a managed identity)', () => {
  let clock: sinon.SinonFakeTimers;
  let credential: FakeCredential;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z'), toFake: ['Date'] });
    credential = new FakeCredential();
  });
  afterEach(() => clock.restore());

  it('asks for a token for Azure Database for PostgreSQL and hands it out as the password', async () => {
    const password = entraTokenPassword(credential);
    assert.equal(await password(), 'token-1');
    assert.deepEqual(credential.scopesAsked, [POSTGRES_ENTRA_SCOPE]);
    assert.equal(POSTGRES_ENTRA_SCOPE, 'https://ossrdbms-aad.database.windows.net/.default');
  });

  it('reuses the token until five minutes before it expires, then fetches a new one', async () => {
    const password = entraTokenPassword(credential);
    assert.equal(await password(), 'token-1');
    clock.tick(HOUR - REFRESH_BEFORE_EXPIRY_MS - 1);
    assert.equal(await password(), 'token-1', 'still well inside its lifetime');
    clock.tick(1);
    assert.equal(await password(), 'token-2', 'five minutes before expiry it is replaced');
    assert.equal(credential.scopesAsked.length, 2);
  });

  it('callers that come while a token is being fetched share that one fetch', async () => {
    const password = entraTokenPassword(credential);
    credential.hold();
    const waiting = Array.from({ length: 10 }, () => password());
    credential.release();
    assert.deepEqual(await Promise.all(waiting), Array(10).fill('token-1'));
    assert.equal(credential.scopesAsked.length, 1);
  });

  it('a failed sign-in is one sentence naming what failed, and the next call tries again', async () => {
    const password = entraTokenPassword(credential);
    credential.failWith = new Error('ManagedIdentityCredential: No managed identity endpoint found.\nMore details follow');
    await assert.rejects(password(), {
      message: `Could not get a Microsoft Entra token to sign in to PostgreSQL (scope ${POSTGRES_ENTRA_SCOPE}): ManagedIdentityCredential: No managed identity endpoint found.`,
    });
    credential.failWith = undefined;
    assert.equal(await password(), 'token-2');
  });

  it('a credential that answers with no token is refused in a sentence', async () => {
    credential.returnNothing = true;
    await assert.rejects(entraTokenPassword(credential)(), /Could not get a Microsoft Entra token to sign in to PostgreSQL .*: the credential returned none\./);
  });

  it('if the early refresh fails, the cached token is used while it is still valid, and not after', async () => {
    const password = entraTokenPassword(credential);
    assert.equal(await password(), 'token-1');
    credential.failWith = new Error('the identity endpoint is busy');
    clock.tick(HOUR - REFRESH_BEFORE_EXPIRY_MS);
    assert.equal(await password(), 'token-1', 'the refresh failed, the old token still works for a few minutes');
    clock.tick(REFRESH_BEFORE_EXPIRY_MS);
    await assert.rejects(password(), /the identity endpoint is busy\./);
  });
});
