// Unit tests of the Agents Playground config generator (no process is started here).
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_USER_KEYS,
  EXTRA_CHANNEL_ID,
  GROUP_CHAT_ID,
  PlaygroundConfigError,
  TEAM_ID,
  buildPlaygroundConfig,
  loadDemoDirectory,
  personalConversationId,
  renderPlaygroundYaml,
  resolveDemoUser,
  teamsUserId,
  validatePlaygroundConfig,
  writePlaygroundConfig,
  type DemoDirectory,
  type PlaygroundConfig,
} from '../../../local/playground/playgroundConfig';

const directory = loadDemoDirectory();
const alex = directory.users.find((u) => u.userPrincipalName === 'alexw@example.com')!;
const megan = directory.users.find((u) => u.userPrincipalName === 'meganb@example.com')!;

/** `T` with every level writable, so a test can break a built config in place. */
type Writable<T> = T extends readonly (infer E)[] ? Writable<E>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;

/** A config a test may break: writable throughout, and free to carry a schema version the Playground refuses. */
type BreakableConfig = Omit<Writable<PlaygroundConfig>, 'version'> & { version: string };

function withChange(change: (c: BreakableConfig) => void): PlaygroundConfig {
  const copy = JSON.parse(JSON.stringify(buildPlaygroundConfig({ currentUser: 'alexw' }))) as BreakableConfig;
  change(copy);
  // The broken config is handed to the validator as if it were a real one: catching that is its job.
  return copy as PlaygroundConfig;
}

describe('local/playground/playgroundConfig', () => {
  describe('buildPlaygroundConfig', () => {
    for (const key of DEMO_USER_KEYS) {
      it(`signs in ${key} with the other five demo users as users`, () => {
        const config = buildPlaygroundConfig({ currentUser: key });
        const me = resolveDemoUser(key, directory);
        assert.equal(config.currentUser.aadObjectId, me.objectId);
        assert.equal(config.currentUser.name, me.displayName);
        assert.equal(config.currentUser.id, teamsUserId(me.objectId));
        assert.equal(config.users.length, 5);
        assert.ok(!config.users.some((u) => u.aadObjectId === me.objectId));
        const everyone = [config.currentUser, ...config.users].map((u) => u.aadObjectId).sort();
        const demo = DEMO_USER_KEYS.map((k) => resolveDemoUser(k, directory).objectId).sort();
        assert.deepEqual(everyone, demo);
        assert.equal(config.personalChat.id, personalConversationId(me.objectId));
        assert.deepEqual(validatePlaygroundConfig(config), []);
      });
    }

    it('uses the demo tenant, the Privacy Team group and one extra channel; General is implicit', () => {
      const config = buildPlaygroundConfig({ currentUser: 'alexw' });
      assert.equal(config.tenantId, directory.tenantId);
      assert.equal(config.team.name, 'Privacy Team');
      assert.equal(config.team.aadGroupId, 'b7c8d9e0-0001-4000-8000-00000000b001');
      assert.equal(config.team.id, TEAM_ID);
      assert.deepEqual(config.team.channels, [{ id: EXTRA_CHANNEL_ID, name: 'Privacy Requests' }]);
      assert.deepEqual(buildPlaygroundConfig({ currentUser: 'alexw', extraChannel: null }).team.channels, []);
      assert.equal(buildPlaygroundConfig({ currentUser: 'alexw', extraChannel: 'Escalations' }).team.channels[0]!.name, 'Escalations');
    });

    it('gives every instance the same shared ids but each person their own 1:1 chat id', () => {
      const configs = DEMO_USER_KEYS.map((k) => buildPlaygroundConfig({ currentUser: k }));
      assert.equal(new Set(configs.map((c) => c.personalChat.id)).size, 6);
      for (const c of configs) {
        assert.equal(c.team.id, TEAM_ID);
        assert.equal(c.groupChat.id, GROUP_CHAT_ID);
        assert.equal(c.tenantId, directory.tenantId);
        assert.deepEqual(c.bot, configs[0]!.bot);
      }
      // Megan has the same Teams id in Alex's instance as in her own.
      const inAlex = configs[0]!.users.find((u) => u.aadObjectId === megan.objectId)!;
      const inMegan = configs[1]!.currentUser;
      assert.deepEqual(inAlex, inMegan);
    });

    it('finds a user by key, objectId or userPrincipalName, case-insensitively', () => {
      for (const query of ['meganb', 'MEGANB', megan.objectId, megan.objectId.toUpperCase(), 'MeganB@Example.com']) {
        assert.equal(resolveDemoUser(query, directory).objectId, megan.objectId, query);
      }
      assert.equal(buildPlaygroundConfig({ currentUser: alex.objectId }).currentUser.name, 'Alex Wilber');
    });

    it('refuses guest, disabled and unknown users, listing the choices', () => {
      assert.throws(() => resolveDemoUser('gradya@example.com', directory), /Grady Archie .*cannot sign in.*alexw \(Alex Wilber\)/);
      assert.throws(() => resolveDemoUser('a1b2c3d4-0008-4000-8000-00000000a008', directory), /guest or disabled/);
      assert.throws(() => resolveDemoUser('nobody', directory), /no demo user "nobody".*lynner \(Lynne Robbins\)/);
    });

    it('refuses a directory that breaks the Playground rules before anything is written', () => {
      const longName: DemoDirectory = {
        ...directory,
        users: directory.users.map((u) => (u.objectId === megan.objectId ? { ...u, displayName: `Megan ${'x'.repeat(300)}` } : u)),
      };
      assert.throws(
        () => buildPlaygroundConfig({ currentUser: 'alexw', directory: longName }),
        (e: unknown) => {
          assert.ok(e instanceof PlaygroundConfigError);
          assert.match(e.message, /users\[0\]\.name is longer than 256/);
          return true;
        },
      );
      const badGuid: DemoDirectory = {
        ...directory,
        users: directory.users.map((u) => (u.objectId === megan.objectId ? { ...u, objectId: '00000000-0000-0000-0000-0000000000021' } : u)),
      };
      assert.throws(() => buildPlaygroundConfig({ currentUser: 'alexw', directory: badGuid }), /is not a GUID/);
      assert.throws(() => buildPlaygroundConfig({ currentUser: 'alexw', botName: 'B'.repeat(43) }), /bot\.name is longer than 42/);
      assert.throws(() => buildPlaygroundConfig({ currentUser: 'alexw', extraChannel: 'General' }), /General always exists/);
      const noGroup: DemoDirectory = { ...directory, groups: [] };
      assert.throws(() => buildPlaygroundConfig({ currentUser: 'alexw', directory: noGroup }), /no group named "Privacy Team"/);
    });
  });

  describe('validatePlaygroundConfig (the Playground 0.2.28 rules)', () => {
    it('wants exactly 5 users besides currentUser', () => {
      const four = withChange((c) => c.users.pop());
      assert.match(validatePlaygroundConfig(four).join('\n'), /exactly 5 users .*found 4/);
      const six = withChange((c) => c.users.push({ ...c.users[0], id: '29:x', aadObjectId: 'a1b2c3d4-0009-4000-8000-00000000a009' }));
      assert.match(validatePlaygroundConfig(six).join('\n'), /exactly 5 users .*found 6/);
    });

    it('wants unique user ids and aadObjectIds (currentUser included)', () => {
      const dupId = withChange((c) => (c.users[2].id = c.currentUser.id));
      assert.match(validatePlaygroundConfig(dupId).join('\n'), /User ID must be unique/);
      const dupAad = withChange((c) => (c.users[2].aadObjectId = c.currentUser.aadObjectId.toUpperCase()));
      assert.match(validatePlaygroundConfig(dupAad).join('\n'), /aadObjectId .* used twice/);
    });

    it('allows at most one channel besides General and unique conversation ids', () => {
      const two = withChange((c) => c.team.channels.push({ id: '19:another@thread.tacv2', name: 'Another' }));
      assert.match(validatePlaygroundConfig(two).join('\n'), /at most one channel besides General/);
      const clash = withChange((c) => (c.team.channels[0].id = c.team.id));
      assert.match(validatePlaygroundConfig(clash).join('\n'), /conversation id .* used twice/);
      const personalIsGroup = withChange((c) => (c.personalChat.id = c.groupChat.id));
      assert.match(validatePlaygroundConfig(personalIsGroup).join('\n'), /must be unique/);
    });

    it('wants the required fields and the schema version', () => {
      const missing = withChange((c) => {
        c.currentUser.email = '';
        c.team.aadGroupId = ' ';
        c.version = '0.2.0';
      });
      const problems = validatePlaygroundConfig(missing).join('\n');
      assert.match(problems, /currentUser\.email is required/);
      assert.match(problems, /team\.aadGroupId is required/);
      assert.match(problems, /version must be "0\.1\.1"/);
    });

    it('writePlaygroundConfig refuses an invalid config and writes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
      try {
        const file = join(dir, 'bad.yml');
        await assert.rejects(
          writePlaygroundConfig(
            file,
            withChange((c) => c.users.pop()),
          ),
          PlaygroundConfigError,
        );
        assert.equal(existsSync(file), false);
        const good = join(dir, 'sub', 'good.yml');
        await writePlaygroundConfig(good, buildPlaygroundConfig({ currentUser: 'meganb' }));
        assert.equal(readFileSync(good, 'utf8'), renderPlaygroundYaml(buildPlaygroundConfig({ currentUser: 'meganb' })));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('renderPlaygroundYaml', () => {
    it('writes block YAML with every scalar double-quoted (JSON escaping)', () => {
      const yaml = renderPlaygroundYaml(buildPlaygroundConfig({ currentUser: 'meganb' }));
      assert.match(yaml, /^version: "0\.1\.1"$/m);
      assert.match(
        yaml,
        /^currentUser:\n {2}id: "29:a1b2c3d4-0002-4000-8000-00000000a002"\n {2}name: "Megan Bowen"\n {2}userPrincipleName: "meganb@example\.com"/m,
      );
      assert.match(yaml, /^users:\n {2}- id: "29:a1b2c3d4-0001-4000-8000-00000000a001"\n {4}name: "Alex Wilber"/m);
      assert.match(yaml, /^ {2}channels:\n {4}- id: "19:privacy-team-requests@thread\.tacv2"\n {6}name: "Privacy Requests"$/m);
      assert.equal((yaml.match(/^ {2}- id: /gm) ?? []).length, 5);
      // Every value line is `key: <JSON string>`: nothing a YAML parser could read as a number/bool/comment.
      for (const line of yaml.split('\n').filter((l) => /^\s*(- )?\w+: \S/.test(l))) {
        const value = line.replace(/^\s*(- )?\w+: /, '');
        assert.doesNotThrow(() => JSON.parse(value), line);
        assert.equal(typeof JSON.parse(value), 'string', line);
      }
      assert.match(renderPlaygroundYaml(buildPlaygroundConfig({ currentUser: 'alexw', extraChannel: null })), /^ {2}channels: \[\]$/m);
    });

    it('escapes names that YAML would otherwise misread', () => {
      const tricky: DemoDirectory = {
        ...directory,
        users: directory.users.map((u) => (u.objectId === megan.objectId ? { ...u, displayName: 'Megan "MB" O\'Bowen: #1 \\ {x}' } : u)),
      };
      const yaml = renderPlaygroundYaml(buildPlaygroundConfig({ currentUser: 'alexw', directory: tricky }));
      assert.ok(yaml.includes('name: "Megan \\"MB\\" O\'Bowen: #1 \\\\ {x}"'), yaml);
    });
  });
});
