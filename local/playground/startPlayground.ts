/**
 * Starts one Microsoft 365 Agents Playground process (the offline Teams client) signed in as one
 * demo user, bound to 127.0.0.1 only.
 *
 * - Spawns `node --require loopbackPreload.cjs <playground>/cli.js` directly (no npx/shell), so the
 *   PID we hold is the Playground's own and `stop()` really stops it. It runs in a process group of its
 *   own, which `stop()` signals as a whole, and ends by itself if this process dies without stopping it
 *   (spawnOwnedNode and parentLifeline.cjs, shared with the Azurite launcher).
 * - Writes the user's config (playgroundConfig.ts) and points the Playground at it through
 *   M365_AGENTS_PLAYGROUND_CONFIG_PATH; its log goes to M365_AGENTS_PLAYGROUND_LOGFILE.
 * - Chooses the port BEFORE starting (a free 127.0.0.1 port unless one is given) because the
 *   `--service-url` must name it: every activity this instance sends carries
 *   `serviceUrl = http://127.0.0.1:PORT/_connector`, so the conversation reference the bot stores for
 *   this user leads the bot's proactive messages back to THIS instance's page. If the Playground
 *   silently takes another port (its behaviour when the port is taken), we stop it and retry (or fail,
 *   for an explicit port) rather than run with a service URL that points at the wrong process.
 * - Ready = `Listening on N` read from its stdout AND its `/_internal/v1/testConfig` answering with
 *   our config's currentUser (a bad config prints `Listening on N` and only then exits 1).
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  buildPlaygroundConfig,
  demoUserKey,
  loadDemoDirectory,
  resolveDemoUser,
  writePlaygroundConfig,
  type DemoDirectory,
  type DemoUserKey,
} from './playgroundConfig';
import { projectPath } from '../../app/projectRoot';
import { killProcessGroup } from '../../app/processGroups';
import { abortError, spawnOwnedNode, whenAborted } from '../azurite/startAzurite';

export interface StartPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages (anonymous / local mode). */
  readonly botEndpoint: string;
  /** Who is signed in: demo key (`alexw`, `meganb`, ...), objectId or userPrincipalName. */
  readonly user: DemoUserKey | (string & {});
  /** 127.0.0.1 port; default: a free one. An explicit port that is taken is an error. */
  readonly port?: number;
  /** Directory for the generated config and the log (created if missing); also the process's cwd. */
  readonly workDir: string;
  /** Default: `<workDir>/playground-<key>.log`. */
  readonly logFile?: string;
  /** Default: local/demo/directory.json. */
  readonly directory?: DemoDirectory;
  /** Passed to the config builder: the channel besides General (`null` = none). */
  readonly extraChannel?: string | null;
  /** Default 30 s. */
  readonly startTimeoutMs?: number;
  /** Receives the Playground's stdout/stderr lines (they are also kept for error messages). */
  readonly onOutput?: (line: string) => void;
  /** Aborting it while the Playground starts kills the starting process and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface RunningPlayground {
  /** Open this in a browser: http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  /** Display name of the signed-in user. */
  readonly userName: string;
  stop(): Promise<void>;
  /** Demo key and objectId of the signed-in user. */
  readonly userKey: string;
  readonly userObjectId: string;
  /** The serviceUrl this instance puts on activities (and serves the Bot Connector API at). */
  readonly serviceUrl: string;
  /** The conversation id of this user's 1:1 chat with the bot. */
  readonly personalConversationId: string;
  readonly pid: number;
  readonly configPath: string;
  readonly logFile: string;
}

export class PlaygroundStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaygroundStartError';
  }
}

export const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');
export const LOOPBACK_PRELOAD = projectPath('local/playground/loopbackPreload.cjs');
const HOST = '127.0.0.1';

/** Environment variables of the Playground that must not leak in from the caller's shell. */
const SCRUBBED_ENV = [
  'NODE_OPTIONS',
  'TEAMSAPPTESTER_PORT',
  'TEAMSAPPTESTER_LOGFILE',
  'TEAMS_APP_TEST_TOOL_CONFIG_PATH',
  'M365_AGENTS_PLAYGROUND_SERVICE_URL',
  'M365_AGENTS_PLAYGROUND_CONVERSATION_ID',
  'M365_AGENTS_PLAYGROUND_DELIVERY_MODE',
  'M365_AGENTS_PLAYGROUND_ENABLE_EVENTS_RECORDING',
  'BOT_ENDPOINT',
];

/** Asks the OS for a free port on 127.0.0.1 (closed again before returning). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen({ port, host: HOST }, () => server.close(() => resolveFree(true)));
  });
}

async function tail(path: string, lines: number): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log file was written)';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/** stop() asks with SIGTERM (the Playground has no handler for it: it ends at once) and forces after this. */
const STOP_GRACE_MS = 5000;

/** Stops the Playground's whole process group: SIGTERM, then SIGKILL if it is still there after STOP_GRACE_MS. */
async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  killProcessGroup(child.pid, 'SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) return;
  killProcessGroup(child.pid, 'SIGKILL');
  await waitForExit(child, STOP_GRACE_MS);
}

interface Attempt {
  readonly child: ChildProcess;
  readonly listeningPort: Promise<number>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: string[];
}

function spawnPlayground(args: string[], env: NodeJS.ProcessEnv, cwd: string, onOutput?: (line: string) => void): Attempt {
  const child = spawnOwnedNode(['--require', LOOPBACK_PRELOAD, PLAYGROUND_CLI, ...args], { cwd, env, windowsHide: true });
  const output: string[] = [];
  let resolveListening!: (port: number) => void;
  let rejectListening!: (e: Error) => void;
  const listeningPort = new Promise<number>((res, rej) => {
    resolveListening = res;
    rejectListening = rej;
  });
  listeningPort.catch(() => undefined);
  const onLine = (line: string): void => {
    if (line === '') return;
    output.push(line);
    if (output.length > 200) output.shift();
    onOutput?.(line);
    const m = /Listening on (\d+)/.exec(line);
    if (m) resolveListening(Number(m[1]));
  };
  // Keep draining both pipes for the life of the process, or it blocks once a pipe buffer fills.
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream.on('end', () => onLine(buffered));
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      rejectListening(new Error(`exited (code ${code}, signal ${signal}) before printing "Listening on N"`));
      res({ code, signal });
    });
    child.once('error', (error) => {
      rejectListening(error);
      res({ code: null, signal: null });
    });
  });
  return { child, listeningPort, exited, output };
}

/** Polls the Playground's own config endpoint until it serves OUR config (proves it loaded the file). */
async function waitUntilServing(port: number, aadObjectId: string, deadline: number, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(`http://${HOST}:${port}/_internal/v1/testConfig`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        const body = (await res.json()) as { config?: { currentUser?: { aadObjectId?: string } } };
        const current = body.config?.currentUser?.aadObjectId;
        if (current === aadObjectId) return;
        lastProblem = `it serves currentUser ${current ?? '(none)'} instead of ${aadObjectId} (config file not used?)`;
      } else {
        lastProblem = `GET /_internal/v1/testConfig answered ${res.status}`;
      }
    } catch (e) {
      lastProblem = (e as Error).message;
    }
    await delay(100);
  }
  if (gone) throw new Error('exited while starting');
  throw new Error(`not ready before the deadline: ${lastProblem}`);
}

export interface LaunchPlaygroundOptions {
  readonly botEndpoint: string;
  /** An existing Playground config file (normally written by playgroundConfig.ts). */
  readonly configPath: string;
  /** The config's currentUser.aadObjectId: readiness waits until the Playground serves it. */
  readonly expectedAadObjectId: string;
  /** For messages, e.g. "Megan Bowen (meganb)". */
  readonly label: string;
  readonly workDir: string;
  readonly logFile: string;
  readonly port?: number;
  readonly startTimeoutMs?: number;
  readonly onOutput?: (line: string) => void;
  /** More Playground CLI arguments, e.g. ['--enable-events-recording']. */
  readonly extraArgs?: readonly string[];
  /** Aborting it while the Playground starts kills the starting process and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface LaunchedPlayground {
  readonly port: number;
  readonly url: string;
  readonly serviceUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The process part of startPlayground, for a config file you already have: port choice, spawn with the
 * loopback preload, `Listening on N`, readiness, and a readable error (with the log's tail) on failure.
 */
export async function launchPlayground(options: LaunchPlaygroundOptions): Promise<LaunchedPlayground> {
  const endpoint = new URL(options.botEndpoint); // throws on a malformed endpoint
  const workDir = resolve(options.workDir);
  const logFile = resolve(options.logFile);
  const configPath = resolve(options.configPath);
  await mkdir(workDir, { recursive: true });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED_ENV) delete env[name];
  Object.assign(env, {
    // If this file did not exist the Playground would silently fall back to its built-in config.
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    TEAMSAPPTESTER_BROWSER: 'none',
  });
  try {
    await access(configPath);
  } catch {
    throw new PlaygroundStartError(`Agents Playground config ${configPath} does not exist`);
  }

  const aborted = whenAborted(options.signal);
  try {
    return await launchAttempts(options, { endpoint, workDir, logFile, configPath, env, timeoutMs, deadline, aborted: aborted.promise });
  } finally {
    aborted.dispose();
  }
}

interface LaunchContext {
  readonly endpoint: URL;
  readonly workDir: string;
  readonly logFile: string;
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly deadline: number;
  /** Rejects with the abort reason once options.signal is aborted (never settles otherwise). */
  readonly aborted: Promise<never>;
}

async function launchAttempts(options: LaunchPlaygroundOptions, context: LaunchContext): Promise<LaunchedPlayground> {
  const { endpoint, workDir, logFile, configPath, env, timeoutMs, deadline, aborted } = context;
  const maxAttempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    let port = options.port;
    if (port !== undefined) {
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new PlaygroundStartError(`Invalid port ${port}`);
      if (!(await isPortFree(port))) {
        throw new PlaygroundStartError(
          `Port ${port} on ${HOST} is already in use; cannot start the Agents Playground for ${options.label} there ` +
            `(the Playground would silently move to another port while its service URL still named ${port}).`,
        );
      }
    } else {
      port = await freeLoopbackPort();
    }
    const serviceUrl = `http://${HOST}:${port}/_connector`;
    const args = [
      '-e',
      endpoint.toString(),
      '-c',
      'msteams',
      '-p',
      String(port),
      '--service-url',
      serviceUrl,
      '--disable-telemetry',
      ...(options.extraArgs ?? []),
    ];
    const run = spawnPlayground(args, env, workDir, options.onOutput);
    const child = run.child;
    // Whatever happens from here, this process does not leave the Playground behind when it exits
    // (parentLifeline.cjs also covers an exit that runs no handlers).
    const killOnExit = (): void => {
      if (child.exitCode === null && child.signalCode === null) killProcessGroup(child.pid, 'SIGTERM');
    };
    process.once('exit', killOnExit);
    const fail = async (why: string): Promise<never> => {
      process.removeListener('exit', killOnExit);
      if (options.signal?.aborted) {
        // Asked to stop while starting: nothing to keep, no reason to wait.
        killProcessGroup(child.pid, 'SIGKILL');
        await run.exited;
        throw abortError(options.signal);
      }
      await killChild(child);
      const logTail = await tail(logFile, 20);
      const out = run.output.slice(-10).join('\n') || '(nothing)';
      throw new PlaygroundStartError(
        `Agents Playground for ${options.label} failed to start: ${why}\n` +
          `  config: ${configPath}\n  log:    ${logFile}\n` +
          `--- last output ---\n${out}\n--- log tail ---\n${logTail}`,
      );
    };

    let listening: number;
    try {
      listening = await Promise.race([
        run.listeningPort,
        delay(Math.max(0, deadline - Date.now())).then(() => {
          throw new Error(`no "Listening on N" within ${timeoutMs} ms`);
        }),
        aborted,
      ]);
    } catch (e) {
      return fail((e as Error).message);
    }
    if (listening !== port) {
      // Someone took the port between our check and the Playground's: its service URL would be wrong.
      if (attempt < maxAttempts) {
        process.removeListener('exit', killOnExit);
        await killChild(child);
        continue;
      }
      return fail(`it listened on ${listening} instead of ${port} (port taken meanwhile)`);
    }
    try {
      await Promise.race([waitUntilServing(port, options.expectedAadObjectId, deadline, run.exited), aborted]);
    } catch (e) {
      return fail((e as Error).message);
    }

    let stopping: Promise<void> | undefined;
    return {
      port,
      url: `http://${HOST}:${port}/`,
      serviceUrl,
      pid: child.pid!,
      stop: () => {
        stopping ??= killChild(child).finally(() => process.removeListener('exit', killOnExit));
        return stopping;
      },
    };
  }
}

export async function startPlayground(options: StartPlaygroundOptions): Promise<RunningPlayground> {
  const directory = options.directory ?? loadDemoDirectory();
  const user = resolveDemoUser(options.user, directory);
  const key = demoUserKey(user);
  const workDir = resolve(options.workDir);
  const config = buildPlaygroundConfig({
    currentUser: user.objectId,
    directory,
    ...(options.extraChannel !== undefined ? { extraChannel: options.extraChannel } : {}),
  });
  const configPath = await writePlaygroundConfig(join(workDir, `playground-${key}.yml`), config);
  const logFile = resolve(options.logFile ?? join(workDir, `playground-${key}.log`));
  const launched = await launchPlayground({
    botEndpoint: options.botEndpoint,
    configPath,
    expectedAadObjectId: user.objectId,
    label: `${user.displayName} (${key})`,
    workDir,
    logFile,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    url: launched.url,
    port: launched.port,
    userName: user.displayName,
    userKey: key,
    userObjectId: user.objectId,
    serviceUrl: launched.serviceUrl,
    personalConversationId: config.personalChat.id,
    pid: launched.pid,
    configPath,
    logFile,
    stop: () => launched.stop(),
  };
}
