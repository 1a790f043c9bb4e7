import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger } from './logger';
import { createPrivacyDesk } from './createPrivacyDesk';
import { StoreUnavailableError } from '../adapters/store/openStore';
import { killProcessGroup, processGroupExists } from './processGroups';

/**
 * `npm start`. With no MicrosoftAppId this is local mode: everything embedded and on loopback —
 * Azurite for storage (persisted under the data folder), the demo directory, and the Microsoft 365
 * Agents Playground as the Teams client. With an app id it is the production bot.
 *
 * Local mode runs from the source only (`npm start`, after a full `npm ci`). Its launchers, in local/,
 * are loaded when it starts (LocalModeTools below); the production build (`npm run build`,
 * tsconfig.build.json) has no local/, and its dependencies have no Azurite, Playground or tsx, so
 * started without MicrosoftAppId it stops at once with one sentence and EXIT_BAD_CONFIG (decision 0021).
 *
 * Stopping. SIGINT or SIGTERM — to this process, to npm (package.json's scripts `exec` node, so npm's
 * child, to which it relays both signals, is this process and not a shell that would swallow them), or
 * to the whole process group — stops every part this process started, in order: the Playgrounds, the
 * bot, then Azurite (which the bot's last writes need). Azurite and the Playgrounds run in process groups
 * of their own and are stopped with anything they started.
 * - First the bot drains, for a load balancer: /readyz answers 503 at once, background jobs claim no new
 *   work, and work in flight gets up to SHUTDOWN_GRACE_MS to finish while HTTP is still served. The
 *   drain bounds itself (what is left keeps its lease, which runs out by itself); STOP_GRACE_MS below
 *   counts from its end. With nothing in flight it takes no time.
 * - A signal while starting ends the start where it is and stops whatever had started.
 * - Whatever still runs STOP_GRACE_MS after the signal is killed (SIGKILL, its whole process group).
 * - A second signal (not the echo of the first: SIGNAL_ECHO_MS) does that at once.
 * - If this process dies without stopping them (SIGKILL, a crash), Azurite and the Playgrounds end by
 *   themselves (local/azurite/parentLifeline.cjs).
 * Exit status: 0 for a clean stop, whichever signal asked for it (App Service, Container Apps and
 * Kubernetes send SIGTERM to stop an instance and read any other status as a failure; npm then ends
 * with 0 too, without an error report);
 * EXIT_STOP_FORCED if something had to be killed; EXIT_START_FAILED (a start that failed: one sentence
 * on stderr for a store that cannot be reached, with the stack for anything unexpected),
 * EXIT_BAD_CONFIG otherwise.
 */

/** How long an orderly stop may take; then whatever still runs is killed. A normal stop takes well under a second. */
const STOP_GRACE_MS = 5_000;
/**
 * Ctrl+C in a terminal (or `kill -- -PGID`) reaches npm and this process together, and npm relays its
 * copy here: the same signal again this soon is that echo, not a person asking a second time.
 */
const SIGNAL_ECHO_MS = 1_000;
/** A stop asked for by a signal that ended with everything stopped in order. */
const EXIT_STOPPED = 0;
const EXIT_START_FAILED = 1;
const EXIT_BAD_CONFIG = 2;
/** The stop killed something: a part still ran after STOP_GRACE_MS, failed to stop, or a second signal came. */
const EXIT_STOP_FORCED = 3;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * What local mode needs from local/: the launchers of Azurite, the demo data and the Agents Playground
 * (local/localMode.ts provides them, and checks that it does). They are loaded only when local mode
 * runs, from a module named by a variable, so that tsc does not follow the name into the production
 * build and nothing there loads the development tools they need.
 */
export interface LocalModeTools {
  startAzurite(options: { readonly location: string; readonly port: number; readonly signal: AbortSignal }): Promise<{
    readonly pid: number;
    readonly connectionString: string;
    readonly blobEndpoint: string;
    stop(): Promise<void>;
  }>;
  seedDemoData(connectionString: string): Promise<void>;
  /** Bundles the tab's page from tab/web/ into `outDir` (scripts/buildTab.ts). */
  buildTabPage(outDir: string): Promise<void>;
  startPlayground(options: {
    readonly botEndpoint: string;
    readonly user: string;
    readonly port: number;
    readonly workDir: string;
    readonly signal: AbortSignal;
  }): Promise<{
    readonly pid: number;
    readonly url: string;
    readonly userName: string;
    stop(): Promise<void>;
  }>;
}

/** Relative to this file, in the source tree (app/main.ts) and in a build (dist/app/main.js) alike. */
const LOCAL_MODE_MODULE = '../local/localMode';
const NO_LOCAL_MODE =
  'Privacy Desk cannot start: without MicrosoftAppId it runs in local mode, which this production build does not include; ' +
  'set MicrosoftAppId and the production settings (see .env.example and docs/production.md), or run local mode from the source with `npm start`.';

/** Local mode's launchers, or undefined in the production build, which has no local/. */
function loadLocalModeTools(): LocalModeTools | undefined {
  let path: string;
  try {
    path = require.resolve(LOCAL_MODE_MODULE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  return (require(path) as { localModeTools: LocalModeTools }).localModeTools;
}

/** A started part. `processGroup`: the child process group to kill if the stop does not finish in time. */
interface Part {
  readonly name: string;
  readonly processGroup?: number;
  /** Stops taking new work and lets work in flight finish; bounded by the part itself (SHUTDOWN_GRACE_MS). */
  drain?(): Promise<unknown>;
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  if (typeof process.loadEnvFile === 'function') {
    try {
      process.loadEnvFile();
    } catch {
      // No .env file: the environment alone configures the bot.
    }
  }
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw error;
  }
  let localMode: LocalModeTools | undefined;
  if (config.mode === 'local') {
    localMode = loadLocalModeTools();
    if (!localMode) {
      console.error(NO_LOCAL_MODE);
      process.exit(EXIT_BAD_CONFIG);
    }
  }
  const logger = createLogger(config.logLevel);

  // Parts in the order they started; each inner list started together and stops together.
  const stages: Part[][] = [];
  const starting = new AbortController();
  let stopping: { readonly since: number } | undefined;

  const stopped = new Set<Part>();
  let forced = false;
  const forceExit = (reason: string): void => {
    if (forced) return;
    forced = true;
    const running = stages
      .flat()
      .filter((part) => !stopped.has(part))
      .flatMap((part) => (part.processGroup !== undefined && processGroupExists(part.processGroup) ? [part.processGroup] : []));
    for (const group of running) killProcessGroup(group, 'SIGKILL');
    logger.error({ reason, killed: running }, 'stop forced: killed what still ran');
    void logsWritten(logger, 'error').then(() => process.exit(EXIT_STOP_FORCED));
  };
  let startup: Promise<void> = Promise.resolve();
  /** Stops everything (once), then ends the process with `exit` — or forced, if that takes too long. */
  const stopAll = async (reason: string, exit: () => void): Promise<void> => {
    stopping = { since: Date.now() };
    logger.info({ reason }, 'stopping');
    const forceAfterGrace = () => setTimeout(() => forceExit(`still stopping ${STOP_GRACE_MS} ms after ${reason}`), STOP_GRACE_MS);
    let deadline = forceAfterGrace();
    starting.abort(new Error(`${reason} while starting`));
    await startup.catch(() => undefined); // once aborted it ends at the next step; what it started is in `stages`
    // The drain bounds itself (SHUTDOWN_GRACE_MS); the kill deadline is for what follows it.
    clearTimeout(deadline);
    await Promise.all(
      stages
        .flat()
        .flatMap((part) => (part.drain ? [part.drain().catch((error: unknown) => logger.error({ part: part.name, err: error }, 'could not drain'))] : [])),
    );
    if (forced) return;
    deadline = forceAfterGrace();
    const failed: string[] = [];
    for (const stage of [...stages].reverse()) {
      await Promise.all(
        stage.map((part) =>
          part.stop().then(
            () => void stopped.add(part),
            (error: unknown) => {
              failed.push(part.name);
              logger.error({ part: part.name, err: error }, 'could not stop');
            },
          ),
        ),
      );
    }
    if (forced) return; // forceExit ends the process
    if (failed.length > 0) return forceExit(`could not stop ${failed.join(', ')}`);
    logger.info({ reason }, 'stopped');
    await logsWritten(logger, 'info');
    clearTimeout(deadline);
    if (!forced) exit();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!stopping) {
      void stopAll(signal, () => process.exit(EXIT_STOPPED));
    } else if (Date.now() - stopping.since >= SIGNAL_ECHO_MS) {
      forceExit(`${signal} while stopping`);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  startup = startParts(config, localMode, logger, stages, starting.signal);
  try {
    await startup;
  } catch (error) {
    if (stopping) return; // a signal stopped the start: stopAll decides how this ends
    console.error(`Privacy Desk failed to start: ${startFailure(error)}`);
    await stopAll('failed start', () => process.exit(EXIT_START_FAILED));
  }
}

/**
 * Starts the parts one stage after another, recording each in `stages` as soon as it runs so that a stop
 * finds it. Once `signal` aborts, nothing new starts: a launcher that is starting kills what it started
 * and rejects, and so does this. `localMode` is given in local mode only.
 */
async function startParts(
  initialConfig: AppConfig,
  localMode: LocalModeTools | undefined,
  logger: ReturnType<typeof createLogger>,
  stages: Part[][],
  signal: AbortSignal,
): Promise<void> {
  let config = initialConfig;
  if (localMode && !config.storage.connectionString && !config.storage.accountUrl) {
    const location = join(config.dataDir, 'azurite');
    mkdirSync(location, { recursive: true });
    const azurite = await localMode.startAzurite({ location, port: config.storage.azuritePort, signal });
    stages.push([{ name: 'Azurite', processGroup: azurite.pid, stop: () => azurite.stop() }]);
    signal.throwIfAborted();
    await localMode.seedDemoData(azurite.connectionString);
    config = { ...config, storage: { ...config.storage, connectionString: azurite.connectionString } };
    logger.info({ blobEndpoint: azurite.blobEndpoint }, 'local storage (Azurite) started');
  }

  signal.throwIfAborted();
  // Local mode bundles the tab's page from the source at each start, so it is never older than the code.
  const tabPageDir = localMode ? join(config.dataDir, 'tab-web') : undefined;
  if (localMode && tabPageDir) await localMode.buildTabPage(tabPageDir);
  const desk = await createPrivacyDesk(config, { logger, ...(tabPageDir ? { tabPageDir } : {}) });
  stages.push([{ name: 'bot', drain: () => desk.drain(), stop: () => desk.stop() }]);

  if (localMode && config.playground.enabled) {
    signal.throwIfAborted();
    // One Playground per person who needs a screen: the admin, and a data subject to answer cards.
    // Both start at once; each is recorded as soon as it runs, even if the other fails.
    const botEndpoint = `${desk.server.url}/api/messages`;
    const workDir = join(config.dataDir, 'playground');
    const stage: Part[] = [];
    stages.push(stage);
    const launch = async (user: string, port: number) => {
      const playground = await localMode.startPlayground({ botEndpoint, user, port, workDir, signal });
      stage.push({ name: `Playground (${user})`, processGroup: playground.pid, stop: () => playground.stop() });
      return playground;
    };
    const [admin, subject] = await Promise.allSettled([launch('alexw', config.playground.port), launch('meganb', config.playground.port + 1)]);
    if (admin.status === 'rejected') throw admin.reason;
    if (subject.status === 'rejected') throw subject.reason;
    console.log(
      [
        '',
        'Privacy Desk is running in local mode (loopback only, nothing leaves this machine).',
        `  Privacy admin  ${admin.value.userName.padEnd(14)} ${admin.value.url}`,
        `  Data subject   ${subject.value.userName.padEnd(14)} ${subject.value.url}`,
        '  Another demo user (adelev, isaiahl, pattif, lynner):  npm run playground -- --as adelev',
        `  Bot endpoint   ${botEndpoint}`,
        `  Teams tab      ${desk.server.url}/tab/  (local mode: pick a demo person; in Teams it signs in by itself)`,
        `  Dates are in ${config.timeZone} time${config.timeZoneSource === 'default' ? ' (the default: set PRIVACY_DESK_TIME_ZONE to the tenant’s zone)' : ''}.`,
        '  Open both pages, type "help" in the admin’s. Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
  }
}

/** An operator's problem (an unreachable database) is its sentence; anything else keeps its stack for whoever debugs it. */
function startFailure(error: unknown): string {
  if (error instanceof StoreUnavailableError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Longest wait for the last log line to reach stdout before the process ends. */
const LOG_DRAIN_MS = 500;

/**
 * pino writes asynchronously (sonic-boom), and its flush() does not wait for a write already under way,
 * so a process that ends right after logging can lose its last line (measured: the "stopped" line was
 * missing from about half the stops). Resolves once the destination reports 'drain' (the write is done)
 * or after LOG_DRAIN_MS. Call it in the same tick as the log call it waits for, at that call's `level`.
 */
function logsWritten(logger: pino.Logger, level: pino.Level): Promise<void> {
  const destination = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as EventEmitter | undefined;
  if (!logger.isLevelEnabled(level) || typeof destination?.once !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      destination.off('drain', done);
      resolve();
    };
    const timer = setTimeout(done, LOG_DRAIN_MS);
    destination.once('drain', done);
  });
}

main().catch((error) => {
  console.error(`Privacy Desk failed to start: ${startFailure(error)}`);
  process.exit(EXIT_START_FAILED);
});
