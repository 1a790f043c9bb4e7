import restify from 'restify';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../../domain/logger';
import type { PrivacyDeskAdapter } from './privacyDeskAdapter';
import type { ReadinessReport } from './readiness';
import { TAB_API_PATH, type TabApi } from '../../tab/api/tabApi';
import { TAB_CONTENT_SECURITY_POLICY, TAB_PAGE_PATH, type TabPageFile } from '../../tab/tabPage';

/** Teams activities are small; anything larger than this is refused before parsing. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;
export const MESSAGES_PATH = '/api/messages';
/** Liveness: the process is up and serving HTTP. */
export const HEALTH_PATH = '/healthz';
/** Readiness: the instance can do its work now (store, storage), and is not stopping. */
export const READY_PATH = '/readyz';

export interface BotServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startBotServer(options: {
  adapter: PrivacyDeskAdapter;
  logic: (context: TurnContext) => Promise<void>;
  host: string;
  port: number;
  logger: Logger;
  /** What /readyz reports; without it /readyz answers as /healthz does. */
  readiness?: () => Promise<ReadinessReport>;
  /** The Teams tab's JSON API under TAB_API_PATH; without it those paths answer 404. */
  tabApi?: TabApi;
  /** The Teams tab's built page under TAB_PAGE_PATH (tab/tabPage.ts); without it those paths answer 404. */
  tabPage?: ReadonlyMap<string, TabPageFile>;
}): Promise<BotServer> {
  const server = restify.createServer({ name: 'privacy-desk', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false, rejectUnknown: true }));
  server.post(MESSAGES_PATH, async (req, res) => {
    const answer = await options.adapter.handle({ headers: req.headers, body: req.body }, options.logic);
    res.status(answer.status);
    if (answer.body !== undefined) res.send(answer.body);
    else res.end();
  });
  server.get(HEALTH_PATH, async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  // A load balancer sends work only to instances that answer 200 here. The body names failing checks
  // by a word ("store", "storage", "stopping"): no host, no reason text, nothing about anyone.
  server.get(READY_PATH, async (_req, res) => {
    const report = options.readiness ? await options.readiness() : { ready: true, failing: [] };
    res.header('Cache-Control', 'no-store');
    res.send(report.ready ? 200 : 503, report.ready ? { ready: true } : { ready: false, failing: report.failing });
  });
  const tabApi = options.tabApi;
  if (tabApi) {
    const handle = async (req: restify.Request, res: restify.Response) => {
      // Answers name people and their requests: no cache anywhere keeps them, failures included.
      res.header('Cache-Control', 'no-store');
      try {
        const url = new URL(req.url ?? '/', 'http://tab.invalid');
        const answer = await tabApi.handle({
          method: req.method ?? 'GET',
          path: url.pathname.slice(TAB_API_PATH.length),
          query: url.searchParams,
          fromLoopback: isLoopbackAddress(req.socket.remoteAddress),
          ...(req.headers.host ? { host: req.headers.host } : {}),
          ...(req.body !== undefined ? { body: req.body as unknown } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        });
        for (const [name, value] of Object.entries(answer.headers ?? {})) res.header(name, value);
        res.send(answer.status, answer.body);
      } catch (error) {
        // restify would answer with the error's own text (a database host, a Graph message naming someone).
        options.logger.error({ err: error, path: req.path() }, 'tab API call failed');
        res.send(500, { error: { code: 'internal', message: 'Something went wrong in Privacy Desk. Try again in a minute.' } });
      }
    };
    server.get(`${TAB_API_PATH}/*`, handle);
    server.post(`${TAB_API_PATH}/*`, handle);
  }
  const tabPage = options.tabPage;
  if (tabPage) {
    server.get(TAB_PAGE_PATH, async (_req, res) => {
      res.header('Location', `${TAB_PAGE_PATH}/`);
      res.send(301);
    });
    server.get(`${TAB_PAGE_PATH}/*`, async (req, res) => {
      const name = new URL(req.url ?? '/', 'http://tab.invalid').pathname.slice(TAB_PAGE_PATH.length + 1) || 'index.html';
      const file = tabPage.get(name);
      res.header('Content-Security-Policy', TAB_CONTENT_SECURITY_POLICY);
      res.header('X-Content-Type-Options', 'nosniff');
      res.header('Referrer-Policy', 'no-referrer');
      if (!file) {
        res.send(404, { error: { code: 'not_found', message: 'There is nothing at this address.' } });
        return;
      }
      // Small and rebuilt with every release: always asked again, answered from the memory copy.
      res.header('Cache-Control', 'no-cache');
      res.header('Content-Type', file.contentType);
      res.sendRaw(200, file.body);
    });
  }
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
      }),
  };
}

/** The caller's address is this machine's: IPv4 loopback, IPv6 loopback, or IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
