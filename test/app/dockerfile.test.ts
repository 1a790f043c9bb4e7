// The container image's recipe (Dockerfile, .dockerignore; decision 0021), read without building it:
// no image can be pulled where the suite runs. What it checks is what a deployment relies on: Node 24,
// a build stage and a runtime stage with the runtime dependencies only, a user that is not root, the
// same start as `npm run start:production`, a health check that works, and a build context that admits
// nothing but what the stages copy. test/app/productionBuild.test.ts runs the tree the image holds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { loadConfig } from '../../app/config';
import { projectPath } from '../../app/projectRoot';
import { READY_PATH } from '../../bot/http/server';

interface Instruction {
  readonly keyword: string;
  /** The arguments as written (line continuations joined). */
  readonly text: string;
}

interface Stage {
  readonly image: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

/** Dockerfile instructions by stage: comments dropped, continued lines joined. Enough for this file's syntax (no heredocs, no parser directives). */
function parseDockerfile(source: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const line of source.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  const stages: Array<{ image: string; name?: string; instructions: Instruction[] }> = [];
  for (const line of logical) {
    const [, keyword, text] = /^(\S+)\s+(.*)$/.exec(line)!;
    const instruction = { keyword: keyword!.toUpperCase(), text: text!.trim() };
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.text.split(/\s+/);
      stages.push({ image: image!, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else {
      assert.ok(stages.length > 0, `${line} comes before any FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

const all = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string): Instruction | undefined => all(stage, keyword).at(-1);
/** An instruction in exec form (a JSON array), as CMD and HEALTHCHECK must be for signals and for a shell-less start. */
const execForm = (text: string): string[] => JSON.parse(text) as string[];

/** COPY's sources and destination, and its --from stage if any. */
function copyOf(instruction: Instruction): { from?: string; sources: string[]; destination: string } {
  const words = instruction.text.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { ...(from ? { from } : {}), sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** A path inside a stage: relative ones are under its last WORKDIR before `before`. */
function inStage(stage: Stage, path: string, before: Instruction): string {
  if (path.startsWith('/')) return posix.normalize(path);
  const workdirs = stage.instructions.slice(0, stage.instructions.indexOf(before)).filter((i) => i.keyword === 'WORKDIR');
  return posix.join(workdirs.at(-1)?.text ?? '/', path);
}

/** The major Node version a base image names: node:24-bookworm-slim → 24. */
function nodeMajor(image: string): number | undefined {
  const match = /^node:(\d+)(?:[.-]|$)/.exec(image);
  return match ? Number(match[1]) : undefined;
}

describe('the container image (Dockerfile)', () => {
  const stages = parseDockerfile(readFileSync(projectPath('Dockerfile'), 'utf8'));
  const runtime = stages.at(-1)!;
  const build = stages.find((s) => s.name === 'build')!;
  const packageJson = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
  const buildConfig = JSON.parse(readFileSync(projectPath('tsconfig.build.json'), 'utf8')) as {
    include: string[];
    compilerOptions: { outDir: string; rootDir: string };
  };

  it('builds in a stage of its own, and every stage runs the Node version production targets (24, as package.json asks)', () => {
    assert.ok(build && build !== runtime, 'a build stage, then the runtime stage');
    const wanted = Number(/^>=\s*(\d+)/.exec(packageJson.engines.node)![1]);
    assert.equal(wanted, 24);
    for (const stage of stages) assert.equal(nodeMajor(stage.image), wanted, `${stage.name ?? 'a stage'} starts from ${stage.image}`);
  });

  it('the build stage installs everything, copies what tsconfig.build.json compiles, and runs npm run build', () => {
    const runs = all(build, 'RUN').map((i) => i.text);
    assert.ok(
      runs.some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev')),
      'the compiler is a dev dependency',
    );
    assert.ok(runs.includes('npm run build'));
    const copied = all(build, 'COPY').flatMap((i) => copyOf(i).sources);
    for (const entry of buildConfig.include) assert.ok(copied.includes(entry), `the build stage copies ${entry}, which the build compiles`);
    for (const file of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'tsconfig.build.json'])
      assert.ok(copied.includes(file), `the build stage copies ${file}`);
  });

  it('the runtime stage installs the runtime dependencies only and runs as a user that is not root', () => {
    const runs = all(runtime, 'RUN').map((i) => i.text);
    assert.ok(runs.some((r) => /^npm ci --omit=dev\b/.test(r)));
    assert.ok(!runs.some((r) => /\bnpm (ci|install)\b/.test(r) && !r.includes('--omit=dev')), 'no install with dev dependencies');
    const user = last(runtime, 'USER');
    assert.ok(user, 'a USER');
    assert.ok(!['root', '0', '0:0', 'root:root'].includes(user.text), `USER ${user.text}`);
    assert.ok(runtime.instructions.indexOf(user) < runtime.instructions.indexOf(last(runtime, 'CMD')!), 'the user is set before the start');
  });

  it('starts as npm run start:production does: the same node flags and environment, node itself (no shell), NODE_ENV=production', () => {
    // "MALLOC_ARENA_MAX=2 exec node --max-semi-space-size=4 dist/app/main.js"
    const [, assignments, command] = /^((?:\w+=\S+\s+)*)exec\s+(.+)$/.exec(packageJson.scripts['start:production']!)!;
    const env = all(runtime, 'ENV')
      .map((i) => i.text)
      .join(' ');
    for (const assignment of assignments!.trim().split(/\s+/)) assert.ok(env.split(/\s+/).includes(assignment), `ENV ${assignment}`);
    assert.ok(env.split(/\s+/).includes('NODE_ENV=production'));
    assert.deepEqual(execForm(last(runtime, 'CMD')!.text), command!.split(/\s+/));
  });

  it("the file it starts is the build's output, taken from the build stage", () => {
    const cmd = last(runtime, 'CMD')!;
    const script = execForm(cmd.text).find((arg) => arg.endsWith('.js'))!;
    const started = inStage(runtime, script, cmd);
    // The runtime stage's copy of the build stage's output folder holds it ...
    const copy = all(runtime, 'COPY')
      .map((i) => ({ i, ...copyOf(i) }))
      .find((c) => c.from === build.name && started.startsWith(`${inStage(runtime, c.destination, c.i)}/`));
    assert.ok(copy, `a COPY --from=${build.name} brings ${started}`);
    const builtAt = posix.join(inStage(build, copy.sources[0]!, copy.i), posix.relative(inStage(runtime, copy.destination, copy.i), started));
    // ... and the build writes it there: tsconfig.build.json's outDir under the build stage's WORKDIR, from a source it compiles.
    const buildRun = all(build, 'RUN').find((i) => i.text === 'npm run build')!;
    const outDir = inStage(build, buildConfig.compilerOptions.outDir, buildRun);
    assert.ok(builtAt.startsWith(`${outDir}/`), `${builtAt} is in the build's output ${outDir}`);
    const source = posix.join(buildConfig.compilerOptions.rootDir, posix.relative(outDir, builtAt)).replace(/\.js$/, '.ts');
    assert.ok(existsSync(projectPath(source)), `${source} exists`);
    assert.ok(
      buildConfig.include.some((entry) => source === entry || source.startsWith(`${entry}/`)),
      `tsconfig.build.json compiles ${source}`,
    );
  });

  it('takes the files production reads at run time: the default sources and holidays, and the Teams manifest', () => {
    const copied = all(runtime, 'COPY')
      .filter((i) => !copyOf(i).from)
      .flatMap((i) => copyOf(i).sources);
    for (const file of ['config', 'appPackage/manifest.json']) assert.ok(copied.includes(file), `the runtime stage copies ${file}`);
  });

  it("exposes the bot's default port", () => {
    const defaultPort = loadConfig({}, projectPath()).port;
    assert.deepEqual(
      all(runtime, 'EXPOSE').map((i) => i.text),
      [String(defaultPort)],
    );
  });

  describe('its HEALTHCHECK', () => {
    let server: Server;
    let status = 200;
    const asked: string[] = [];
    before(async () => {
      server = createServer((req, res) => {
        asked.push(req.url ?? '');
        res.statusCode = req.url === READY_PATH ? status : 404;
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs the check's command as Docker does (exec form, the container's environment), against whatever listens on `port`. */
    function check(port: number): Promise<number | null> {
      const healthcheck = last(runtime, 'HEALTHCHECK');
      assert.ok(healthcheck, 'a HEALTHCHECK');
      const [command, ...args] = execForm(/\bCMD\s+(\[.*\])$/.exec(healthcheck.text)![1]!);
      assert.equal(command, 'node', 'node asks: the slim image has no curl or wget');
      const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, stdio: 'ignore' });
      return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    }

    it('asks /readyz and passes (0) while it answers 200, fails (1) on 503', async () => {
      const port = (server.address() as AddressInfo).port;
      status = 200;
      assert.equal(await check(port), 0);
      status = 503;
      assert.equal(await check(port), 1);
      assert.deepEqual(asked, [READY_PATH, READY_PATH]);
    });

    it('fails (1) when nothing answers', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      assert.equal(await check(port), 1);
    });
  });

  describe('its build context (.dockerignore)', () => {
    const rules = readFileSync(projectPath('.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const admitted = rules.filter((rule) => rule.startsWith('!')).map((rule) => rule.slice(1).replace(/\/$/, ''));

    it('leaves everything out first, then admits exactly what the stages copy from it', () => {
      assert.equal(rules[0], '*');
      const copied = stages.flatMap((stage) =>
        all(stage, 'COPY')
          .filter((i) => !copyOf(i).from)
          .flatMap((i) => copyOf(i).sources.map((s) => s.replace(/\/$/, ''))),
      );
      assert.deepEqual([...new Set(copied)].sort(), [...admitted].sort());
      for (const path of admitted) assert.ok(existsSync(projectPath(path)), `${path} exists`);
    });

    it('admits no secret, store or development tree', () => {
      for (const path of ['.env', '.data', 'node_modules', 'dist', 'test', 'bench', 'local', '.git', '.tmp']) {
        assert.ok(!admitted.some((entry) => entry === path || entry.startsWith(`${path}/`)), `${path} stays out`);
      }
    });
  });
});
