/**
 * Opens one more Agents Playground, signed in as another demo user, against a bot that is already
 * running (normally the one `npm start` runs on http://127.0.0.1:3978/api/messages).
 *
 *   node --import tsx local/playground/cli.ts --as meganb
 *   node --import tsx local/playground/cli.ts --as adelev --port 56153 --bot http://127.0.0.1:3978/api/messages
 *   node --import tsx local/playground/cli.ts --list
 *
 * Prints the URL to open, then keeps the Playground running until Ctrl-C.
 */
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_USER_KEYS, demoUserKey, loadDemoDirectory, playgroundUsers, resolveDemoUser } from './playgroundConfig';
import { startPlayground } from './startPlayground';

const DEFAULT_BOT = 'http://127.0.0.1:3978/api/messages';
const USAGE = `Usage: node --import tsx local/playground/cli.ts --as <user> [--bot URL] [--port N] [--work-dir DIR]
       node --import tsx local/playground/cli.ts --list

  --as        demo user key (${DEMO_USER_KEYS.join(', ')}), objectId or userPrincipalName
  --bot       the running bot's messaging endpoint (default ${DEFAULT_BOT})
  --port      127.0.0.1 port for this Playground (default: a free one)
  --work-dir  where the generated config and log go (default .tmp/playground)`;

function botIsListening(endpoint: string): Promise<boolean> {
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((done) => {
    const socket = connect({ host: url.hostname, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      as: { type: 'string' },
      bot: { type: 'string', default: DEFAULT_BOT },
      port: { type: 'string' },
      'work-dir': { type: 'string', default: '.tmp/playground' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    const directory = loadDemoDirectory();
    for (const u of playgroundUsers(directory)) {
      const admin = directory.admins.includes(u.objectId) ? '  (privacy admin)' : '';
      console.log(`${demoUserKey(u).padEnd(8)} ${u.displayName.padEnd(16)} ${u.objectId}${admin}`);
    }
    return 0;
  }
  if (!values.as) {
    console.error(USAGE);
    return 2;
  }
  const user = resolveDemoUser(values.as); // fails early, listing the choices
  const botEndpoint = values.bot!;
  if (!(await botIsListening(botEndpoint))) {
    console.warn(`Warning: nothing answers at ${botEndpoint} yet. Start the bot first (npm start); ` + 'the page waits only about 15 s for it after it loads.');
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  const started = Date.now();
  const playground = await startPlayground({
    botEndpoint,
    user: user.objectId,
    workDir: resolve(values['work-dir']!),
    ...(port !== undefined ? { port } : {}),
  });
  console.log(`Agents Playground for ${playground.userName} is ready in ${Date.now() - started} ms: ${playground.url}`);
  console.log(`  serviceUrl ${playground.serviceUrl}   personal chat ${playground.personalConversationId}`);
  console.log(`  config ${playground.configPath}   log ${playground.logFile}   pid ${playground.pid}`);
  console.log('Open the URL (it also registers this user with the bot). Ctrl-C stops this Playground.');

  // The listeners stay while the Playground stops: Ctrl+C reaches this process twice (from the terminal,
  // and relayed by npm), and the second copy must not kill it halfway. stop() is bounded (SIGKILL after
  // 5 s), and should this process die anyway, the Playground ends by itself (parentLifeline.cjs).
  await new Promise<void>((done) => {
    process.on('SIGINT', () => done());
    process.on('SIGTERM', () => done());
  });
  await playground.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
