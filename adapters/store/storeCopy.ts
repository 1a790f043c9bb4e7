/**
 * Moves a SQLite store (one instance, decision 1) into an empty PostgreSQL database (several
 * instances, decision 20) without losing history: every row of every table, with its ids, versions,
 * sequence numbers and audit hashes as they were, so the audit chain verifies on PostgreSQL exactly
 * as it did on SQLite. scripts/storeCopy.ts is its command line (`npm run store:copy`).
 *
 * The SQLite file is only read (opened read-only, in one read transaction, so a bot still writing to
 * it cannot tear the copy). The target must be empty. The rows go in within one PostgreSQL transaction,
 * which also checks the counts and the audit chain before it commits; then the copy is read back
 * through the stores the bot uses and compared with the SQLite ones. Any failure leaves the target
 * empty, as it was.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import Database from 'libsql';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { GENESIS_HASH, verifyChain, type ChainedAuditEvent } from '../../domain/audit/auditChain';
import { verifyAuditLog, type AuditReport } from '../../domain/audit/auditVerification';
import { ConfiguredAdmins } from '../../domain/policy/adminPolicy';
import type { AuditEvent } from '../../domain/requests/auditEvent';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { RequestStore } from '../../domain/requests/requestStore';
import type { KeyValueStore } from './keyValueStore';
import { AUDIT_CHAIN_HEAD, describeDatabase, PostgresDatabase, type PostgresConnectionOptions, type Queryable } from './postgres/postgresDatabase';
import { PostgresKeyValueStore } from './postgres/postgresKeyValueStore';
import { PostgresRequestStore } from './postgres/postgresRequestStore';
import { SCHEMA_VERSION as SQLITE_SCHEMA_VERSION, SqliteDatabase } from './sqlite/sqliteDatabase';
import { SqliteKeyValueStore } from './sqlite/sqliteKeyValueStore';
import { SqliteRequestStore } from './sqlite/sqliteRequestStore';

/** Rows read from SQLite and written to PostgreSQL at a time: few round trips, never a whole table in memory. */
const BATCH_ROWS = 500;
/** How many requests (and key-values) are read back through both stores and compared after the copy. */
const READ_BACK_SAMPLE = 25;

type PostgresType = 'text' | 'integer' | 'bigint' | 'boolean' | 'timestamptz';
type SqliteRow = Readonly<Record<string, unknown>>;

interface TargetColumn {
  readonly name: string;
  readonly type: PostgresType;
  readonly from: (row: SqliteRow) => unknown;
}

/** One table: what SQLite holds, and how each PostgreSQL column is made from a SQLite row. */
interface TableCopy {
  /** The same name on both sides. */
  readonly table: string;
  /** How the summary names its rows: one, many. */
  readonly noun: readonly [string, string];
  /** Exactly the columns the SQLite schema has: one more or one less means this copy is out of date. */
  readonly sqliteColumns: readonly string[];
  readonly targetColumns: readonly TargetColumn[];
  /** A PostgreSQL identity column given here as it was, whose counter must then move past the copied numbers. */
  readonly identity?: string;
}

/** A column that keeps its name and its value; PostgreSQL reads the ISO 8601 text of an instant into timestamptz. */
function same(name: string, type: PostgresType): TargetColumn {
  return { name, type, from: (row) => row[name] ?? null };
}

function packageGeneratedAt(row: SqliteRow): string | null {
  return (JSON.parse(String(row.body)) as ExportRequest).package?.generatedAt ?? null;
}

/**
 * Every table of the SQLite schema (adapters/store/sqlite/sqliteDatabase.ts, version 5), in an order
 * the foreign keys accept. A table or column added there must be added here too, or the copy refuses.
 * The filing rate limit needs no table of its own: it counts requests.
 */
const TABLES: readonly TableCopy[] = [
  {
    table: 'reference_sequences',
    noun: ['reference counter', 'reference counters'],
    sqliteColumns: ['year', 'last_sequence'],
    targetColumns: [same('year', 'integer'), same('last_sequence', 'integer')],
  },
  {
    table: 'requests',
    noun: ['request', 'requests'],
    sqliteColumns: [
      'id',
      'reference',
      'state',
      'subject_id',
      'requester_id',
      'open_subject_id',
      'version',
      'created_at',
      'updated_at',
      'export_lease_owner',
      'export_lease_until',
      'body',
    ],
    targetColumns: [
      same('id', 'text'),
      same('reference', 'text'),
      same('state', 'text'),
      same('subject_id', 'text'),
      same('requester_id', 'text'),
      // SQLite marks an open request by filling open_subject_id; PostgreSQL by a flag its partial index reads.
      { name: 'open', type: 'boolean', from: (row) => row.open_subject_id !== null && row.open_subject_id !== undefined },
      same('version', 'integer'),
      same('created_at', 'timestamptz'),
      same('updated_at', 'timestamptz'),
      // SQLite's retention search reads the body; PostgreSQL's reads this column, kept as its store keeps it.
      { name: 'package_generated_at', type: 'timestamptz', from: packageGeneratedAt },
      same('export_lease_owner', 'text'),
      same('export_lease_until', 'timestamptz'),
      same('body', 'text'),
    ],
  },
  {
    table: 'audit_events',
    noun: ['audit event', 'audit events'],
    sqliteColumns: ['sequence', 'id', 'request_id', 'body', 'previous_hash', 'hash'],
    targetColumns: [
      same('sequence', 'bigint'),
      same('id', 'text'),
      same('request_id', 'text'),
      same('body', 'text'),
      same('previous_hash', 'text'),
      same('hash', 'text'),
    ],
    identity: 'sequence',
  },
  {
    table: 'notifications',
    noun: ['message', 'messages'],
    sqliteColumns: [
      'sequence',
      'id',
      'request_id',
      'kind',
      'moment',
      'recipient_id',
      'recipient_key',
      'status',
      'not_before',
      'attempts',
      'lease_owner',
      'lease_until',
      'last_error',
      'outcome',
      'created_at',
      'completed_at',
      'content',
      'send_attempt',
    ],
    targetColumns: [
      same('sequence', 'bigint'),
      same('id', 'text'),
      same('request_id', 'text'),
      same('kind', 'text'),
      same('moment', 'text'),
      same('recipient_id', 'text'),
      same('recipient_key', 'text'),
      same('status', 'text'),
      same('not_before', 'timestamptz'),
      same('attempts', 'integer'),
      same('lease_owner', 'text'),
      same('lease_until', 'timestamptz'),
      same('last_error', 'text'),
      same('outcome', 'text'),
      same('created_at', 'timestamptz'),
      same('completed_at', 'timestamptz'),
      same('content', 'text'),
      same('send_attempt', 'integer'),
    ],
    identity: 'sequence',
  },
  {
    table: 'scheduled_runs',
    noun: ['scheduled run', 'scheduled runs'],
    sqliteColumns: ['job_key', 'owner', 'status', 'lease_until', 'done_at'],
    targetColumns: [same('job_key', 'text'), same('owner', 'text'), same('status', 'text'), same('lease_until', 'timestamptz'), same('done_at', 'timestamptz')],
  },
  {
    table: 'key_values',
    noun: ['conversation record', 'conversation records'],
    sqliteColumns: ['key', 'value', 'etag'],
    targetColumns: [same('key', 'text'), same('value', 'text'), same('etag', 'text')],
  },
];

/** The tables in the order a person reads about them: requests first, the counters last. */
const TABLES_AS_TOLD: readonly TableCopy[] = ['requests', 'audit_events', 'notifications', 'scheduled_runs', 'key_values', 'reference_sequences'].map((table) =>
  TABLES.find((spec) => spec.table === table)!,
);

/** PostgreSQL tables that are not copied from a SQLite table: the schema's own bookkeeping, and the chain head, which is set from the last hash. */
const TARGET_ONLY_TABLES = new Set(['schema_version', 'audit_chain']);

export interface StoreCopyReport {
  /** Rows copied, per table; equal on both sides. */
  readonly counts: Readonly<Record<string, number>>;
  /** The last audit event's hash: SQLite's, PostgreSQL's, and the PostgreSQL chain head. */
  readonly lastHash: string;
  /** Requests read back through both stores and found equal. */
  readonly requestsCompared: number;
}

/** The copy was refused or failed; the message is one sentence for the operator, naming no password. */
export class StoreCopyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreCopyError';
  }
}

function countOf(count: number, noun: readonly [string, string]): string {
  return `${count} ${count === 1 ? noun[0] : noun[1]}`;
}

function listed(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[.\s]+$/, '');
}

/** "Copied 12 requests, 140 audit events (chain intact), 30 messages, 4 scheduled runs, 9 conversation records and 1 reference counter." */
export function describeCopy(report: StoreCopyReport): string {
  const parts = TABLES_AS_TOLD.map(({ table, noun }) => {
    const text = countOf(report.counts[table] ?? 0, noun);
    return table === 'audit_events' ? `${text} (chain intact)` : text;
  });
  return `Copied ${listed(parts)}.`;
}

/**
 * The SQLite file, read-only: a URI with mode=ro, so neither this handle nor anything using it can
 * change the file, and a missing file is an error rather than a new empty database.
 */
function openReadOnly(file: string): Database.Database {
  return new Database(`${pathToFileURL(resolve(file)).href}?mode=ro`);
}

class SqliteSource {
  private constructor(
    readonly file: string,
    readonly handle: Database.Database,
  ) {}

  /** Opens the file read-only and checks it is a Privacy Desk store this copy knows whole. */
  static open(file: string): SqliteSource {
    if (!existsSync(file)) throw new StoreCopyError(`There is no SQLite file at ${file}; nothing was copied.`);
    let handle: Database.Database;
    try {
      handle = openReadOnly(file);
    } catch (error) {
      throw new StoreCopyError(`Could not open ${file} as a SQLite database (${messageOf(error)}); nothing was copied.`, { cause: error });
    }
    const source = new SqliteSource(file, handle);
    try {
      // One read transaction for everything that follows: a bot still writing to the file cannot tear the copy.
      handle.exec('BEGIN');
      source.checkSchema();
      return source;
    } catch (error) {
      source.close();
      if (error instanceof StoreCopyError) throw error;
      throw new StoreCopyError(`${file} is not a Privacy Desk SQLite store (${messageOf(error)}); nothing was copied.`, { cause: error });
    }
  }

  close(): void {
    if (!this.handle.open) return;
    if (this.handle.inTransaction) this.handle.exec('ROLLBACK');
    this.handle.close();
  }

  count(table: string): number {
    return (this.handle.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  lastHash(): string {
    const row = this.handle.prepare('SELECT hash FROM audit_events ORDER BY sequence DESC LIMIT 1').get() as { hash: string | null } | undefined;
    return row ? (row.hash ?? '') : GENESIS_HASH;
  }

  /** The highest number an AUTOINCREMENT table has handed out, which may be above its last row's. */
  highestSequence(table: string): number {
    const rows = (this.handle.prepare(`SELECT max(sequence) AS n FROM ${table}`).get() as { n: number | null }).n ?? 0;
    const handedOut = this.handle.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
    return Math.max(rows, handedOut?.seq ?? 0);
  }

  /** The table's rows in rowid order, a batch at a time; only the named columns (libsql adds its own). */
  *batches(spec: TableCopy): Generator<SqliteRow[]> {
    const columns = spec.sqliteColumns.map((c) => `"${c}"`).join(', ');
    const page = this.handle.prepare(`SELECT rowid AS copy_rowid, ${columns} FROM ${spec.table} WHERE rowid > ? ORDER BY rowid LIMIT ?`);
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const rows = page.all(after, BATCH_ROWS) as Array<SqliteRow & { copy_rowid: number }>;
      if (rows.length === 0) return;
      yield rows;
      after = rows.at(-1)!.copy_rowid;
    }
  }

  /** Up to `limit` values of `column`, spread evenly over the table from its first row to its last. */
  sample(table: string, column: string, limit: number): string[] {
    const total = this.count(table);
    const positions =
      total <= limit ? Array.from({ length: total }, (_, i) => i) : Array.from({ length: limit }, (_, i) => Math.round((i * (total - 1)) / (limit - 1)));
    const at = this.handle.prepare(`SELECT "${column}" AS v FROM ${table} ORDER BY rowid LIMIT 1 OFFSET ?`);
    return positions.map((position) => (at.get(position) as { v: string }).v);
  }

  /** Audit events written before the log was hash-chained (schema version 3) carry no hash. */
  unchainedEvents(): number {
    return (this.handle.prepare('SELECT count(*) AS n FROM audit_events WHERE hash IS NULL OR previous_hash IS NULL').get() as { n: number }).n;
  }

  private checkSchema(): void {
    const version = (this.handle.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (version !== SQLITE_SCHEMA_VERSION) {
      throw new StoreCopyError(
        version < SQLITE_SCHEMA_VERSION
          ? `${this.file} is at schema version ${version}, older than this build's ${SQLITE_SCHEMA_VERSION}; start Privacy Desk on it once (which upgrades it), then run store:copy again. Nothing was copied.`
          : `${this.file} is at schema version ${version}, newer than this build knows (${SQLITE_SCHEMA_VERSION}); run store:copy from that newer build. Nothing was copied.`,
      );
    }
    const tables = (
      this.handle.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    const unknown = tables.filter((name) => !TABLES.some((spec) => spec.table === name));
    if (unknown.length > 0) {
      throw new StoreCopyError(
        `${this.file} has ${unknown.length === 1 ? 'a table' : 'tables'} store:copy does not know (${unknown.join(', ')}), which would be left behind; nothing was copied.`,
      );
    }
    for (const spec of TABLES) {
      if (!tables.includes(spec.table))
        throw new StoreCopyError(`${this.file} has no ${spec.table} table, so it is not a Privacy Desk store this build can copy; nothing was copied.`);
      const columns = (this.handle.prepare(`PRAGMA table_info(${spec.table})`).all() as Array<{ name: string }>).map((r) => r.name);
      const extra = columns.filter((c) => !spec.sqliteColumns.includes(c));
      const missing = spec.sqliteColumns.filter((c) => !columns.includes(c));
      if (extra.length > 0 || missing.length > 0) {
        const what = [extra.length > 0 ? `columns store:copy does not know (${extra.join(', ')})` : '', missing.length > 0 ? `no ${missing.join(', ')}` : '']
          .filter(Boolean)
          .join(' and ');
        throw new StoreCopyError(`The ${spec.table} table in ${this.file} has ${what}; nothing was copied.`);
      }
    }
  }
}

/** How the chain check describes a verdict that is not intact. */
function brokenChain(report: AuditReport): string {
  const where = report.broken ? `at event ${report.broken.sequence}${report.broken.reference ? ` (${report.broken.reference})` : ''}` : 'somewhere';
  const why = report.broken?.reason === 'edited' ? 'an event was changed after it was written' : 'an event was removed or moved';
  return `${where}: ${why}`;
}

/** verify audit's own check, run as the system (this is an operator's tool, not a chat command). */
function verifyAsTheBotDoes(store: RequestStore): Promise<AuditReport> {
  return verifyAuditLog(SYSTEM_ACTOR, { store, admins: new ConfiguredAdmins([SYSTEM_ACTOR.objectId]) });
}

async function* postgresAuditLog(tx: Queryable): AsyncIterable<ChainedAuditEvent> {
  // The same rows and mapping PostgresRequestStore.auditLog reads, on the copy's own transaction.
  for (let after = 0; ;) {
    const { rows } = await tx.query<{ sequence: string; body: string; previous_hash: string; hash: string }>(
      'SELECT sequence, body, previous_hash, hash FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2',
      [after, BATCH_ROWS],
    );
    if (rows.length === 0) return;
    for (const row of rows)
      yield { sequence: Number(row.sequence), event: JSON.parse(row.body) as AuditEvent, previousHash: row.previous_hash, hash: row.hash };
    after = Number(rows.at(-1)!.sequence);
  }
}

/** The target's tables must be the ones this copy fills, with the columns it fills: a newer migration would otherwise be left half empty. */
async function checkTargetSchema(tx: Queryable, target: string): Promise<void> {
  const { rows } = await tx.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
  const columnsOf = new Map<string, string[]>();
  for (const row of rows) columnsOf.set(row.table_name, [...(columnsOf.get(row.table_name) ?? []), row.column_name]);
  const unknown = [...columnsOf.keys()].filter((name) => !TARGET_ONLY_TABLES.has(name) && !TABLES.some((spec) => spec.table === name));
  if (unknown.length > 0) {
    throw new StoreCopyError(
      `${target} has ${unknown.length === 1 ? 'a table' : 'tables'} store:copy does not fill (${unknown.sort().join(', ')}); nothing was copied.`,
    );
  }
  for (const spec of TABLES) {
    const columns = columnsOf.get(spec.table) ?? [];
    const unfilled = columns.filter((c) => !spec.targetColumns.some((t) => t.name === c));
    const absent = spec.targetColumns.filter((t) => !columns.includes(t.name)).map((t) => t.name);
    if (unfilled.length > 0 || absent.length > 0) {
      throw new StoreCopyError(
        `The ${spec.table} table in ${target} does not match what store:copy writes (${[...unfilled.map((c) => `${c} unfilled`), ...absent.map((c) => `${c} missing`)].join(', ')}); nothing was copied.`,
      );
    }
  }
}

/** Refuses a target that holds anything of ours; the caller holds the tables locked, so this stays true until commit. */
async function checkTargetEmpty(tx: Queryable, target: string): Promise<void> {
  const held: string[] = [];
  for (const spec of TABLES_AS_TOLD) {
    const { rows } = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${spec.table}`);
    const n = Number(rows[0]!.n);
    if (n > 0) held.push(countOf(n, spec.noun));
  }
  if (held.length > 0) {
    throw new StoreCopyError(`The target database already holds ${listed(held)}; store:copy only copies into an empty database. Nothing was copied.`);
  }
  const { rows } = await tx.query<{ last_hash: string }>('SELECT last_hash FROM audit_chain WHERE name = $1', [AUDIT_CHAIN_HEAD]);
  if (rows[0] && rows[0].last_hash !== GENESIS_HASH) {
    throw new StoreCopyError(
      `The audit chain of ${target} does not start afresh although it has no events; store:copy only copies into an empty database. Nothing was copied.`,
    );
  }
}

async function copyTable(tx: Queryable, source: SqliteSource, spec: TableCopy): Promise<void> {
  const names = spec.targetColumns.map((c) => `"${c.name}"`).join(', ');
  const arrays = spec.targetColumns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  // Each column goes over as one array: a batch is one statement, whatever its size.
  const insert = `INSERT INTO ${spec.table} (${names}) ${spec.identity ? 'OVERRIDING SYSTEM VALUE ' : ''}SELECT * FROM unnest(${arrays})`;
  for (const batch of source.batches(spec)) {
    await tx.query(
      insert,
      spec.targetColumns.map((column) => batch.map(column.from)),
    );
  }
  if (spec.identity) {
    // The next event or message PostgreSQL numbers follows the last SQLite handed out.
    const highest = source.highestSequence(spec.table);
    await tx.query(`SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)`, [spec.table, spec.identity, Math.max(highest, 1), highest > 0]);
  }
}

async function compareCounts(tx: Queryable, counts: Readonly<Record<string, number>>): Promise<void> {
  for (const spec of TABLES) {
    const { rows } = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${spec.table}`);
    const copied = Number(rows[0]!.n);
    if (copied !== counts[spec.table]) throw new Error(`the ${spec.table} table holds ${copied} rows on PostgreSQL but ${counts[spec.table]} in SQLite`);
  }
}

async function compareChain(tx: Queryable, events: number, lastHash: string): Promise<void> {
  const verdict = await verifyChain(postgresAuditLog(tx));
  if (!verdict.intact) throw new Error(`the copied audit chain breaks at event ${verdict.brokenAt} (${verdict.reason})`);
  if (verdict.checked !== events) throw new Error(`the copied audit chain has ${verdict.checked} events, SQLite’s ${events}`);
  const { rows } = await tx.query<{ last_hash: string }>('SELECT last_hash FROM audit_chain WHERE name = $1', [AUDIT_CHAIN_HEAD]);
  if (rows[0]?.last_hash !== lastHash) throw new Error('the PostgreSQL audit chain head does not end at SQLite’s last hash');
}

/** Reads the copy back through the stores the bot uses and compares it with the SQLite ones; throws at the first difference. */
async function compareThroughStores(
  source: SqliteSource,
  sqlite: { requests: RequestStore; keyValues: KeyValueStore },
  postgres: { requests: RequestStore; keyValues: KeyValueStore },
  events: number,
): Promise<number> {
  const report = await verifyAsTheBotDoes(postgres.requests);
  if (!report.intact) throw new Error(`verify audit finds the copied chain broken ${brokenChain(report)}`);
  if (report.checked !== events) throw new Error(`verify audit checked ${report.checked} copied events, not ${events}`);

  const ids = source.sample('requests', 'id', READ_BACK_SAMPLE);
  for (const id of ids) {
    const expected = await sqlite.requests.get(id);
    const copied = await postgres.requests.get(id);
    if (!isDeepStrictEqual(copied, expected)) throw new Error(`request ${expected?.reference ?? id} reads back differently from PostgreSQL`);
    if (!isDeepStrictEqual(await postgres.requests.getByReference(expected!.reference), expected)) {
      throw new Error(`request ${expected!.reference} is not found by its reference on PostgreSQL`);
    }
    if (!isDeepStrictEqual(await postgres.requests.auditTrail(id), await sqlite.requests.auditTrail(id))) {
      throw new Error(`the audit trail of ${expected!.reference} reads back differently from PostgreSQL`);
    }
  }
  if (!isDeepStrictEqual(await postgres.requests.listOpen(), await sqlite.requests.listOpen())) {
    throw new Error('the open requests read back differently from PostgreSQL');
  }
  for (const key of source.sample('key_values', 'key', READ_BACK_SAMPLE)) {
    if (!isDeepStrictEqual(await postgres.keyValues.get(key), await sqlite.keyValues.get(key))) {
      throw new Error(`the conversation record "${key}" reads back differently from PostgreSQL`);
    }
  }
  return ids.length;
}

/** After a failed read-back the copy is committed; the target was empty before, so emptying it again restores it. */
async function removeCopy(db: PostgresDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`TRUNCATE ${TABLES.map((spec) => spec.table).join(', ')} RESTART IDENTITY`);
    await tx.query('UPDATE audit_chain SET last_hash = $2 WHERE name = $1', [AUDIT_CHAIN_HEAD, GENESIS_HASH]);
  });
}

/**
 * Copies the SQLite store in `from` into the empty PostgreSQL database `to` (migrating its schema
 * first), checks the copy, and says what it copied. Throws StoreCopyError with one sentence when it
 * refuses or fails; the target is then as empty as it was.
 */
export async function copySqliteToPostgres(options: { readonly from: string; readonly to: PostgresConnectionOptions }): Promise<StoreCopyReport> {
  const target = describeDatabase(options.to.url);
  const source = SqliteSource.open(options.from);
  try {
    // Over the read-only handle: SqliteDatabase.open() would migrate, which writes.
    const readOnly = SqliteDatabase.over(source.handle);
    const sqlite = { requests: new SqliteRequestStore(readOnly), keyValues: new SqliteKeyValueStore(readOnly) };
    const counts = Object.fromEntries(TABLES.map((spec) => [spec.table, source.count(spec.table)]));
    const events = counts.audit_events!;
    // A broken chain copied would be a broken chain on PostgreSQL, with its break now blamed on the move.
    const unchained = source.unchainedEvents();
    if (unchained > 0) {
      throw new StoreCopyError(
        `${countOf(unchained, ['audit event', 'audit events'])} in ${options.from} ${unchained === 1 ? 'has' : 'have'} no hash (written before the audit log was chained), and PostgreSQL keeps only chained events; nothing was copied.`,
      );
    }
    const sourceChain = await verifyAsTheBotDoes(sqlite.requests);
    if (!sourceChain.intact) {
      throw new StoreCopyError(
        `The audit chain in ${options.from} is broken ${brokenChain(sourceChain)}; store:copy only copies an intact chain, so nothing was copied.`,
      );
    }
    const lastHash = source.lastHash();

    let db: PostgresDatabase;
    try {
      db = await PostgresDatabase.open(options.to);
    } catch (error) {
      throw new StoreCopyError(`${messageOf(error)}; nothing was copied.`, { cause: error });
    }
    try {
      try {
        await db.transaction(async (tx) => {
          // Writers wait until the copy commits; readers (a readiness probe) carry on.
          await tx.query(`LOCK TABLE ${[...TABLES.map((spec) => spec.table), 'audit_chain'].join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
          await checkTargetSchema(tx, target);
          await checkTargetEmpty(tx, target);
          for (const spec of TABLES) {
            try {
              await copyTable(tx, source, spec);
            } catch (error) {
              throw new StoreCopyError(
                `Copying the ${spec.table} table to ${target} failed (${messageOf(error)}); the transaction was rolled back and nothing was copied.`,
                { cause: error },
              );
            }
          }
          await tx.query('INSERT INTO audit_chain (name, last_hash) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_hash = excluded.last_hash', [
            AUDIT_CHAIN_HEAD,
            lastHash,
          ]);
          try {
            await compareCounts(tx, counts);
            await compareChain(tx, events, lastHash);
          } catch (error) {
            throw new StoreCopyError(`The copy did not check out: ${messageOf(error)}; the transaction was rolled back and nothing was copied.`, {
              cause: error,
            });
          }
        });
      } catch (error) {
        if (error instanceof StoreCopyError) throw error;
        throw new StoreCopyError(`The copy to ${target} failed (${messageOf(error)}); the transaction was rolled back and nothing was copied.`, {
          cause: error,
        });
      }

      let requestsCompared: number;
      try {
        requestsCompared = await compareThroughStores(
          source,
          sqlite,
          { requests: new PostgresRequestStore(db), keyValues: new PostgresKeyValueStore(db) },
          events,
        );
      } catch (error) {
        await removeCopy(db);
        throw new StoreCopyError(
          `The copy did not read back as it was written: ${messageOf(error)}; the copied rows were removed again, so ${target} is empty as before.`,
          {
            cause: error,
          },
        );
      }
      return { counts, lastHash, requestsCompared };
    } finally {
      await db.close();
    }
  } finally {
    source.close();
  }
}
