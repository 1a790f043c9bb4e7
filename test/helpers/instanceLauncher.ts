import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock';

const ROOT = join(__dirname, '../..');
const INSTANCE_SCRIPT = join(ROOT, 'test/helpers/instanceProcess.ts');

export interface InstanceProcess {
  readonly child: ChildProcess;
  /** Resolves once the bot listens; rejects if it exits first. The child is handed back at once: its background jobs may send before then. */
  readonly url: Promise<string>;
  /** Resolves when a source stalled with STALL_SOURCE has handed over its first record. */
  readonly stalled: Promise<void>;
  /** How many exports a source slowed with SLOW_SOURCE has started so far. */
  slowedExports(): number;
}

/** Starts the bot in a child process (test/helpers/instanceProcess.ts), configured from `env`, for tests that kill it. */
export function startInstanceProcess(env: Record<string, string>): InstanceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE_SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code} before listening:\n${output}`)));
  });
  // Registered after the listener above, so `output` already holds the chunk it is called for.
  const stalled = new Promise<void>((resolve) => {
    const onData = () => {
      if (!output.includes('STALLED')) return;
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
  });
  let slowedExports = 0;
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    slowedExports += lines.filter((line) => line === 'SLOWED').length;
  });
  // Observed by the caller when it waits; a kill after listening must not surface as an unhandled rejection.
  url.catch(() => undefined);
  return { child, url, stalled, slowedExports: () => slowedExports };
}

/** A clock this far ahead of the machine's: an instance that starts as if it had waited out earlier leases. */
export function clockAhead(aheadMs: number): Clock {
  return { now: () => new Date(Date.now() + aheadMs) };
}
