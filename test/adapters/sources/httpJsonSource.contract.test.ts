import { createServer, type Server } from 'node:http';
import { HttpJsonSource } from '../../../adapters/sources/httpJsonSource';
import type { SourceRecord } from '../../../domain/export/dataSource';
import type { SourceDisclosure } from '../../../domain/export/dataSource';
import { dataSourceContract } from '../../contracts/dataSource.contract';
import { recipientInEea, testDisclosure } from '../../helpers/exportFixtures';
import { closeServer, listenOnLoopback } from '../../support/loopback';

const disclosure = {
  title: 'Customer support tickets',
  purposes: ['answering support requests'],
  categories: ['contact history', 'ticket contents'],
  recipients: [recipientInEea('support team')],
  retention: '2 years after the ticket closes',
  legalBasis: { article: '6(1)(b)', text: 'contract' },
  origin: 'provided by you',
  providedBySubject: 'all',
  portable: true,
  automatedDecisionMaking: { used: false },
  ccpa: testDisclosure.ccpa,
} satisfies SourceDisclosure;

const megan = {
  objectId: 'a1b2c3d4-0002-4000-8000-00000000a002',
  displayName: 'Megan Bowen',
  userPrincipalName: 'meganb@example.com',
  mail: 'meganb@example.com',
};
const adele = {
  objectId: 'a1b2c3d4-0003-4000-8000-00000000a003',
  displayName: 'Adele Vance',
  userPrincipalName: 'adelev@example.com',
  mail: 'adelev@example.com',
};

/** What the application holds, per person. */
const DATA: Record<string, SourceRecord[]> = {
  [megan.objectId]: [
    { ticket: 'T-100', opened: '2026-01-05T10:00:00Z', subject: 'Cannot log in', contact: 'meganb@example.com', tags: ['login', 'urgent'] },
    { ticket: 'T-104', opened: '2026-01-09T12:30:00Z', subject: 'Invoice address wrong', contact: 'meganb@example.com', tags: [] },
    { ticket: 'T-117', opened: '2026-02-01T08:15:00Z', subject: 'Thanks for the help', contact: 'meganb@example.com', satisfaction: 5 },
    {
      ticket: 'T-121',
      opened: '2026-02-11T16:45:00Z',
      subject: 'Export my newsletter settings',
      contact: 'meganb@example.com',
      details: { channel: 'chat', agentRole: 'support' },
    },
    { ticket: 'T-130', opened: '2026-02-20T09:00:00Z', subject: 'Closed by mistake', contact: 'meganb@example.com', reopened: true },
  ],
  [adele.objectId]: [{ ticket: 'T-101', opened: '2026-01-06T11:00:00Z', subject: 'Where is my parcel', contact: 'adelev@example.com', tags: ['delivery'] }],
};

/** Pages of this many records, so a subject's records span several pages. */
const PAGE = 2;

/**
 * The application's API: GET /people/{objectId}/tickets?page=N, pages linked by "next", an empty
 * list for someone it has no tickets for. `failFromPage` makes every page from that one on a 503.
 */
function startApp() {
  const state = { failFromPage: Infinity };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/people\/([^/]+)\/tickets$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404);
      return res.end();
    }
    const page = Number(url.searchParams.get('page') ?? 1);
    if (page >= state.failFromPage) {
      // Like many real APIs, the error body quotes who was asked about.
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: `backend down while reading ${JSON.stringify(DATA[decodeURIComponent(match[1]!)] ?? [])}` }));
    }
    const all = DATA[decodeURIComponent(match[1]!)] ?? [];
    const items = all.slice((page - 1) * PAGE, page * PAGE);
    const next = page * PAGE < all.length ? `/people/${match[1]}/tickets?page=${page + 1}` : null;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result: { tickets: items }, paging: { next } }));
  });
  return { server, state };
}

dataSourceContract('HttpJsonSource (a local application API, paged)', async () => {
  const app = startApp();
  const base = `http://127.0.0.1:${await listenOnLoopback(app.server)}`;
  const source = new HttpJsonSource('support-tickets', disclosure, {
    urlTemplate: `${base}/people/{objectId}/tickets`,
    recordsPath: 'result.tickets',
    nextLinkPath: 'paging.next',
    auth: { kind: 'none' },
    retries: 1,
    retryDelayMs: 1,
    maxPages: 100,
  });
  return {
    source,
    subject: megan,
    expected: DATA[megan.objectId]!,
    otherSubject: adele,
    // Mid-read: the first page comes through, the second fails for good.
    breakIt: async () => {
      app.state.failFromPage = 2;
    },
    teardown: () => closeServer(app.server),
  };
});
