// `npm run migrate` as an operator runs it: a child process with DATABASE_URL, against a real PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { SCHEMA_VERSION } from '../../adapters/store/postgres/postgresDatabase';
import { MIGRATIONS } from '../../adapters/store/postgres/migrations';
import { startPostgres, type PostgresServer } from '../support/postgres';

const ROOT = join(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/migrate.ts');
/** A loopback port nothing listens on (the discard port): connecting is refused at once. */
const CLOSED_PORT = 9;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runMigrate(env: Record<string, string | undefined>): Promise<Run> {
  const { DATABASE_URL: _url, DATABASE_AUTH: _auth, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('scripts/migrate.ts', () => {
  let server: PostgresServer;

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    await server?.stop();
  });

  it('applies the pending migrations, says which and the version reached, then finds nothing more to do', async () => {
    const url = await server.createDatabase();

    const first = await runMigrate({ DATABASE_URL: url });
    assert.deepEqual(first, {
      code: 0,
      stdout: `Applied ${MIGRATIONS.map((m) => m.name).join(', ')}. The database is at version ${SCHEMA_VERSION}.\n`,
      stderr: '',
    });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version');
      assert.deepEqual(
        rows.map((r) => r.version),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      await client.end();
    }

    const again = await runMigrate({ DATABASE_URL: url });
    assert.deepEqual(again, { code: 0, stdout: `The database is already up to date, at version ${SCHEMA_VERSION}.\n`, stderr: '' });
  });

  it('fails with one sentence naming the database, not its password, when it cannot reach it', async () => {
    const run = await runMigrate({ DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${CLOSED_PORT}/privacy_desk` });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^Could not reach PostgreSQL at 127\\.0\\.0\\.1:${CLOSED_PORT}/privacy_desk: .*\\.\\n$`));
    assert.doesNotMatch(run.stderr, /secret/);
  });

  it('fails with a sentence when DATABASE_URL is not set', async () => {
    const run = await runMigrate({});
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'DATABASE_URL is not set; set it to the PostgreSQL database to migrate, as in postgres://user@host:5432/database.\n');
  });

  it('refuses a database whose applied migration was changed since, and exits non-zero', async () => {
    const url = await server.createDatabase();
    await runMigrate({ DATABASE_URL: url });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`UPDATE schema_version SET checksum = repeat('0', 64) WHERE version = 1`);
    } finally {
      await client.end();
    }

    const run = await runMigrate({ DATABASE_URL: url });
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `Migration ${MIGRATIONS[0]!.name} was changed after it was applied to this database; an applied migration must stay as it was, so put the change in a new migration.\n`,
    );
  });
});
