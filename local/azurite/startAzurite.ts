// Starts a real Azurite blob service (the Azure Storage emulator) as a child process: local mode's
// storage, and the integration tests' (test/support/azurite.ts re-exports this).
//
// Why a child process and not Azurite's internal classes: the CLI is Azurite's public interface, so a
// version bump cannot break it silently. We spawn `node <azurite-blob bin>` ourselves (never `npx`) so the
// PID we hold is Azurite's own: killing an npx wrapper leaves Azurite running (see STACK-NOTES).
//
// Stopping is the launcher's job, whatever happens to the launcher (see spawnOwnedNode below): Azurite
// runs in a process group of its own that stop() signals as a whole, and it ends by itself when the
// launching process is gone (parentLifeline.cjs), so it never outlives it holding its port.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { killProcessGroup } from '../../app/processGroups';
import { projectPath } from '../../app/projectRoot';
const LOOPBACK_HOST = '127.0.0.1';

/** Azurite's fixed development account: public, documented by Microsoft, the same on every machine. */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A guard against a wedged start, not a performance expectation (Azurite is ready in about 1 s). */
const START_TIMEOUT_MS = 30_000;
/** stop() asks politely (SIGTERM lets Azurite flush a --location store) and only then forces. */
const STOP_GRACE_MS = 10_000;
/** Keep the tail of Azurite's output so a failed start can say why. */
const MAX_LOG_CHARS = 8_000;
/** Azurite prints this once its HTTP server listens; with --blobPort 0 it is the only way to learn the port. */
const LISTENING_LINE = /successfully listens on https?:\/\/[^\s:]+:(\d+)/;

export interface AzuriteOptions {
  /** Persist to this folder (Azurite's --location). Without it, data lives in memory only. */
  location?: string;
  /** Blob port; 0 (the default) lets the OS choose a free one. */
  port?: number;
  /**
   * Serve https with this certificate and key. `caPath` is the CA Azurite itself must trust: it checks
   * a copy's source by calling itself (tests use a throwaway CA).
   */
  tls?: { readonly certPath: string; readonly keyPath: string; readonly caPath?: string };
  /** Accept Entra bearer tokens (Azurite's `--oauth basic`: issuer, audience and lifetime are checked, not the signature). Needs `tls`. */
  oauth?: boolean;
  /** Aborting it while Azurite starts kills the starting process and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface AzuriteInstance {
  /** Connection string for devstoreaccount1 with its well-known key and this instance's blob endpoint. */
  connectionString: string;
  /** http://127.0.0.1:PORT/devstoreaccount1 */
  blobEndpoint: string;
  port: number;
  accountName: string;
  accountKey: string;
  /** Azurite's own process id (not a wrapper's). */
  pid: number;
  /** Stops Azurite and resolves once the process has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The real script behind the `azurite-blob` bin, read from Azurite's package.json so a layout change is seen. */
export function azuriteBlobMainPath(): string {
  const packageJsonPath = require.resolve('azurite/package.json');
  const bin = (require(packageJsonPath) as { bin: Record<string, string> }).bin['azurite-blob'];
  if (!bin) throw new Error(`azurite/package.json has no "azurite-blob" bin (${packageJsonPath})`);
  return path.resolve(path.dirname(packageJsonPath), bin);
}

/** The preload that ends a child once its parent is gone (see the file; found from the project root, as tsc does not copy it into dist/). */
export const PARENT_LIFELINE_PRELOAD = projectPath('local/azurite/parentLifeline.cjs');
/** The child's file descriptor of the lifeline pipe (0-2 are stdio). */
const LIFELINE_FD = 3;

/**
 * Spawns `node --require parentLifeline.cjs ...args` as a child this process owns:
 * - in a process group of its own (`detached`), so killProcessGroup(pid) reaches whatever it starts, and
 *   a signal meant for its parent (Ctrl+C to the terminal's group) leaves the stopping to the parent,
 *   which stops the parts in order;
 * - with the lifeline pipe as descriptor 3, so it ends by itself once this process is gone, even if this
 *   process was killed with SIGKILL and never got to stop it.
 * stdin is ignored; stdout and stderr are pipes the caller must drain.
 */
export function spawnOwnedNode(args: readonly string[], options: Pick<SpawnOptions, 'cwd' | 'env' | 'windowsHide'> = {}): ChildProcess {
  const env = { ...(options.env ?? process.env), PRIVACY_DESK_LIFELINE_FD: String(LIFELINE_FD) };
  const child = spawn(process.execPath, ['--require', PARENT_LIFELINE_PRELOAD, ...args], {
    ...options,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const lifeline = child.stdio[LIFELINE_FD] as Socket | null;
  if (lifeline) {
    lifeline.on('error', () => undefined); // nothing is written; an error only means the child is gone
    lifeline.unref(); // this process may end while the child runs: that is what the lifeline is for
  }
  return child;
}

/** The reason an aborted signal carries, as an Error. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

/** A promise that rejects with abortError(signal) once `signal` aborts (never settles without one); dispose() when done. */
export function whenAborted(signal: AbortSignal | undefined): { readonly promise: Promise<never>; dispose(): void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined); // a caller that no longer races it must not see an unhandled rejection
  return { promise, dispose: () => onAbort && signal?.removeEventListener('abort', onAbort) };
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  if (options.signal?.aborted) throw abortError(options.signal);
  const args = [
    azuriteBlobMainPath(),
    '--blobHost',
    LOOPBACK_HOST,
    // Azurite accepts port 0 and reports the port the OS chose (LISTENING_LINE): no race for a free port.
    '--blobPort',
    String(options.port ?? 0),
    '--silent', // no access log
    '--disableTelemetry', // telemetry would try the network, which does not exist here
    '--skipApiVersionCheck', // the SDK's API version is newer than Azurite's: without this every call fails
    // Azurite refuses both at once: in-memory, or a folder.
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
    ...(options.tls ? ['--cert', options.tls.certPath, '--key', options.tls.keyPath] : []),
    // Azurite refuses bearer tokens over http.
    ...(options.oauth ? ['--oauth', 'basic'] : []),
  ];
  const env = options.tls?.caPath ? { ...process.env, NODE_EXTRA_CA_CERTS: options.tls.caPath } : process.env;
  const child = spawnOwnedNode(args, { env });

  let log = '';
  const appendLog = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
  };
  // Always drain both pipes: a full pipe would block Azurite.
  child.stdout!.on('data', appendLog);
  child.stderr!.on('data', appendLog);

  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve()); // not spawned at all: there is nothing to wait for
  });
  // If the process ends without stop() (a crash, mocha --exit), do not leave Azurite behind.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) killProcessGroup(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  let port: number;
  const aborted = whenAborted(options.signal);
  try {
    port = await Promise.race([waitForListeningPort(child, () => log), aborted.promise]);
    await Promise.race([waitForTcp(port), aborted.promise]);
  } catch (err) {
    process.off('exit', killOnExit);
    // Not started (or asked to stop while starting): nothing is stored yet, so no need to let it flush.
    killProcessGroup(child.pid, 'SIGKILL');
    await exited;
    throw err;
  } finally {
    aborted.dispose();
  }

  const scheme = options.tls ? 'https' : 'http';
  const blobEndpoint = `${scheme}://${LOOPBACK_HOST}:${port}/${AZURITE_ACCOUNT_NAME}`;
  const connectionString =
    `DefaultEndpointsProtocol=${scheme};AccountName=${AZURITE_ACCOUNT_NAME};` + `AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killProcessGroup(child.pid, 'SIGTERM');
      const force = setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    })();
    return stopping;
  };

  return {
    connectionString,
    blobEndpoint,
    port,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    pid: child.pid!,
    stop,
  };
}

/** Resolves with the port from Azurite's "listens on" line; rejects if it exits or never gets there. */
function waitForListeningPort(child: ChildProcess, currentLog: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
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
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`Azurite exited before listening (code ${code}, signal ${signal}):\n${currentLog()}`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`Azurite could not be spawned: ${err.message}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Azurite did not listen within ${START_TIMEOUT_MS} ms:\n${currentLog()}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** One TCP connect proves the port accepts connections (the log line is printed just after listen()). */
function waitForTcp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: LOOPBACK_HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(new Error(`Azurite reported port ${port} but a TCP connect failed: ${err.message}`));
    });
  });
}
