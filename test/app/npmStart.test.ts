// The real `npm start` (npm → node app/main.ts → Azurite, the bot, two Agents Playgrounds), stopped by
// each signal a person or a supervisor sends: everything it started must be gone within seconds, and a
// new `npm start` must then come up on the same ports.
//
// "Everything it started" is found two ways, so that neither a reparented orphan nor a process in a group
// of its own escapes: the process tree under npm when the signal is sent (pids with their start times),
// and every process on the machine whose environment names this suite's data folder (all of them inherit it).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../app/projectRoot';

/** How long a start may take on a busy two-core machine (it takes a few seconds on an idle one). */
const START_TIMEOUT_MS = 120_000;
/** A clean stop takes a fraction of a second; this leaves room for a busy machine. */
const STOPPED_WITHIN_MS = 10_000;
/** app/main.ts's STOP_GRACE_MS: a part still running then is killed. */
const MAIN_STOP_GRACE_MS = 5_000;
/** app/main.ts's SIGNAL_ECHO_MS: a second signal later than this forces the stop. */
const MAIN_SIGNAL_ECHO_MS = 1_000;
const EXIT_STOP_FORCED = 3;
const READY_LINE = /Bot endpoint\s+http:\/\/127\.0\.0\.1:\d+\/api\/messages/;

interface Ports {
  readonly bot: number;
  readonly azurite: number;
  /** The admin's Playground; the data subject's is the next port. */
  readonly playground: number;
}

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly startTime: string;
  readonly state: string;
  readonly command: string;
}

interface NpmStart {
  readonly npm: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  waitFor(line: RegExp, what: string): Promise<void>;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fields after it are space-separated.
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, state: after[0]!, ppid: Number(after[1]), startTime: after[19]!, command };
  } catch {
    return undefined; // gone
  }
}

function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** Still there (a zombie no longer holds anything, and a reused pid is someone else). */
function stillRunning(known: ProcessInfo): boolean {
  const now = readProcess(known.pid);
  return now !== undefined && now.startTime === known.startTime && now.state !== 'Z';
}

/** `root` and every process below it. */
function processTree(root: number): ProcessInfo[] {
  const all = allProcesses();
  const tree = all.filter((p) => p.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i]!.pid));
  return tree.filter((p) => p.state !== 'Z');
}

/** Every live process whose environment contains `entry` (NAME=value). */
function processesWithEnv(entry: string): ProcessInfo[] {
  return allProcesses().filter((p) => {
    if (p.state === 'Z' || p.pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(entry);
    } catch {
      return false;
    }
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Four free ports (the Playgrounds' two consecutive), below Linux's ephemeral range so no outgoing connection takes one meanwhile. */
async function pickPorts(): Promise<Ports> {
  const taken = new Set<number>();
  const pick = async (count: number): Promise<number> => {
    for (let tries = 0; tries < 200; tries++) {
      const first = 20_000 + Math.floor(Math.random() * 10_000);
      const candidates = Array.from({ length: count }, (_, i) => first + i);
      if (candidates.some((p) => taken.has(p))) continue;
      if ((await Promise.all(candidates.map(portIsFree))).every(Boolean)) {
        candidates.forEach((p) => taken.add(p));
        return first;
      }
    }
    throw new Error('no free ports between 20000 and 30000');
  };
  return { bot: await pick(1), azurite: await pick(1), playground: await pick(2) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('npm start: stopping (the real npm start, with Azurite and both Playgrounds)', function () {
  this.timeout(START_TIMEOUT_MS + 60_000);
  let dataDir: string;
  let marker: string;
  let ports: Ports;
  let allPorts: number[];
  let current: NpmStart | undefined;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    marker = `PRIVACY_DESK_DATA_DIR=${dataDir}`;
    ports = await pickPorts();
    allPorts = [ports.bot, ports.azurite, ports.playground, ports.playground + 1];
  });

  afterEach(async function () {
    // Whatever a failed test left running goes, so the next test (and the machine) starts clean.
    const left = processesWithEnv(marker);
    if (current?.npm.pid) {
      try {
        process.kill(-current.npm.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (left.length > 0) await delay(500);
    if (this.currentTest?.state === 'failed' && current) console.log(`--- npm start's output ---\n${current.output()}`);
    current = undefined;
  });

  after(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** `npm start` as a person runs it, with this suite's ports and data folder, in a process group of its own. */
  function npmStart(): NpmStart {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      // Set even though empty: a developer's .env cannot then switch this run to production mode.
      MicrosoftAppId: '',
      PRIVACY_DESK_DATA_DIR: dataDir,
      PORT: String(ports.bot),
      AZURITE_BLOB_PORT: String(ports.azurite),
      PLAYGROUND_PORT: String(ports.playground),
      LOG_LEVEL: 'info',
      npm_config_update_notifier: 'false',
    };
    const npm = spawn('npm', ['start'], { cwd: projectPath(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const listeners = new Set<() => void>();
    for (const stream of [npm.stdout!, npm.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        output += chunk;
        listeners.forEach((listener) => listener());
      });
    }
    // 'close', not 'exit': only then has all it printed been read (node writes to npm's stdout directly).
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      npm.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        resolve({ code, signal });
        listeners.forEach((listener) => listener());
      });
    });
    const run: NpmStart = {
      npm,
      exited,
      output: () => output,
      waitFor: (line, what) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => done(new Error(`no ${what} within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
          const check = () => {
            if (line.test(output)) done();
            else if (npm.exitCode !== null || npm.signalCode !== null) done(new Error(`npm start ended (${npm.exitCode ?? npm.signalCode}) before ${what}`));
          };
          const done = (error?: Error) => {
            clearTimeout(timer);
            listeners.delete(check);
            if (error) reject(new Error(`${error.message}\n--- output ---\n${output}`));
            else resolve();
          };
          listeners.add(check);
          check();
        }),
    };
    current = run;
    return run;
  }

  /** Starts npm start on the suite's ports (they must be free) and waits until it prints its URLs and every port answers. */
  async function startAndWaitUntilUp(): Promise<NpmStart> {
    for (const port of allPorts) assert.ok(await portIsFree(port), `port ${port} is free before npm start`);
    const run = npmStart();
    await run.waitFor(READY_LINE, 'URLs printed');
    for (const port of allPorts) assert.equal(await portIsFree(port), false, `something listens on ${port} once npm start is up`);
    return run;
  }

  /** Waits until no process it started is left and every port is free; returns how long that took. */
  async function assertEverythingStops(run: NpmStart, tree: ProcessInfo[], since: number, withinMs = STOPPED_WITHIN_MS): Promise<number> {
    for (;;) {
      const running = [...tree.filter(stillRunning), ...processesWithEnv(marker)];
      const busy: number[] = [];
      for (const port of allPorts) if (!(await portIsFree(port))) busy.push(port);
      const npmDone = run.npm.exitCode !== null || run.npm.signalCode !== null;
      if (running.length === 0 && busy.length === 0 && npmDone) return Date.now() - since;
      if (Date.now() - since > withinMs) {
        const listing = [...new Map(running.map((p) => [p.pid, p])).values()].map((p) => `  ${p.pid} ${p.command.slice(0, 140)}`).join('\n');
        assert.fail(
          `${withinMs} ms after the signal: ${npmDone ? 'npm ended' : 'npm still runs'}; ports still taken: ${busy.join(', ') || 'none'}; ` +
            `processes left:\n${listing || '  none'}\n--- output ---\n${run.output()}`,
        );
      }
      await delay(100);
    }
  }

  function signal(run: NpmStart, to: 'npm' | 'group', name: NodeJS.Signals): void {
    process.kill(to === 'npm' ? run.npm.pid! : -run.npm.pid!, name);
  }

  /** The parts of a running npm start, from its process tree. */
  function parts(tree: ProcessInfo[]) {
    const node = tree.find((p) => p.ppid === tree[0]!.pid && /app\/main\.ts/.test(p.command));
    const azurite = tree.find((p) => /azurite\/dist\/src\/blob\/main\.js/.test(p.command));
    const playgrounds = tree.filter((p) => /m365agentsplayground\/cli\.js/.test(p.command));
    return { node, azurite, playgrounds };
  }

  const cases: Array<{ to: 'npm' | 'group'; signal: NodeJS.Signals }> = [
    { to: 'npm', signal: 'SIGINT' },
    { to: 'npm', signal: 'SIGTERM' },
    { to: 'group', signal: 'SIGTERM' },
    { to: 'group', signal: 'SIGINT' },
  ];
  // Each test starts on the same ports as the one before: a start that comes up is the proof that the
  // previous stop left them free.
  for (const { to, signal: name } of cases) {
    it(`${name} to ${to === 'npm' ? 'the npm process' : 'its process group'} stops the bot, Azurite and both Playgrounds; the next start finds the ports free`, async () => {
      const run = await startAndWaitUntilUp();
      const tree = processTree(run.npm.pid!);
      const { node, azurite, playgrounds } = parts(tree);
      assert.ok(node && azurite && playgrounds.length === 2, `npm start's processes:\n${tree.map((p) => `${p.pid} ${p.command}`).join('\n')}`);

      const sent = Date.now();
      signal(run, to, name);
      await assertEverythingStops(run, tree, sent);
      const { code, signal: endedBy } = await run.exited;
      // A clean stop exits 0, as a platform stopping an instance expects; npm then does too.
      assert.deepEqual({ code, endedBy }, { code: 0, endedBy: null }, run.output());
      assert.match(run.output(), /"msg":"stopped"/);
      assert.doesNotMatch(run.output(), /stop forced/);
    });
  }

  it(`a part that does not stop within the grace period is killed, and the exit code says so (${EXIT_STOP_FORCED})`, async () => {
    const run = await startAndWaitUntilUp();
    const tree = processTree(run.npm.pid!);
    const { azurite } = parts(tree);
    assert.ok(azurite);
    process.kill(azurite.pid, 'SIGSTOP'); // a wedged Azurite: SIGTERM cannot end it, SIGKILL can

    const sent = Date.now();
    signal(run, 'npm', 'SIGTERM');
    const took = await assertEverythingStops(run, tree, sent, MAIN_STOP_GRACE_MS + STOPPED_WITHIN_MS);
    assert.ok(took >= MAIN_STOP_GRACE_MS, `it waited the grace period (${took} ms)`);
    assert.equal((await run.exited).code, EXIT_STOP_FORCED, run.output());
    assert.match(
      run.output(),
      new RegExp(`"reason":"still stopping 5000 ms after SIGTERM","killed":\\[${azurite.pid}\\],"msg":"stop forced: killed what still ran"`),
    );
  });

  it(`a second signal while stopping kills what still runs at once (exit code ${EXIT_STOP_FORCED})`, async () => {
    const run = await startAndWaitUntilUp();
    const tree = processTree(run.npm.pid!);
    const { azurite } = parts(tree);
    assert.ok(azurite);
    process.kill(azurite.pid, 'SIGSTOP');

    const sent = Date.now();
    signal(run, 'npm', 'SIGTERM');
    await delay(MAIN_SIGNAL_ECHO_MS + 500);
    signal(run, 'npm', 'SIGINT');
    await assertEverythingStops(run, tree, sent, MAIN_STOP_GRACE_MS + STOPPED_WITHIN_MS);
    assert.equal((await run.exited).code, EXIT_STOP_FORCED, run.output());
    assert.match(run.output(), new RegExp(`"reason":"SIGINT while stopping","killed":\\[${azurite.pid}\\],"msg":"stop forced: killed what still ran"`));
  });

  it('a signal while it is still starting stops the start and whatever had started, Playgrounds included', async () => {
    for (const port of allPorts) assert.ok(await portIsFree(port), `port ${port} is free before npm start`);
    const run = npmStart();
    // The bot listens; the Playgrounds take a few seconds more to be ready.
    await run.waitFor(/"msg":"Privacy Desk is listening"/, 'the bot listening');
    let tree = processTree(run.npm.pid!);
    for (const deadline = Date.now() + 10_000; parts(tree).playgrounds.length < 2 && Date.now() < deadline; await delay(20)) {
      tree = processTree(run.npm.pid!);
    }
    assert.equal(parts(tree).playgrounds.length, 2, 'both Playgrounds are starting');

    const sent = Date.now();
    signal(run, 'npm', 'SIGINT');
    await assertEverythingStops(run, tree, sent);
    assert.doesNotMatch(run.output(), READY_LINE, 'it was stopped before it was up (otherwise this test proves nothing)');
    const { code, signal: endedBy } = await run.exited;
    assert.deepEqual({ code, endedBy }, { code: 0, endedBy: null }, run.output());
  });
});
