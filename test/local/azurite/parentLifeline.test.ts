// The safety net: a process that started Azurite and an Agents Playground dies without stopping them
// (SIGKILL: no handler, no 'exit' event runs). They must end by themselves within seconds and free their
// ports (local/azurite/parentLifeline.cjs), although they run in process groups of their own.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../../app/projectRoot';

/** They end at once in practice; this leaves room for a busy machine. */
const GONE_WITHIN_MS = 10_000;

// Starts both through the real launchers, prints their pids and ports, then waits to be killed.
const LAUNCHER = `
const { startAzurite } = require('./local/azurite/startAzurite');
const { startPlayground } = require('./local/playground/startPlayground');
(async () => {
  const azurite = await startAzurite();
  const playground = await startPlayground({ botEndpoint: 'http://127.0.0.1:9/api/messages', user: 'meganb', workDir: process.argv[1] });
  console.log(JSON.stringify({ azurite: { pid: azurite.pid, port: azurite.port }, playground: { pid: playground.pid, port: playground.port } }));
  setInterval(() => undefined, 60_000);
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Started {
  readonly pid: number;
  readonly port: number;
}

/** [state, process group, start time] from /proc/PID/stat, or undefined once it is gone. */
function stat(pid: number): { state: string; pgrp: number; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgrp: Number(fields[2]), startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)));
  });
}

describe('local/azurite/parentLifeline.cjs: children of a killed parent end by themselves', function () {
  this.timeout(120_000);
  let workDir: string;
  let parent: ChildProcess | undefined;
  const leftovers: Array<{ pid: number; startTime: string }> = [];

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'lifeline-'));
  });
  after(() => {
    // Whatever a failed test left: the launcher, and the children it started if they are still the same processes.
    parent?.kill('SIGKILL');
    for (const { pid, startTime } of leftovers) {
      if (stat(pid)?.startTime !== startTime) continue;
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // no such group, or gone
        }
      }
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it('Azurite and a Playground, each in its own process group, stop within seconds of their parent’s SIGKILL', async () => {
    const launcher = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', LAUNCHER, workDir], {
      cwd: projectPath(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    parent = launcher;
    let output = '';
    launcher.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    launcher.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const line = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = output.split('\n').find((l) => l.startsWith('{"azurite"'));
        if (found) resolve(found);
      };
      launcher.stdout!.on('data', check);
      launcher.once('exit', (code) => reject(new Error(`the launcher ended (${code}) before starting both:\n${output}`)));
    });
    const started = JSON.parse(line) as { azurite: Started; playground: Started };
    const children = [started.azurite, started.playground];
    const before = children.map((c) => stat(c.pid)!);
    leftovers.push(...children.map((c, i) => ({ pid: c.pid, startTime: before[i]!.startTime })));
    for (const [i, child] of children.entries()) {
      assert.equal(before[i]!.pgrp, child.pid, `pid ${child.pid} leads a process group of its own`);
      assert.equal(await portIsFree(child.port), false, `port ${child.port} is in use while it runs`);
    }

    const killed = Date.now();
    launcher.kill('SIGKILL');
    for (;;) {
      const running = children.filter((c, i) => {
        const now = stat(c.pid);
        return now !== undefined && now.state !== 'Z' && now.startTime === before[i]!.startTime;
      });
      const busy: number[] = [];
      for (const c of children) if (!(await portIsFree(c.port))) busy.push(c.port);
      if (running.length === 0 && busy.length === 0) break;
      assert.ok(
        Date.now() - killed < GONE_WITHIN_MS,
        `${GONE_WITHIN_MS} ms after the parent's SIGKILL: still running ${running.map((c) => c.pid).join(', ') || 'none'}, ports taken ${busy.join(', ') || 'none'}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
