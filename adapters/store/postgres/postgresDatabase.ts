import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import pg from 'pg';
import { GENESIS_HASH } from '../../../domain/audit/auditChain';
import { checksumOf, MIGRATIONS, type Migration } from './migrations';

/**
 * Where to find the database and how to sign in. The password in the URL serves for a plain
 * password; `password` replaces it with a function asked at every new connection, which is how a
 * short-lived token (an Entra token from a managed identity, on Azure) is handed over fresh.
 */
export interface PostgresConnectionOptions {
  /** postgres://user[:password]@host[:port]/database[?sslmode=disable|require|verify-full] */
  readonly url: string;
  readonly password?: () => Promise<string>;
  /** TLS settings (a CA, say); TLS itself is decided by the host, see connectionConfig. */
  readonly ssl?: TlsOptions;
  /** Connections each instance keeps at most. */
  readonly maxConnections?: number;
}

/** What both the pool and a transaction's client can do: run one statement. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

const DEFAULT_MAX_CONNECTIONS = 10;
/** Long enough for a server on another continent, short enough that a wrong host stops the bot quickly. */
const CONNECT_TIMEOUT_MS = 10_000;
const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);
const DEFAULT_PORT = 5432;
/** Hosts whose traffic never leaves the machine: the only ones that may be reached without TLS. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const SSLMODE_DISABLE = 'disable';

/**
 * How often a transaction is tried when PostgreSQL gives up on it for reasons of concurrency (a
 * serialization failure or a deadlock): the work is safe to run again because it was rolled back.
 */
const TRANSACTION_ATTEMPTS = 5;
const RETRY_BACKOFF_MS = 15;
/** SQLSTATE codes for "rolled back because of another transaction; try again". */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
/** SQLSTATE for a table that does not exist: schema_version in a database never migrated. */
const UNDEFINED_TABLE = '42P01';
/** How long a readiness probe waits for an answer before it calls the database unresponsive. */
const READINESS_TIMEOUT_MS = 5_000;
/** SQLSTATE for a unique index refusing a row. */
export const UNIQUE_VIOLATION = '23505';

/**
 * Serialises migrations across instances: pg_advisory_xact_lock takes any 64-bit number, and this
 * one is Privacy Desk's ("PDSKMIGR" in ASCII), so nothing else on a shared server collides with it.
 */
const MIGRATION_LOCK_KEY = '0x5044534b4d494752';

/** The audit chain's single head row: appending locks it, so appends from every instance form one chain. */
export const AUDIT_CHAIN_HEAD = 'head';

/** The schema version this build needs: one per migration in ./migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What a migration run did: the names of the migrations it applied, in order, and the version the database is at. */
export interface MigrationReport {
  readonly applied: readonly string[];
  readonly version: number;
}

/** The URL without its password, for messages and logs. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || DEFAULT_PORT}${parsed.pathname}`;
  } catch {
    return 'the database in DATABASE_URL';
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Turns the options into pg's, refusing what must not run: a URL that is not a postgres:// one, and
 * a connection that would leave the machine without TLS. Off loopback, TLS is always on and the
 * server's certificate is always checked, whatever sslmode says; sslmode=disable is refused there.
 */
export function connectionConfig(options: PostgresConnectionOptions): pg.PoolConfig {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error('DATABASE_URL is not a URL; it should look like postgres://user@host:5432/database.');
  }
  if (!POSTGRES_PROTOCOLS.has(url.protocol)) {
    throw new Error(`DATABASE_URL starts with "${url.protocol}//", not "postgres://"; it should look like postgres://user@host:5432/database.`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database) {
    throw new Error('DATABASE_URL needs a host and a database name, as in postgres://user@host:5432/database.');
  }
  const loopback = isLoopbackHost(url.hostname);
  const tlsOff = url.searchParams.get('sslmode') === SSLMODE_DISABLE;
  if (tlsOff && !loopback) {
    throw new Error(
      `DATABASE_URL asks for no TLS (sslmode=disable) to ${describeDatabase(options.url)}, which is not on this machine; connections that leave the machine must use TLS.`,
    );
  }
  const useTls = !loopback || (!tlsOff && (options.ssl !== undefined || url.searchParams.has('sslmode')));
  const urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_PORT,
    database,
    user: decodeURIComponent(url.username),
    password: options.password ?? urlPassword,
    ssl: useTls ? { rejectUnauthorized: true, ...options.ssl } : false,
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return sqlState(error) === UNIQUE_VIOLATION && (error as { constraint?: string }).constraint === constraint;
}

/**
 * A pool of connections to PostgreSQL with Privacy Desk's schema. Several instances of the bot may
 * share one database: every change is one transaction, claims skip rows another instance holds, and
 * the schema is migrated under an advisory lock so instances starting together take turns.
 */
export class PostgresDatabase {
  private constructor(readonly pool: pg.Pool) {}

  /** Connects, checks the server answers, and brings the schema up to date. Throws a sentence naming the database otherwise. */
  static async open(options: PostgresConnectionOptions): Promise<PostgresDatabase> {
    const pool = new pg.Pool(connectionConfig(options));
    // An idle connection the server drops (a restart, a failover) is removed by the pool, and the next
    // query opens a new one; without a listener the 'error' event would end the process instead.
    pool.on('error', () => undefined);
    const database = new PostgresDatabase(pool);
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw new Error(`Could not reach PostgreSQL at ${describeDatabase(options.url)}: ${(error as Error).message}`, { cause: error });
    }
    try {
      database.migration = await migrateSchema(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
  }

  /** What opening applied: the migrations run now (none when the schema was current) and the version reached. */
  migration: MigrationReport = { applied: [], version: SCHEMA_VERSION };

  /**
   * For a readiness probe: undefined when the database answers and its schema is the one this build
   * needs, else a short reason an operator can read. It names no host, user or password.
   */
  async readiness(): Promise<string | undefined> {
    const timeout = new AbortController();
    // Aborted once the query answers; the rejection that abort causes is dropped here.
    const gaveUp = sleep(READINESS_TIMEOUT_MS, undefined, { signal: timeout.signal, ref: false }).catch(() => undefined);
    let version: number;
    try {
      const answer = await Promise.race([this.pool.query<{ current: number | null }>('SELECT max(version) AS current FROM schema_version'), gaveUp]);
      if (answer === undefined) return 'the database does not answer';
      version = answer.rows[0]?.current ?? 0;
    } catch (error) {
      if (sqlState(error) !== UNDEFINED_TABLE) return 'the database does not answer';
      version = 0;
    } finally {
      timeout.abort();
    }
    return version === SCHEMA_VERSION ? undefined : `the schema is at version ${version}, this build needs ${SCHEMA_VERSION}`;
  }

  /** One statement outside any transaction (a read, or a change that is one statement). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /**
   * Runs `work` as one READ COMMITTED transaction on one connection: committed if it returns, rolled
   * back if it throws. A transaction PostgreSQL aborts for a serialization failure or a deadlock is
   * run again, a few times; `work` must therefore do nothing outside the database.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      // A connection that dies while checked out (the server restarted) is reported as an 'error'
      // event, which unheard would end the process; the statement in flight fails with it anyway.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        if (!RETRYABLE_SQLSTATES.has(sqlState(error) ?? '') || attempt >= TRANSACTION_ATTEMPTS) throw error;
      } finally {
        client.off('error', onError);
        // A connection that broke, or could not even roll back, is closed rather than handed to the next caller.
        client.release(broken);
      }
      await sleep(RETRY_BACKOFF_MS * attempt);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

/**
 * Brings the schema up to `migrations`, oldest first, each in its own transaction and recorded in
 * schema_version with its checksum. The whole run holds a session advisory lock on one connection,
 * so instances starting together take turns and the later ones find nothing to do. Refuses, with a
 * sentence, a database at a newer version than this build and one whose applied migration was since
 * edited. On any failure the connection is closed rather than reused, which also drops the lock.
 */
export async function migrateSchema(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_version (
      version    integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Databases migrated before migrations lived in files have no name or checksum yet (see below).
    await client.query('ALTER TABLE schema_version ADD COLUMN IF NOT EXISTS name text, ADD COLUMN IF NOT EXISTS checksum text');
    const { rows } = await client.query<{ version: number; checksum: string | null }>('SELECT version, checksum FROM schema_version ORDER BY version');
    const current = rows.at(-1)?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`The database is at schema version ${current}, newer than this build knows (${migrations.length}).`);
    }
    for (const row of rows) {
      const migration = migrations[row.version - 1]!;
      const checksum = checksumOf(migration);
      if (row.checksum === null) {
        // Applied by the build that held the schema in code, whose text the file kept: recorded as it is now.
        await client.query('UPDATE schema_version SET name = $2, checksum = $3 WHERE version = $1', [row.version, migration.name, checksum]);
      } else if (row.checksum !== checksum) {
        throw new Error(
          `Migration ${migration.name} was changed after it was applied to this database; an applied migration must stay as it was, so put the change in a new migration.`,
        );
      }
    }
    const applied: string[] = [];
    for (const migration of migrations.slice(current)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          checksumOf(migration),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.name);
    }
    await client.query('INSERT INTO audit_chain (name, last_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [AUDIT_CHAIN_HEAD, GENESIS_HASH]);
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    client.release();
    return { applied, version: migrations.length };
  } catch (error) {
    // Closing the connection ends its transaction (rolled back) and its session, which frees the lock.
    client.release(true);
    throw error;
  }
}
