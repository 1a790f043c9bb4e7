import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresDatabase, SCHEMA_VERSION, connectionConfig, migrateSchema } from '../../../../adapters/store/postgres/postgresDatabase';
import { MIGRATIONS, type Migration } from '../../../../adapters/store/postgres/migrations';
import { PostgresRequestStore } from '../../../../adapters/store/postgres/postgresRequestStore';
import { RequestState } from '../../../../domain/requests/lifecycle';
import type { NewExportRequest } from '../../../../domain/requests/requestStore';
import { startPostgres, type PostgresServer } from '../../../support/postgres';

const YEAR = 2026;
const T0 = new Date('2026-03-02T09:00:00.000Z');
/** Enough bot instances starting together that their migrations overlap rather than run in turn. */
const INSTANCES = 4;
/** A loopback port nothing listens on (the discard port): connecting is refused at once. */
const CLOSED_PORT = 9;

function newRequest(subjectId: string): NewExportRequest {
  const at = T0.toISOString();
  return {
    id: randomUUID(),
    version: 1,
    state: RequestState.Confirmed,
    regime: 'gdpr',
    subject: { objectId: subjectId, displayName: 'Dana Subject', userPrincipalName: `${subjectId}@contoso.example` },
    requesterId: 'aaaaaaaa-0000-0000-0000-00000000000a',
    selfService: false,
    deliverTo: 'subject',
    receivedOn: '2026-03-01',
    dueOn: '2026-04-01',
    exportAttempts: 0,
    createdAt: at,
    updatedAt: at,
  };
}

function withPassword(url: string, password: string | undefined): string {
  const parsed = new URL(url);
  parsed.password = password ?? '';
  return parsed.toString();
}

/** A pool of its own, as another process (a second instance, the migrate command, an operator) would have. */
async function withPool<T>(url: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

describe('connectionConfig', () => {
  it('takes host, port, database, user and password from the URL, decoding them', () => {
    const config = connectionConfig({ url: 'postgres://desk%40bot:p%40ss@db.internal:6432/privacy_desk' });
    assert.equal(config.host, 'db.internal');
    assert.equal(config.port, 6432);
    assert.equal(config.database, 'privacy_desk');
    assert.equal(config.user, 'desk@bot');
    assert.equal(config.password, 'p@ss');
  });

  it('always uses TLS with the server’s certificate checked for a host off this machine', () => {
    for (const url of ['postgres://u@db.example:5432/d', 'postgres://u@db.example/d?sslmode=require', 'postgresql://u@10.0.0.5/d?sslmode=prefer']) {
      assert.deepEqual(connectionConfig({ url }).ssl, { rejectUnauthorized: true }, url);
    }
  });

  it('refuses a URL that turns TLS off for a host off this machine, naming the host', () => {
    assert.throws(
      () => connectionConfig({ url: 'postgres://u:secret@db.example:5432/d?sslmode=disable' }),
      (error: Error) => {
        assert.match(error.message, /db\.example:5432\/d/);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      },
    );
  });

  it('connects to loopback without TLS unless asked for it', () => {
    assert.equal(connectionConfig({ url: 'postgres://u@127.0.0.1:5432/d' }).ssl, false);
    assert.equal(connectionConfig({ url: 'postgres://u@localhost/d?sslmode=disable' }).ssl, false);
    assert.deepEqual(connectionConfig({ url: 'postgres://u@localhost/d?sslmode=require' }).ssl, { rejectUnauthorized: true });
  });

  it('refuses what is not a postgres URL with a sentence saying what one looks like', () => {
    for (const url of ['not a url', 'mysql://u@db.example/d', 'postgres://u@db.example/']) {
      assert.throws(() => connectionConfig({ url }), /DATABASE_URL .*postgres:\/\/user@host:5432\/database/, url);
    }
  });

  it('asks the password function instead of using the URL’s password when one is given', async () => {
    const password = async () => 'token';
    assert.equal(connectionConfig({ url: 'postgres://u:old@db.example/d', password }).password, password);
  });
});

describe('PostgresDatabase', () => {
  let server: PostgresServer;
  const opened: PostgresDatabase[] = [];

  async function open(url: string): Promise<PostgresDatabase> {
    const db = await PostgresDatabase.open({ url });
    opened.push(db);
    return db;
  }

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    await server?.stop();
  });

  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  async function appliedVersions(db: PostgresDatabase): Promise<number[]> {
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version');
    return rows.map((row) => row.version);
  }

  it('migrates a new database once, and leaves a current one as it is', async () => {
    const url = await server.createDatabase();
    const first = await open(url);
    const created = await new PostgresRequestStore(first).create(newRequest('subject-a'), YEAR, () => [], []);
    await first.close();

    const again = await open(url);
    assert.deepEqual(
      await appliedVersions(again),
      Array.from({ length: SCHEMA_VERSION }, (_, n) => n + 1),
    );
    assert.deepEqual(await new PostgresRequestStore(again).get(created.id), created);
  });

  it('lets several instances open and migrate a new database at the same moment', async () => {
    const url = await server.createDatabase();
    const instances = await Promise.all(Array.from({ length: INSTANCES }, () => open(url)));
    assert.deepEqual(
      await appliedVersions(instances[0]!),
      Array.from({ length: SCHEMA_VERSION }, (_, n) => n + 1),
    );
    for (const db of instances) assert.equal(await new PostgresRequestStore(db).claimExport('idle', T0, 0), undefined);
  });

  it('refuses a database written by a newer schema', async () => {
    const url = await server.createDatabase();
    const db = await open(url);
    await db.query('INSERT INTO schema_version (version) VALUES ($1)', [SCHEMA_VERSION + 1]);
    await assert.rejects(PostgresDatabase.open({ url }), /newer than this build knows/);
  });

  it('stops with a sentence naming the database, not its password, when the server cannot be reached', async () => {
    await assert.rejects(PostgresDatabase.open({ url: `postgres://postgres:secret@127.0.0.1:${CLOSED_PORT}/privacy_desk` }), (error: Error) => {
      assert.match(error.message, new RegExp(`^Could not reach PostgreSQL at 127\\.0\\.0\\.1:${CLOSED_PORT}/privacy_desk`));
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });

  it('signs in with what the password function returns, asking it for every new connection', async () => {
    const url = new URL(await server.createDatabase());
    const password = decodeURIComponent(url.password);
    let asked = 0;
    const db = await PostgresDatabase.open({
      url: withPassword(url.toString(), undefined),
      password: async () => {
        asked += 1;
        return password;
      },
    });
    opened.push(db);
    const before = asked;
    // Two transactions held open at once need two connections.
    await Promise.all([db.transaction(() => db.query('SELECT pg_sleep(0.05)')), db.transaction(() => db.query('SELECT pg_sleep(0.05)'))]);
    assert.ok(before >= 1 && asked > before, `asked ${asked} times`);
  });

  it('refuses to start when the password function gives a wrong password', async () => {
    const url = withPassword(await server.createDatabase(), undefined);
    await assert.rejects(
      PostgresDatabase.open({ url, password: async () => 'expired-token' }),
      /Could not reach PostgreSQL at .*password authentication failed/,
    );
  });

  it('runs a transaction again when PostgreSQL aborts it for a serialization failure', async () => {
    const db = await open(await server.createDatabase());
    let attempts = 0;
    const result = await db.transaction(async (tx) => {
      attempts += 1;
      if (attempts === 1) await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$`);
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(attempts, 2);
  });

  it('rolls a failed transaction back whole and does not repeat it', async () => {
    const db = await open(await server.createDatabase());
    let attempts = 0;
    await assert.rejects(
      db.transaction(async (tx) => {
        attempts += 1;
        await tx.query(`INSERT INTO key_values (key, value, etag) VALUES ('k', '1', 'e')`);
        throw new Error('the work failed');
      }),
      /the work failed/,
    );
    assert.equal(attempts, 1);
    assert.equal((await db.query('SELECT 1 FROM key_values')).rowCount, 0);
  });

  describe('migrations in files', () => {
    /** A later migration as a future build would ship it. */
    const nextMigration: Migration = {
      version: MIGRATIONS.length + 1,
      name: `${String(MIGRATIONS.length + 1).padStart(4, '0')}_reviewer_notes`,
      sql: 'CREATE TABLE reviewer_notes (id text PRIMARY KEY)',
    };

    it('are numbered 1, 2, 3… with names that start with their number', () => {
      assert.deepEqual(
        MIGRATIONS.map((m) => m.version),
        Array.from({ length: SCHEMA_VERSION }, (_, n) => n + 1),
      );
      for (const migration of MIGRATIONS) assert.match(migration.name, new RegExp(`^${String(migration.version).padStart(4, '0')}_[a-z0-9_]+$`));
    });

    it('applies those pending in order, records each with its name and checksum, and says what it applied', async () => {
      const url = await server.createDatabase();
      const db = await open(url);
      assert.deepEqual(db.migration, { applied: MIGRATIONS.map((m) => m.name), version: SCHEMA_VERSION });

      const report = await withPool(url, (pool) => migrateSchema(pool, [...MIGRATIONS, nextMigration]));
      assert.deepEqual(report, { applied: [nextMigration.name], version: SCHEMA_VERSION + 1 });
      const { rows } = await db.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_version ORDER BY version',
      );
      assert.deepEqual(
        rows.map((r) => [r.version, r.name]),
        [...MIGRATIONS, nextMigration].map((m) => [m.version, m.name]),
      );
      assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum)));
      assert.equal((await db.query('SELECT 1 FROM reviewer_notes')).rowCount, 0);

      const again = await withPool(url, (pool) => migrateSchema(pool, [...MIGRATIONS, nextMigration]));
      assert.deepEqual(again, { applied: [], version: SCHEMA_VERSION + 1 });
    });

    it('refuses to start when a migration was changed after it was applied', async () => {
      const url = await server.createDatabase();
      await open(url);
      const edited = MIGRATIONS.map((m, n) => (n === 0 ? { ...m, sql: `${m.sql}\n-- an afterthought` } : m));
      await assert.rejects(
        withPool(url, (pool) => migrateSchema(pool, edited)),
        new RegExp(`^Error: Migration ${MIGRATIONS[0]!.name} was changed after it was applied to this database; .*new migration\\.$`),
      );
    });

    it('rolls back a migration that fails, keeping the ones before it', async () => {
      const url = await server.createDatabase();
      const db = await open(url);
      const failing: Migration = { ...nextMigration, sql: 'CREATE TABLE reviewer_notes (id text PRIMARY KEY); SELECT no_such_column FROM reviewer_notes' };
      await assert.rejects(
        withPool(url, (pool) => migrateSchema(pool, [...MIGRATIONS, failing])),
        new RegExp(`^Error: Migration ${nextMigration.name} failed and was rolled back: `),
      );
      assert.deepEqual(
        await appliedVersions(db),
        MIGRATIONS.map((m) => m.version),
      );
      assert.equal((await db.query(`SELECT to_regclass('reviewer_notes') AS found`)).rows[0]?.found, null);
    });

    it('adopts a database migrated before checksums were kept', async () => {
      const url = await server.createDatabase();
      const db = await open(url);
      await db.query('UPDATE schema_version SET name = NULL, checksum = NULL');
      const report = await withPool(url, (pool) => migrateSchema(pool));
      assert.deepEqual(report, { applied: [], version: SCHEMA_VERSION });
      assert.equal((await db.query('SELECT 1 FROM schema_version WHERE checksum IS NULL')).rowCount, 0);
    });
  });

  describe('readiness', () => {
    it('is ready when the database answers and its schema is this build’s', async () => {
      const db = await open(await server.createDatabase());
      assert.equal(await db.readiness(), undefined);
    });

    it('says which version the schema is at when it is not the one this build needs', async () => {
      const db = await open(await server.createDatabase());
      await db.query('INSERT INTO schema_version (version) VALUES ($1)', [SCHEMA_VERSION + 1]);
      assert.equal(await db.readiness(), `the schema is at version ${SCHEMA_VERSION + 1}, this build needs ${SCHEMA_VERSION}`);
      await db.query('DROP TABLE schema_version');
      assert.equal(await db.readiness(), `the schema is at version 0, this build needs ${SCHEMA_VERSION}`);
    });

    it('says the database does not answer when it refuses connections, naming nothing secret', async () => {
      const url = await server.createDatabase();
      const db = await open(url);
      const name = new URL(url).pathname.slice(1);
      await withPool(server.url, async (admin) => {
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      });
      assert.equal(await db.readiness(), 'the database does not answer');
    });
  });
});
