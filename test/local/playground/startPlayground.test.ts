// startPlayground against the real Agents Playground process (no browser, no bot needed: the
// Playground only contacts the bot when a page loads). Everything listens on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_USER_KEYS,
  buildPlaygroundConfig,
  loadDemoDirectory,
  renderPlaygroundYaml,
  type DemoDirectory,
  type PlaygroundConfig,
} from '../../../local/playground/playgroundConfig';
import { PlaygroundStartError, launchPlayground, startPlayground, type RunningPlayground } from '../../../local/playground/startPlayground';
import { listeningAddresses } from './helpers';

// Nothing listens here; the Playground waits for the bot only when a page asks for its config.
const NO_BOT = 'http://127.0.0.1:9/api/messages';

interface ServedConfig {
  config: {
    tenantId: string;
    bot: PlaygroundConfig['bot'];
    currentUser: PlaygroundConfig['currentUser'];
    users: PlaygroundConfig['users'];
    personalChat: { id: string };
    groupChats: { id: string; name: string }[];
    teams: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] }[];
  };
}

async function servedConfig(playground: { port: number }): Promise<ServedConfig['config']> {
  const res = await fetch(`http://127.0.0.1:${playground.port}/_internal/v1/testConfig`);
  assert.equal(res.status, 200);
  return ((await res.json()) as ServedConfig).config;
}

function assertServes(served: ServedConfig['config'], expected: PlaygroundConfig): void {
  assert.equal(served.tenantId, expected.tenantId);
  assert.deepEqual(served.bot, expected.bot);
  assert.deepEqual(served.currentUser, expected.currentUser);
  assert.deepEqual(served.users, expected.users);
  assert.equal(served.personalChat.id, expected.personalChat.id);
  assert.deepEqual(
    served.groupChats.map((g) => [g.id, g.name]),
    [[expected.groupChat.id, expected.groupChat.name]],
  );
  assert.equal(served.teams.length, 1);
  assert.equal(served.teams[0]!.name, expected.team.name);
  assert.equal(served.teams[0]!.aadGroupId, expected.team.aadGroupId);
  assert.deepEqual(
    served.teams[0]!.channels.map((c) => [c.id, c.name]),
    [[expected.team.id, 'General'], ...expected.team.channels.map((c) => [c.id, c.name])],
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local/playground/startPlayground (real Playground processes)', function () {
  this.timeout(120_000);
  let workDir: string;
  const running: RunningPlayground[] = [];

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pg-start-'));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  after(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('starts one Playground per demo user (all six at once), each serving its own config on 127.0.0.1 only', async () => {
    const started = Date.now();
    const playgrounds = await Promise.all(
      DEMO_USER_KEYS.map(async (key) => {
        const t0 = Date.now();
        const p = await startPlayground({ botEndpoint: NO_BOT, user: key, workDir });
        running.push(p);
        return { p, ms: Date.now() - t0 };
      }),
    );
    console.log(`      [timing] 6 Playgrounds in parallel: ${Date.now() - started} ms (each: ${playgrounds.map((x) => x.ms).join(', ')} ms)`);
    assert.equal(new Set(playgrounds.map((x) => x.p.port)).size, 6);
    for (const { p } of playgrounds) {
      const expected = buildPlaygroundConfig({ currentUser: p.userKey });
      assert.equal(p.userName, expected.currentUser.name);
      assert.equal(p.url, `http://127.0.0.1:${p.port}/`);
      assert.equal(p.serviceUrl, `http://127.0.0.1:${p.port}/_connector`);
      assert.equal(p.personalConversationId, expected.personalChat.id);
      assertServes(await servedConfig(p), expected);
      const addresses = listeningAddresses(p.pid);
      assert.deepEqual(addresses, [`127.0.0.1:${p.port}`], `${p.userKey} listens on ${addresses.join(', ')}`);
    }
  });

  it('the Playground parses the generated YAML to exactly the config we built (tricky names too)', async () => {
    const base = loadDemoDirectory();
    const directory: DemoDirectory = {
      ...base,
      users: base.users.map((u) => (u.userPrincipalName === 'meganb@example.com' ? { ...u, displayName: 'Megan "MB" O\'Bowen: #1 \\ {x} - yes' } : u)),
    };
    const p = await startPlayground({ botEndpoint: NO_BOT, user: 'meganb', workDir, directory });
    running.push(p);
    assert.equal(p.userName, 'Megan "MB" O\'Bowen: #1 \\ {x} - yes');
    assertServes(await servedConfig(p), buildPlaygroundConfig({ currentUser: 'meganb', directory }));
  });

  it('stop() ends the process it started (idempotently)', async () => {
    const p = await startPlayground({ botEndpoint: NO_BOT, user: 'adelev', workDir });
    assert.ok(processAlive(p.pid));
    await Promise.all([p.stop(), p.stop()]);
    assert.equal(processAlive(p.pid), false);
    await assert.rejects(fetch(p.url), /fetch failed/);
  });

  it('an explicit port that is taken is an error, not a silent move to another port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(startPlayground({ botEndpoint: NO_BOT, user: 'meganb', workDir, port }), (e: unknown) => {
        assert.ok(e instanceof PlaygroundStartError);
        assert.match(e.message, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*Megan Bowen`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  it('an explicit free port is used as given', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const p = await startPlayground({ botEndpoint: NO_BOT, user: 'isaiahl', workDir, port });
    running.push(p);
    assert.equal(p.port, port);
    assert.equal(p.serviceUrl, `http://127.0.0.1:${port}/_connector`);
  });

  it('a config the Playground rejects fails with its reason from the log tail (it had printed "Listening on N")', async () => {
    const config = buildPlaygroundConfig({ currentUser: 'alexw' });
    const broken = renderPlaygroundYaml({ ...config, users: config.users.slice(0, 4) }); // bypasses our validator
    const configPath = join(workDir, 'broken.yml');
    const logFile = join(workDir, 'broken.log');
    writeFileSync(configPath, broken);
    await assert.rejects(
      launchPlayground({ botEndpoint: NO_BOT, configPath, expectedAadObjectId: config.currentUser.aadObjectId, label: 'broken config', workDir, logFile }),
      (e: unknown) => {
        assert.ok(e instanceof PlaygroundStartError);
        assert.match(e.message, /Agents Playground for broken config failed to start: exited while starting/);
        assert.match(e.message, /Listening on \d+/);
        assert.match(e.message, /--- log tail ---[\s\S]*YAML path "\/users": must NOT have fewer than 5 items/);
        return true;
      },
    );
  });

  it('a CLI error before "Listening on N" fails with the Playground output', async () => {
    const config = buildPlaygroundConfig({ currentUser: 'alexw' });
    const configPath = join(workDir, 'ok.yml');
    writeFileSync(configPath, renderPlaygroundYaml(config));
    await assert.rejects(
      launchPlayground({
        botEndpoint: NO_BOT,
        configPath,
        expectedAadObjectId: config.currentUser.aadObjectId,
        label: 'bad flag',
        workDir,
        logFile: join(workDir, 'flag.log'),
        extraArgs: ['--delivery-mode', 'bogus'],
      }),
      /exited \(code 1, signal null\) before printing "Listening on N"[\s\S]*Invalid values/,
    );
  });

  it('a missing config file is refused (the Playground would silently use its built-in users)', async () => {
    await assert.rejects(
      launchPlayground({
        botEndpoint: NO_BOT,
        configPath: join(workDir, 'nope.yml'),
        expectedAadObjectId: 'x',
        label: 'missing',
        workDir,
        logFile: join(workDir, 'missing.log'),
      }),
      /nope\.yml does not exist/,
    );
  });
});
