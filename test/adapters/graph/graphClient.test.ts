import assert from 'node:assert/strict';
import { graphScope } from '../../../adapters/graph/graphClient';
import { GraphCredentialError, GraphRequestError, toGraphFailure } from '../../../adapters/graph/graphErrors';
import { FAKE_IDS, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { CapturingLogger, testGraphClient } from './graphTestKit';

describe('adapters/graph: graphClient', function () {
  let fake: FakeGraph;

  before(async function () {
    fake = await startFakeGraph();
  });

  after(async function () {
    await fake?.close();
  });

  beforeEach(function () {
    fake.reset();
  });

  /** The two fields getMegan selects; the Graph SDK hands back its response body untyped. */
  interface SelectedUser {
    id: string;
    displayName: string;
  }

  const getMegan = async (client: ReturnType<typeof testGraphClient>['client']): Promise<SelectedUser> =>
    (await client.api(`/users/${FAKE_IDS.megan}`).select(['id', 'displayName']).get()) as SelectedUser;

  it('asks for "{Graph origin}/.default"', function () {
    assert.equal(graphScope('https://graph.microsoft.com'), 'https://graph.microsoft.com/.default');
    assert.equal(graphScope('https://127.0.0.1:8443/'), 'https://127.0.0.1:8443/.default');
  });

  it('calls Graph v1.0 at the configured base URL with the token, fetched once and reused', async function () {
    const { client } = testGraphClient(fake);
    assert.deepEqual(await getMegan(client), { id: FAKE_IDS.megan, displayName: 'Megan Bowen' });
    await getMegan(client);
    assert.equal(fake.tokenRequests().length, 1);
    const calls = fake.graphRequests();
    assert.deepEqual(
      calls.map((r) => [r.path, r.status]),
      [
        [`/v1.0/users/${FAKE_IDS.megan}`, 200],
        [`/v1.0/users/${FAKE_IDS.megan}`, 200],
      ],
    );
    const authorizations = [...new Set(calls.map((r) => r.authorization))];
    assert.equal(authorizations.length, 1, 'the same token on both calls');
    assert.match(authorizations[0] ?? '', /^Bearer fake-graph-token-\d+$/);
  });

  it('retries a 429, waiting exactly as long as Retry-After says, then succeeds', async function () {
    const { client, waits } = testGraphClient(fake);
    fake.failNext(429, 1, { retryAfterSeconds: 2 });
    assert.equal((await getMegan(client)).displayName, 'Megan Bowen');
    assert.deepEqual(waits, [2000]);
    assert.deepEqual(
      fake.graphRequests().map((r) => [r.status, r.injectedFailure]),
      [
        [429, true],
        [200, false],
      ],
    );
  });

  it('retries 503 and 504 (no Retry-After: the configured back-off), then succeeds', async function () {
    const { client, waits } = testGraphClient(fake);
    fake.failNext(503, 1);
    fake.failNext(504, 1);
    assert.equal((await getMegan(client)).displayName, 'Megan Bowen');
    assert.equal(waits.length, 2);
    assert.deepEqual(
      fake.graphRequests().map((r) => r.status),
      [503, 504, 200],
    );
  });

  it('gives up after maxRetries with a GraphRequestError naming the status, code and request-id', async function () {
    const { client, waits } = testGraphClient(fake, { maxRetries: 2 });
    fake.failNext(503, 5);
    await assert.rejects(
      getMegan(client).catch((error: unknown) => {
        throw toGraphFailure(error, 'reading a test user');
      }),
      (error: Error) => {
        assert.ok(error instanceof GraphRequestError);
        assert.equal(error.status, 503);
        assert.equal(error.code, 'ServiceUnavailable');
        assert.match(error.message, /^Microsoft Graph answered 503 ServiceUnavailable while reading a test user \(request-id [0-9a-f-]{36}\)\.$/);
        return true;
      },
    );
    assert.equal(fake.graphRequests().length, 3, 'the first attempt and two retries');
    assert.equal(waits.length, 2);
  });

  it('does not retry a 500 (the library retries only 429, 503 and 504)', async function () {
    const { client, waits } = testGraphClient(fake);
    fake.failNext(500, 1);
    await assert.rejects(getMegan(client), (error: { statusCode?: number }) => error.statusCode === 500);
    assert.equal(fake.graphRequests().length, 1);
    assert.deepEqual(waits, []);
  });

  it('logs each throttled attempt with status, Retry-After and request-id, but not the URL', async function () {
    const logger = new CapturingLogger();
    const { client } = testGraphClient(fake, { logger });
    fake.failNext(429, 1, { retryAfterSeconds: 1 });
    await client
      .api(`/users/${encodeURIComponent('meganb@example.com')}`)
      .select(['id'])
      .get();
    assert.equal(logger.entries.length, 1);
    const [entry] = logger.entries;
    assert.equal(entry?.level, 'warn');
    assert.deepEqual(
      { ...entry?.fields, requestId: typeof entry?.fields.requestId },
      { graphMethod: 'GET', status: 429, retryAfter: '1', requestId: 'string' },
    );
    assert.doesNotMatch(logger.text(), /meganb|users/);
  });

  it('turns a refused sign-in into a GraphCredentialError with the credential’s own sentence', async function () {
    fake.refuseClientSecret();
    const { client } = testGraphClient(fake);
    await assert.rejects(
      getMegan(client).catch((error: unknown) => {
        throw toGraphFailure(error, 'reading a test user');
      }),
      (error: Error) => {
        assert.ok(error instanceof GraphCredentialError);
        assert.match(error.message, /^Privacy Desk could not sign in to Microsoft Graph: the token endpoint refused the client secret/);
        return true;
      },
    );
    assert.equal(fake.graphRequests().length, 0, 'no Graph call without a token');
  });
});
