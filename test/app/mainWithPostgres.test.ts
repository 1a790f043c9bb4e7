// The real entry point (app/main.ts) with DATABASE_URL: an unreachable database stops the start with
// one readable sentence; a running instance stopped by SIGTERM drains, closes its connections and
// exits 0, as app/main.ts's header documents for every clean stop.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { READY_PATH } from '../../bot/http/server';
import { eventually } from '../helpers/cardQueries';
import { startWorld, type World } from '../helpers/harness';
import { startPostgres, type PostgresServer } from '../support/postgres';

const ROOT = join(__dirname, '../..');
const MAIN = join(ROOT, 'app/main.ts');
const EXIT_START_FAILED = 1;

/** A loopback port nothing listens on (taken from the OS, then let go). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function connectionsTo(serverUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe('app/main.ts with PostgreSQL (DATABASE_URL)', function () {
  this.timeout(120_000);

  it('an unreachable database stops the start with one sentence naming host, port and database (exit 1, no stack)', async () => {
    const port = await closedPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'privacy-desk-main-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          MicrosoftAppId: '',
          DATABASE_URL: `postgres://desk:never-shown@127.0.0.1:${port}/privacy_desk`,
          // Storage is given, so local mode starts no Azurite: the database is the first thing reached.
          AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
          PLAYGROUND: 'false',
          PORT: '0',
          PRIVACY_DESK_DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, EXIT_START_FAILED, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(`^Privacy Desk failed to start: Could not reach PostgreSQL at 127\\.0\\.0\\.1:${port}/privacy_desk: connect ECONNREFUSED [^\\n]*\\.\\n$`),
      );
      assert.doesNotMatch(run.stderr, /never-shown/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('a running instance', () => {
    let postgres: PostgresServer;
    let world: World;
    before(async () => {
      [postgres, world] = await Promise.all([startPostgres(), startWorld()]);
    });
    after(async () => {
      await world?.stop();
      await postgres?.stop();
    });

    it('is ready, and on SIGTERM drains, closes its database connections and exits 0', async () => {
      const databaseUrl = await postgres.createDatabase();
      const database = new URL(databaseUrl).pathname.slice(1);
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
          ...world.env({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('close', (code, signal) => resolve({ code, signal })),
      );
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const check = () => {
            const line = output.split('\n').find((l) => l.includes('"msg":"Privacy Desk is listening"'));
            if (line) resolve((JSON.parse(line) as { url: string }).url);
          };
          child.stdout.on('data', check);
          void ended.then(() => reject(new Error(`main.ts ended before listening:\n${output}`)));
        });
        assert.match(output, /"store":"postgres"/);
        const ready = await fetch(`${url}${READY_PATH}`);
        assert.equal(ready.status, 200, output);
        assert.ok((await connectionsTo(postgres.url, database)) > 0, 'it holds connections while running');

        child.kill('SIGTERM');
        const { code, signal } = await ended;
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, output);
        assert.match(output, /"msg":"work in flight finished"/);
        assert.match(output, /"msg":"stopped"/);
        assert.doesNotMatch(output, /stop forced/);
        // The server removes a backend once its client has said goodbye: asked again until it has.
        await eventually(async () => (await connectionsTo(postgres.url, database)) === 0, 'its connections to be closed');
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
});
