import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { HttpJsonSource, type HttpSourceAuth } from '../../../adapters/sources/httpJsonSource';
import { SourceFailure, type SourceDisclosure } from '../../../domain/export/dataSource';
import { recipientInEea, testDisclosure } from '../../helpers/exportFixtures';
import { closeServer, listenOnLoopback } from '../../support/loopback';

const disclosure = {
  ...testDisclosure,
  title: 'CRM',
  purposes: ['sales'],
  categories: ['contact history'],
  recipients: [recipientInEea('sales team')],
  retention: '2 years',
  legalBasis: { article: '6(1)(f)', text: 'legitimate interest' },
  origin: 'the CRM',
  portable: false,
} satisfies SourceDisclosure;
const subject = { objectId: 'a1b2c3d4-0002-4000-8000-00000000a002', displayName: 'Megan Bowen', userPrincipalName: 'meganb@example.com' };

/** A small application API: 25 records for Megan, pages of 10, bearer token required; faults on demand. */
function startApp() {
  const seen: Array<{ url: string; authorization?: string }> = [];
  const faults: Array<{ status: number; retryAfter?: string; body?: string }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const fault = faults.shift();
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      return res.end(fault.body ?? JSON.stringify({ error: 'Megan Bowen meganb@example.com is busy' }));
    }
    if (req.headers.authorization !== 'Bearer app-token') {
      res.writeHead(401);
      return res.end();
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/people\/([^/]+)\/records$/.exec(url.pathname);
    if (!match || decodeURIComponent(match[1]!) !== subject.objectId) {
      res.writeHead(404);
      return res.end();
    }
    const skip = Number(url.searchParams.get('skip') ?? 0);
    const items = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, note: `call ${i + 1}` })).slice(skip, skip + 10);
    const next = skip + 10 < 25 ? `/people/${match[1]}/records?skip=${skip + 10}` : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { items }, ...(next ? { '@odata.nextLink': next } : {}) }));
  });
  return { server, seen, faults };
}

describe('HttpJsonSource (a local application API)', () => {
  let app: ReturnType<typeof startApp>;
  let base: string;
  before(async () => {
    app = startApp();
    base = `http://127.0.0.1:${await listenOnLoopback(app.server)}`;
  });
  after(() => closeServer(app.server));
  beforeEach(() => {
    app.seen.length = 0;
    app.faults.length = 0;
  });

  const source = (auth: HttpSourceAuth = { kind: 'token', getToken: async () => 'app-token' }, retries = 3) =>
    new HttpJsonSource('crm', disclosure, {
      urlTemplate: `${base}/people/{objectId}/records`,
      recordsPath: 'data.items',
      nextLinkPath: '@odata.nextLink',
      auth,
      retries,
      retryDelayMs: 1,
      maxPages: 100,
    });

  async function all(s: HttpJsonSource) {
    const out: unknown[] = [];
    for await (const record of s.records(subject, new AbortController().signal)) out.push(record);
    return out;
  }

  it('follows every page with the app token and yields all the subject’s records', async () => {
    const records = await all(source());
    assert.equal(records.length, 25);
    assert.deepEqual(records[24], { id: 25, note: 'call 25' });
    assert.equal(app.seen.length, 3);
    assert.ok(app.seen.every((r) => r.authorization === 'Bearer app-token'));
    assert.equal(app.seen[0]!.url, `/people/${subject.objectId}/records`);
  });

  it('sends a configured secret header instead of a token', async () => {
    await assert.rejects(
      all(source({ kind: 'header', name: 'authorization', value: 'Bearer wrong' })),
      (e: unknown) => e instanceof SourceFailure && e.reason === 'the endpoint answered HTTP 401',
    );
    assert.equal(app.seen.length, 1, 'a 401 is not retried');
    assert.equal((await all(source({ kind: 'header', name: 'authorization', value: 'Bearer app-token' }))).length, 25);
  });

  it('rides out 429 with Retry-After and 5xx', async () => {
    app.faults.push({ status: 429, retryAfter: '0' }, { status: 503 });
    assert.equal((await all(source())).length, 25);
    assert.equal(app.seen.length, 5);
  });

  it('gives up after its retries with the status only — never the body, which may quote personal data', async () => {
    app.faults.push({ status: 500 }, { status: 500 }, { status: 500 });
    await assert.rejects(all(source(undefined, 2)), (e: unknown) => {
      assert.ok(e instanceof SourceFailure);
      assert.equal(e.reason, 'the endpoint answered HTTP 500');
      assert.doesNotMatch(e.message, /Megan|meganb/);
      return true;
    });
    assert.equal(app.seen.length, 3);
  });

  it('a page that is not JSON fails with where, not with what it said (a parser quotes the body)', async () => {
    app.faults.push({ status: 200, body: '<html>Megan Bowen, meganb@example.com: maintenance</html>' });
    await assert.rejects(all(source()), (e: unknown) => {
      assert.ok(e instanceof SourceFailure);
      assert.equal(e.reason, 'the endpoint answered page 1 with something that is not JSON');
      assert.doesNotMatch(e.message, /Megan|meganb|maintenance/);
      return true;
    });
    assert.equal(app.seen.length, 1, 'not retried: asking again gives the same page');
  });
});
