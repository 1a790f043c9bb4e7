import restify from 'restify';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../../domain/logger';
import type { PrivacyDeskAdapter } from './privacyDeskAdapter';

/** Teams activities are small; anything larger than this is refused before parsing. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;
export const MESSAGES_PATH = '/api/messages';
export const HEALTH_PATH = '/healthz';

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
    close: () => new Promise((done) => server.close(() => done())),
  };
}
