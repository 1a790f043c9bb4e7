import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'libsql';

/** The file name SQLite reads as "a private database that lives only as long as this handle". */
export const IN_MEMORY = ':memory:';

/**
 * How long a write waits for another handle (a second bot instance) to finish its transaction
 * before failing with SQLITE_BUSY. Store transactions are a handful of statements, so this is generous.
 */
const BUSY_TIMEOUT_MS = 5000;

/** How long to wait before trying again to switch a new file to WAL (see switchToWal). */
const WAL_SWITCH_RETRY_MS = 10;

/**
 * The schema, one entry per version: entry N upgrades a database from user_version N to N + 1.
 * Entries are append-only; a shipped entry is never edited, a change is a new entry.
 */
const MIGRATIONS: readonly string[] = [
  // 1: requests, their audit trail, the per-year reference counter and the notification outbox.
  `
  CREATE TABLE reference_sequences (
    year          INTEGER PRIMARY KEY,
    last_sequence INTEGER NOT NULL
  );

  CREATE TABLE requests (
    id                 TEXT PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    state              TEXT NOT NULL,
    subject_id         TEXT NOT NULL,  -- lowercased objectId
    requester_id       TEXT NOT NULL,  -- lowercased objectId
    -- The subject's lowercased objectId while the request is open, NULL once it closes: the unique
    -- index turns "one open request per subject" into something two racing writers cannot both pass.
    open_subject_id    TEXT UNIQUE,
    version            INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- Who is running the export, and until when; outside the version so claiming is not a change.
    export_lease_owner TEXT,
    export_lease_until TEXT,
    body               TEXT NOT NULL   -- the whole ExportRequest as JSON
  );
  CREATE INDEX requests_by_created ON requests (created_at, reference);
  CREATE INDEX requests_by_subject ON requests (subject_id, created_at);
  CREATE INDEX requests_by_requester ON requests (requester_id, created_at);
  CREATE INDEX requests_by_state ON requests (state, created_at);

  CREATE TABLE audit_events (
    sequence   INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    request_id TEXT NOT NULL REFERENCES requests (id),
    body       TEXT NOT NULL   -- the whole AuditEvent as JSON
  );
  CREATE INDEX audit_events_by_request ON audit_events (request_id, sequence);

  CREATE TABLE notifications (
    sequence      INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    request_id    TEXT NOT NULL REFERENCES requests (id),
    kind          TEXT NOT NULL,
    moment        TEXT,
    recipient_id  TEXT,            -- as given, handed back to the sender
    recipient_key TEXT,            -- lowercased, for finding a person's notifications
    status        TEXT NOT NULL,
    not_before    TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   TEXT,
    last_error    TEXT,
    outcome       TEXT,
    created_at    TEXT NOT NULL,
    completed_at  TEXT
  );
  CREATE INDEX notifications_due ON notifications (status, not_before, sequence);
  CREATE INDEX notifications_by_recipient ON notifications (recipient_key, status);
  `,
  // 2: bot dialog state, Teams conversation references and settings.
  `
  CREATE TABLE key_values (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL,   -- JSON
    etag  TEXT NOT NULL
  );
  `,
  // 3: the audit log as a hash chain (each event carries the hash of the one written before it).
  `
  ALTER TABLE audit_events ADD COLUMN previous_hash TEXT;
  ALTER TABLE audit_events ADD COLUMN hash TEXT;
  `,
  // 4: scheduled work that must happen once per occurrence (a reminder, a warning, a day's digest).
  `
  CREATE TABLE scheduled_runs (
    job_key     TEXT PRIMARY KEY,   -- e.g. reminder:<request>:1, digest:2026-12-01
    owner       TEXT NOT NULL,
    status      TEXT NOT NULL,      -- claimed | done
    lease_until TEXT,
    done_at     TEXT
  );
  `,
  // 5: a notification's message content, stored before it is sent, and the attempt that began sending
  // and has not recorded how it ended: a repeat after a crash is then the same message (docs/decisions/0010).
  `
  ALTER TABLE notifications ADD COLUMN content TEXT;          -- JSON MessageContent; NULL once settled
  ALTER TABLE notifications ADD COLUMN send_attempt INTEGER;  -- set before sending, cleared when the outcome is recorded
  `,
  // 6: a request's unsettled messages, found without a scan: none is handed out while a sibling is leased.
  `
  CREATE INDEX notifications_pending_by_request ON notifications (request_id) WHERE status = 'pending';
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

/**
 * Turning a new file's rollback journal into WAL needs every other handle out of the way, and when
 * two instances try at once SQLite refuses one at once (SQLITE_BUSY) instead of running the busy
 * timeout, since each holds a lock the other waits for. So it is retried here, within the same budget.
 * A file already in WAL mode stays so, and this returns at the first try.
 */
async function switchToWal(handle: Database.Database): Promise<void> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      handle.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      await sleep(WAL_SWITCH_RETRY_MS);
    }
  }
}

/**
 * One SQLite handle with Privacy Desk's settings and schema. Several handles (several bot instances)
 * may open the same file: WAL lets readers proceed during a write, the busy timeout makes writers
 * queue instead of failing, and every write runs in an IMMEDIATE transaction so it takes the write
 * lock before it reads anything it decides on.
 */
export class SqliteDatabase {
  /** Statements by their SQL, each prepared once: preparing costs more than running most of them. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(readonly handle: Database.Database) {}

  /**
   * A handle opened elsewhere, taken as it is: no settings, no migration. For reading a file that
   * must not be written, such as the source of `npm run store:copy` (opened with mode=ro).
   */
  static over(handle: Database.Database): SqliteDatabase {
    return new SqliteDatabase(handle);
  }

  /** The prepared statement for `sql`, prepared on first use and kept for this handle's life. */
  statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.handle.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  static async open(filename: string): Promise<SqliteDatabase> {
    const handle = new Database(filename);
    try {
      // The busy timeout comes first so that migrating waits its turn behind other handles.
      handle.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Neither journal_mode nor foreign_keys can change inside a transaction, so both precede migrating.
      await switchToWal(handle);
      handle.exec('PRAGMA foreign_keys = ON');
      const database = new SqliteDatabase(handle);
      database.migrate();
      return database;
    } catch (error) {
      handle.close();
      throw error;
    }
  }

  /**
   * Runs `work` as one IMMEDIATE transaction: committed if it returns, rolled back if it throws.
   * IMMEDIATE rather than deferred because a deferred transaction that reads and then writes can
   * fail at once with SQLITE_BUSY when another handle wrote in between, whatever the busy timeout.
   */
  write<T>(work: () => T): T {
    return this.handle.transaction(work).immediate();
  }

  close(): void {
    if (!this.handle.open) return;
    // The cached statements keep libsql's connection alive until they are collected, and its
    // checkpoint on closing would then write the file at some later moment. Checkpointed here, the
    // file holds everything now and a late close has nothing left to write.
    this.statements.clear();
    this.handle.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    this.handle.close();
  }

  /**
   * For a readiness probe: undefined when the file answers and its schema is this build's, else a
   * short reason an operator can read (it names no path).
   */
  async readiness(): Promise<string | undefined> {
    let version: number;
    try {
      version = this.userVersion();
    } catch {
      return 'the database does not answer';
    }
    return version === SCHEMA_VERSION ? undefined : `the schema is at version ${version}, this build needs ${SCHEMA_VERSION}`;
  }

  private migrate(): void {
    this.write(() => {
      // Read inside the write lock: two instances starting together must not both apply a migration.
      const current = this.userVersion();
      if (current > SCHEMA_VERSION) {
        throw new Error(`The database is at schema version ${current}, newer than this build knows (${SCHEMA_VERSION}).`);
      }
      for (const migration of MIGRATIONS.slice(current)) this.handle.exec(migration);
      this.handle.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    });
  }

  private userVersion(): number {
    const row = this.handle.prepare('PRAGMA user_version').get() as { user_version: number };
    return row.user_version;
  }
}
