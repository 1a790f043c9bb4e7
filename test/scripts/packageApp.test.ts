/**
 * scripts/packageApp.ts: the uploadable Teams app package.
 *
 * Builds real packages into a temporary folder, opens them with yauzl (not with anything the script
 * uses) and checks what Teams will see: the three files at the root, a manifest that validates against
 * the pinned schema offline and carries the given ids, and the committed icons byte for byte. Then the
 * refusals: each bad input gets a sentence naming it, and no ZIP appears. The command line is run as a
 * child process with a controlled environment.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { AppPackageError, buildAppPackage, MY_DATA_REQUESTS_TAB_ID, PINNED_SCHEMA_URL, type TeamsManifest } from '../../scripts/packageApp';

const ROOT = join(__dirname, '..', '..');
const APP_PACKAGE = join(ROOT, 'appPackage');
const SCRIPT = join(ROOT, 'scripts', 'packageApp.ts');

/** A real (random-looking, non-nil) GUID, as an Azure Bot registration would have. */
const APP_ID = '6f1c2e0a-9b7d-4c3e-8a51-2d4b6e8f0a13';
const TEAMS_APP_ID = 'c0ffee00-1234-4abc-9def-0123456789ab';
const HOST = 'privacydesk.contoso.com';

interface ZipEntry {
  name: string;
  isDirectory: boolean;
  data: Buffer;
}

/** Every entry of a ZIP file, directories included, read with yauzl. */
function readZip(path: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) {
          entries.push({ name: entry.fileName, isDirectory: true, data: Buffer.alloc(0) });
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, isDirectory: false, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Runs `fn` with globalThis.fetch replaced by a recorder that fails; returns what was attempted. */
async function withoutNetwork<T>(fn: () => Promise<T>): Promise<{ result: T; attempted: string[] }> {
  const realFetch = globalThis.fetch;
  const attempted: string[] = [];
  globalThis.fetch = (async (input: unknown) => {
    attempted.push(String(input));
    throw new Error('network access is not allowed in this test');
  }) as typeof fetch;
  try {
    return { result: await fn(), attempted };
  } finally {
    globalThis.fetch = realFetch;
  }
}

/** A manifest.json, zipped or committed; the tests then assert on the parts the build touches. */
function parseManifest(bytes: Buffer): TeamsManifest {
  return JSON.parse(bytes.toString('utf8')) as TeamsManifest;
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

describe('scripts/packageApp.ts', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'privacy-desk-package-'));
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  describe('a package built with a real app id', () => {
    const committedBefore = snapshot(APP_PACKAGE);
    let outFile: string;
    let returned: { outFile: string; manifest: object };
    let entries: ZipEntry[];
    let zipped: TeamsManifest;
    let fetchAttempts: string[];

    before(async () => {
      outFile = join(work, 'built', 'appPackage.production.zip');
      const run = await withoutNetwork(() => buildAppPackage({ appId: APP_ID, teamsAppId: TEAMS_APP_ID, appVersion: '2.3.4', publicHostname: HOST, outFile }));
      returned = run.result;
      fetchAttempts = run.attempted;
      entries = await readZip(outFile);
      zipped = parseManifest(entries.find((e) => e.name === 'manifest.json')!.data);
    });

    it('writes the ZIP where asked and touches no network while building', () => {
      assert.equal(returned.outFile, outFile);
      assert.ok(existsSync(outFile));
      assert.deepEqual(fetchAttempts, [], `the build tried to fetch: ${fetchAttempts.join(', ')}`);
    });

    it('holds exactly manifest.json, color.png and outline.png at the root, and nothing else', () => {
      assert.deepEqual(entries.map((e) => e.name).sort(), ['color.png', 'manifest.json', 'outline.png']);
      assert.ok(entries.every((e) => !e.isDirectory && !e.name.includes('/') && !e.name.includes('\\')));
    });

    it('its manifest validates against the pinned schema with zero errors, offline', async () => {
      assert.equal(zipped.$schema, PINNED_SCHEMA_URL);
      // No schema passed: the library resolves $schema itself, which must land on its bundled copy.
      const { result: errors, attempted } = await withoutNetwork(() => AppManifestUtils.validateAgainstSchema(zipped as unknown as AppManifest));
      assert.deepEqual(attempted, [], `schema validation tried to fetch: ${attempted.join(', ')}`);
      assert.deepEqual(errors, [], `schema errors:\n  ${errors.join('\n  ')}`);
    });

    it('the schema check on the zipped manifest is not vacuous', async () => {
      const broken = { ...zipped, webApplicationInfo: { id: 'not-a-guid', resource: 'x' } };
      const { result: errors } = await withoutNetwork(() => AppManifestUtils.validateAgainstSchema(broken as AppManifest));
      assert.ok(
        errors.some((e) => e.startsWith('/webApplicationInfo/id ')),
        errors.join('\n'),
      );
    });

    it('carries the app id as botId and webApplicationInfo, whose resource is the tab’s sign-in audience on the public host', () => {
      assert.equal(zipped.bots?.length, 1);
      assert.equal(zipped.bots[0].botId, APP_ID);
      assert.deepEqual(zipped.webApplicationInfo, { id: APP_ID, resource: `api://${HOST}/${APP_ID}` });
    });

    it('declares the personal tabs: the chat first, then "My data requests" on the public host over https', () => {
      assert.deepEqual(zipped.staticTabs, [
        { entityId: 'conversations', scopes: ['personal'] },
        { entityId: MY_DATA_REQUESTS_TAB_ID, name: 'My data requests', contentUrl: `https://${HOST}/tab/`, scopes: ['personal'] },
      ]);
    });

    it('lists the public host in validDomains and applies the Teams app id and version', () => {
      const { validDomains } = zipped;
      assert.ok(validDomains, 'the manifest lists validDomains');
      assert.ok(validDomains.includes(HOST), JSON.stringify(validDomains));
      assert.ok(
        validDomains.every((d) => !d.includes('://') && !d.includes('/')),
        'hosts only',
      );
      assert.equal(zipped.id, TEAMS_APP_ID);
      assert.equal(zipped.version, '2.3.4');
    });

    it('keeps everything else from the committed manifest', () => {
      const committed = parseManifest(committedBefore.get('manifest.json')!);
      const { bots, webApplicationInfo, validDomains, id, version, staticTabs: _tabs, ...rest } = zipped;
      const { bots: cBots, validDomains: _v, id: _i, version: _ver, ...cRest } = committed;
      assert.deepEqual(rest, cRest);
      assert.ok(bots && cBots, 'both manifests declare bots');
      assert.deepEqual({ ...bots[0], botId: 'x' }, { ...cBots[0], botId: 'x' });
      assert.equal(webApplicationInfo?.id, APP_ID);
      assert.ok(validDomains && id && version);
    });

    it('returns the manifest it zipped', () => {
      assert.deepEqual(returned.manifest, zipped);
    });

    it('packs the committed icons byte for byte', () => {
      assert.ok(entries.find((e) => e.name === 'color.png')!.data.equals(committedBefore.get('color.png')!), 'color.png differs');
      assert.ok(entries.find((e) => e.name === 'outline.png')!.data.equals(committedBefore.get('outline.png')!), 'outline.png differs');
    });

    it('never writes into appPackage/: the committed files are unchanged and no file was added', () => {
      const now = snapshot(APP_PACKAGE);
      assert.deepEqual([...now.keys()].sort(), [...committedBefore.keys()].sort());
      for (const [name, bytes] of committedBefore) assert.ok(now.get(name)!.equals(bytes), `${name} changed`);
      assert.equal(parseManifest(now.get('manifest.json')!).bots?.[0].botId, '00000000-0000-0000-0000-000000000000');
    });

    it('is reproducible: the same inputs give the same bytes', async () => {
      const again = join(work, 'again.zip');
      await buildAppPackage({ appId: APP_ID, teamsAppId: TEAMS_APP_ID, appVersion: '2.3.4', publicHostname: HOST, outFile: again });
      assert.ok(readFileSync(again).equals(readFileSync(outFile)));
    });

    it('without the optional settings keeps the committed id, version and empty validDomains, and declares no tab', async () => {
      const plain = join(work, 'plain.zip');
      await buildAppPackage({ appId: APP_ID, outFile: plain });
      const m = parseManifest((await readZip(plain)).find((e) => e.name === 'manifest.json')!.data);
      const committed = parseManifest(committedBefore.get('manifest.json')!);
      assert.equal(m.id, committed.id);
      assert.equal(m.version, committed.version);
      assert.deepEqual(m.validDomains, []);
      assert.equal(m.bots?.[0].botId, APP_ID);
      // No host, no tab: its page and its sign-in audience are on the bot's public host.
      assert.equal(m.staticTabs, undefined);
      assert.deepEqual(m.webApplicationInfo, { id: APP_ID, resource: `api://botid-${APP_ID}` });
    });
  });

  describe('refusals: a sentence, and no package', () => {
    let dir: string;
    let outFile: string;
    beforeEach(() => {
      dir = mkdtempSync(join(work, 'refusal-'));
      outFile = join(dir, 'out', 'appPackage.zip');
    });

    async function refuses(options: Partial<Parameters<typeof buildAppPackage>[0]>, message: RegExp): Promise<void> {
      await assert.rejects(buildAppPackage({ appId: APP_ID, outFile, ...options }), (error: unknown) => {
        assert.ok(error instanceof AppPackageError, `expected an AppPackageError, got ${String(error)}`);
        assert.match(error.message, message);
        assert.match(error.message, /No package was written\.$/);
        return true;
      });
      assert.equal(existsSync(outFile), false, 'a package was written');
      assert.deepEqual(
        readdirSync(dir).flatMap((n) => (n === 'out' ? readdirSync(join(dir, n)) : [n])),
        [],
        'files were left behind',
      );
    }

    it('a missing app id', async () => {
      await refuses({ appId: '' }, /^MicrosoftAppId is not set\./);
      await refuses({ appId: '   ' }, /^MicrosoftAppId is not set\./);
    });

    it('the all-zeros placeholder', async () => {
      await refuses({ appId: '00000000-0000-0000-0000-000000000000' }, /^MicrosoftAppId is the all-zeros placeholder/);
    });

    it('a malformed app id', async () => {
      for (const bad of [
        'not-a-guid',
        '6f1c2e0a-9b7d-4c3e-8a51-2d4b6e8f0a1',
        '{6f1c2e0a-9b7d-4c3e-8a51-2d4b6e8f0a13}',
        '6f1c2e0a9b7d4c3e8a512d4b6e8f0a13',
        '${{BOT_ID}}',
      ]) {
        await refuses({ appId: bad }, /^MicrosoftAppId ".*" is not a GUID: expected 32 hexadecimal digits/);
      }
    });

    it('a bad Teams app id or version', async () => {
      await refuses({ teamsAppId: 'privacy-desk' }, /^TEAMS_APP_ID "privacy-desk" is not a usable Teams app id/);
      await refuses({ teamsAppId: '00000000-0000-0000-0000-000000000000' }, /^TEAMS_APP_ID .* is not a usable Teams app id/);
      for (const bad of ['v1.2.3', '1.2', '1.2.3-beta', '01.2.3']) {
        await refuses({ appVersion: bad }, /^PRIVACY_DESK_APP_VERSION .* is not a Teams app version: use MAJOR\.MINOR\.PATCH/);
      }
    });

    it('a public host name with a scheme, path, port or wildcard, or no host name at all', async () => {
      await refuses({ publicHostname: 'https://privacydesk.contoso.com' }, /^BOT_PUBLIC_HOSTNAME .* includes a scheme: give the bot’s public host name only/);
      await refuses({ publicHostname: 'privacydesk.contoso.com/api/messages' }, /includes a path/);
      await refuses({ publicHostname: 'privacydesk.contoso.com:443' }, /includes a port/);
      await refuses({ publicHostname: '*.contoso.com' }, /is a wildcard/);
      await refuses({ publicHostname: '10.0.0.4' }, /is an IP address/);
      await refuses({ publicHostname: 'privacydesk' }, /is not a host name/);
      await refuses({ publicHostname: 'bad_host.contoso.com' }, /is not a host name/);
    });

    it('an output path inside appPackage/', async () => {
      const inside = join(APP_PACKAGE, 'build', 'appPackage.zip');
      await assert.rejects(buildAppPackage({ appId: APP_ID, outFile: inside }), /never goes into appPackage\//);
      assert.equal(existsSync(join(APP_PACKAGE, 'build')), false);
    });

    it('an icon of the wrong size', async () => {
      const source = mkdtempSync(join(work, 'source-'));
      cpSync(APP_PACKAGE, source, { recursive: true });
      writeFileSync(join(source, 'color.png'), readFileSync(join(APP_PACKAGE, 'outline.png')));
      await refuses({ appPackageDir: source }, /The color icon .*color\.png is 32×32 pixels; Teams requires 192×192\./);
      writeFileSync(join(source, 'color.png'), 'not a png');
      await refuses({ appPackageDir: source }, /The color icon .* is not a PNG file\./);
    });

    it('a manifest the schema rejects (the schema errors are listed)', async () => {
      const source = mkdtempSync(join(work, 'source-'));
      cpSync(APP_PACKAGE, source, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as TeamsManifest & { name: { short: string } };
      manifest.name.short = 'x'.repeat(31);
      writeFileSync(join(source, 'manifest.json'), JSON.stringify(manifest));
      await refuses({ appPackageDir: source }, /does not validate against the Teams v1\.22 schema:\n {2}\/name\/short /);
    });
  });

  describe('command line', () => {
    const SETTINGS = [
      'MicrosoftAppId',
      'TEAMS_APP_ID',
      'PRIVACY_DESK_APP_VERSION',
      'BOT_PUBLIC_HOSTNAME',
      'GRAPH_CLIENT_ID',
      'GRAPH_MANAGED_IDENTITY_CLIENT_ID',
    ];

    function run(args: string[], cwd: string, env: Record<string, string> = {}) {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.includes(k))) as Record<string, string>;
      return spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), SCRIPT, ...args], {
        cwd,
        env: { ...base, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    }

    let cwd: string;
    beforeEach(() => {
      cwd = mkdtempSync(join(work, 'cli-'));
    });

    it('refuses without MicrosoftAppId: exit 1, one readable sentence, no zip', () => {
      const r = run(['--out', 'pkg.zip'], cwd);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^MicrosoftAppId is not set\./);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace was printed');
      assert.equal(existsSync(join(cwd, 'pkg.zip')), false);
    });

    it('reads .env from the current folder, and the environment wins over it', () => {
      writeFileSync(join(cwd, '.env'), 'MicrosoftAppId=00000000-0000-0000-0000-000000000000\n');
      let r = run(['--out', 'pkg.zip'], cwd);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /all-zeros placeholder/);
      r = run(['--out', 'pkg.zip'], cwd, { MicrosoftAppId: 'nope' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /MicrosoftAppId "nope" is not a GUID/);
      assert.equal(existsSync(join(cwd, 'pkg.zip')), false);
    });

    it('builds from --dotenv with every setting and prints what it put in', async () => {
      mkdirSync(join(cwd, 'conf'));
      writeFileSync(
        join(cwd, 'conf', 'staging.env'),
        [
          `MicrosoftAppId=${APP_ID}`,
          `TEAMS_APP_ID=${TEAMS_APP_ID}`,
          'PRIVACY_DESK_APP_VERSION=1.4.0',
          `BOT_PUBLIC_HOSTNAME=${HOST}`,
          'MicrosoftAppPassword=unused',
        ].join('\n'),
      );
      const r = run(['staging', '--dotenv', 'conf/staging.env', '--out', 'out/pkg.zip'], cwd);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Teams app package for "staging": out\/pkg\.zip/);
      assert.match(r.stdout, new RegExp(`bot id \\(MicrosoftAppId, from conf/staging\\.env\\): ${APP_ID}`));
      assert.match(
        r.stdout,
        new RegExp(`tab "My data requests": https://${HOST.replace(/\./g, '\\.')}/tab/ \\(its sign-in needs the Entra app's Application ID URI api://`),
      );
      assert.doesNotMatch(r.stdout + r.stderr, /unused/, 'the secret was printed');
      const m = parseManifest((await readZip(join(cwd, 'out', 'pkg.zip'))).find((e) => e.name === 'manifest.json')!.data);
      assert.equal(m.bots?.[0].botId, APP_ID);
      assert.equal(m.id, TEAMS_APP_ID);
      assert.equal(m.version, '1.4.0');
      assert.deepEqual(m.validDomains, [HOST]);
    });

    it('warns when Microsoft Graph is set up with an identity other than the one in webApplicationInfo', () => {
      const other = '11111111-2222-4333-8444-555555555555';
      let r = run(['--out', 'pkg.zip'], cwd, { MicrosoftAppId: APP_ID, GRAPH_CLIENT_ID: other });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`warning: GRAPH_CLIENT_ID \\(${other}\\) is not MicrosoftAppId`));
      r = run(['--out', 'pkg2.zip'], cwd, { MicrosoftAppId: APP_ID, GRAPH_CLIENT_ID: APP_ID.toUpperCase() });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /GRAPH_CLIENT_ID/);
    });

    it('rejects an environment name that is not a plain word, and unknown options', () => {
      let r = run(['../evil'], cwd, { MicrosoftAppId: APP_ID });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /may hold letters, digits, - and _ only/);
      r = run(['--zip'], cwd, { MicrosoftAppId: APP_ID });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /Unknown option --zip/);
      r = run(['--dotenv', 'missing.env'], cwd);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /missing\.env does not exist/);
    });
  });
});
