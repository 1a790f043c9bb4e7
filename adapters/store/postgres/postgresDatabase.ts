import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import pg from 'pg';
import { GENESIS_HASH } from '../../../domain/audit/auditChain';

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
/** SQLSTATE for a unique index refusing a row. */
export const UNIQUE_VIOLATION = '23505';

/**
 * Serialises migrations across instances: pg_advisory_xact_lock takes any 64-bit number, and this
 * one is Privacy Desk's ("PDSKMIGR" in ASCII), so nothing else on a shared server collides with it.
 */
const MIGRATION_LOCK_KEY = '0x5044534b4d494752';

/** The audit chain's single head row: appending locks it, so appends from every instance form one chain. */
export const AUDIT_CHAIN_HEAD = 'head';

/**
 * The schema, one entry per version: entry N upgrades a database from version N to N + 1. Entries
 * are append-only; a shipped entry is never edited, a change is a new entry. The first is the SQLite
 * schema's five migrations as one (adapters/store/sqlite/sqliteDatabase.ts), with PostgreSQL's own
 * ways where they are clearer (docs/decisions/0020-postgresql-store.md).
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE reference_sequences (
    year          integer PRIMARY KEY,
    last_sequence integer NOT NULL
  );

  CREATE TABLE requests (
    id                   text PRIMARY KEY,
    reference            text NOT NULL,
    state                text NOT NULL,
    subject_id           text NOT NULL,  -- lowercased objectId
    requester_id         text NOT NULL,  -- lowercased objectId
    open                 boolean NOT NULL,
    version              integer NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    -- Retention looks for old packages; kept in step with the body so the search needs no JSON.
    package_generated_at timestamptz,
    -- Who is running the export, and until when; outside the version so claiming is not a change.
    export_lease_owner   text,
    export_lease_until   timestamptz,
    -- The whole ExportRequest as JSON text: jsonb would refuse a \\u0000 someone typed into a note.
    body                 text NOT NULL
  );
  -- References are found in any case ("dsr-2026-0007" finds DSR-2026-0007).
  CREATE UNIQUE INDEX requests_by_reference ON requests (upper(reference));
  -- One open request per subject, as an index two racing instances cannot both pass.
  CREATE UNIQUE INDEX requests_one_open_per_subject ON requests (subject_id) WHERE open;
  CREATE INDEX requests_by_created ON requests (created_at, reference);
  CREATE INDEX requests_by_subject ON requests (subject_id, created_at);
  CREATE INDEX requests_by_requester ON requests (requester_id, created_at);
  CREATE INDEX requests_by_state ON requests (state, created_at);
  CREATE INDEX requests_by_package_generated ON requests (package_generated_at) WHERE package_generated_at IS NOT NULL;

  CREATE TABLE audit_events (
    sequence      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            text NOT NULL UNIQUE,
    request_id    text NOT NULL REFERENCES requests (id),
    body          text NOT NULL,   -- the whole AuditEvent as JSON
    previous_hash text NOT NULL,
    hash          text NOT NULL
  );
  CREATE INDEX audit_events_by_request ON audit_events (request_id, sequence);

  -- The hash of the last event written. Every append locks this row (SELECT ... FOR UPDATE) before it
  -- reads the hash it chains to, and holds it until commit: appends from all instances queue here.
  CREATE TABLE audit_chain (
    name      text PRIMARY KEY,
    last_hash text NOT NULL
  );

  CREATE TABLE notifications (
    sequence      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            text NOT NULL UNIQUE,
    request_id    text NOT NULL REFERENCES requests (id),
    kind          text NOT NULL,
    moment        text,
    recipient_id  text,            -- as given, handed back to the sender
    recipient_key text,            -- lowercased, for finding a person's notifications
    status        text NOT NULL,
    not_before    timestamptz NOT NULL,
    attempts      integer NOT NULL,
    lease_owner   text,
    lease_until   timestamptz,
    last_error    text,
    outcome       text,
    created_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    content       text,            -- JSON MessageContent; NULL once settled (docs/decisions/0010)
    send_attempt  integer          -- set before sending, cleared when the outcome is recorded
  );
  CREATE INDEX notifications_due ON notifications (status, not_before, sequence);
  CREATE INDEX notifications_by_recipient ON notifications (recipient_key, status);

  CREATE TABLE key_values (
    key   text PRIMARY KEY,
    value text NOT NULL,   -- JSON
    etag  text NOT NULL
  );

  CREATE TABLE scheduled_runs (
    job_key     text PRIMARY KEY,   -- e.g. reminder:<request>:1, digest:2026-12-01
    owner       text NOT NULL,
    status      text NOT NULL,      -- claimed | done
    lease_until timestamptz,
    done_at     timestamptz
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

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
    throw new Error(`DATABASE_URL asks for no TLS (sslmode=disable) to ${describeDatabase(options.url)}, which is not on this machine; connections that leave the machine must use TLS.`);
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
      await database.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
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
        // A connection that could not even roll back is closed rather than handed to the next caller.
        client.release(broken);
      }
      await sleep(RETRY_BACKOFF_MS * attempt);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (tx) => {
      // Held to commit: a second instance starting now waits here, then finds the schema up to date.
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_version (
        version    integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ current: number | null }>('SELECT max(version) AS current FROM schema_version');
      const current = rows[0]?.current ?? 0;
      if (current > SCHEMA_VERSION) {
        throw new Error(`The database is at schema version ${current}, newer than this build knows (${SCHEMA_VERSION}).`);
      }
      for (const [index, migration] of MIGRATIONS.entries()) {
        if (index < current) continue;
        await tx.query(migration);
        await tx.query('INSERT INTO schema_version (version) VALUES ($1)', [index + 1]);
      }
      await tx.query('INSERT INTO audit_chain (name, last_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [AUDIT_CHAIN_HEAD, GENESIS_HASH]);
    });
  }
}
