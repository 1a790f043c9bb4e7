import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../../domain/clock';
import type { NewNotification } from '../../../domain/delivery/notification';
import type { AuditEvent } from '../../../domain/requests/auditEvent';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { chainHash, type ChainedAuditEvent } from '../../../domain/audit/auditChain';
import { isOpen, RequestState } from '../../../domain/requests/lifecycle';
import { formatReference } from '../../../domain/requests/reference';
import {
  ConcurrencyConflict,
  DuplicateOpenRequest,
  type ClaimedNotification,
  type MessageContent,
  type NewExportRequest,
  type RequestChange,
  type RequestStore,
} from '../../../domain/requests/requestStore';
import { auditEventFrom, claimedNotificationFrom, NotificationStatus, personKey, requestFrom, type BodyRow, type NotificationRow } from '../storeRows';
import { AUDIT_CHAIN_HEAD, isUniqueViolation, type PostgresDatabase, type Queryable } from './postgresDatabase';

const RunStatus = { Claimed: 'claimed', Done: 'done' } as const;

/** The unique index that keeps one open request per subject (see the migration). */
const ONE_OPEN_PER_SUBJECT = 'requests_one_open_per_subject';

/** How many audit events auditLog reads at a time, so a long log never sits in memory whole. */
const AUDIT_PAGE = 1000;

/** The columns a request is found by, in the order of REQUEST_COLUMNS, kept in step with its JSON body on every write. */
function requestValues(request: ExportRequest): unknown[] {
  return [
    request.id,
    request.reference,
    request.state,
    personKey(request.subject.objectId),
    personKey(request.requesterId),
    isOpen(request.state),
    request.version,
    request.createdAt,
    request.updatedAt,
    request.package?.generatedAt ?? null,
    JSON.stringify(request),
  ];
}

/**
 * The database's time, which every lease is set and compared by: one clock for all instances, so an
 * instance whose own clock runs ahead still sees another's lease as live. `$1` is NULL except in
 * tests, which set the database's time through PostgresRequestStoreOptions.databaseTime.
 */
const DATABASE_NOW = 'coalesce($1::timestamptz, clock_timestamp())';
/** The end of a lease `$2` milliseconds long, starting at the database's time. */
const LEASE_END = `${DATABASE_NOW} + $2::double precision * interval '1 millisecond'`;
/** A request an export worker may claim: confirmed or exporting, with no live lease ($3 and $4 the states). */
const EXPORT_DUE = `state IN ($3, $4) AND (export_lease_until IS NULL OR export_lease_until < ${DATABASE_NOW})`;
/**
 * A notification due to be sent and not leased by anyone ($3 the caller's now, $4 pending). Its
 * not_before is an instant a caller computed, so it is compared with a caller's now; only leases,
 * which guard against two senders, go by the database's time.
 */
const NOTIFICATION_DUE = `status = $4 AND not_before <= $3 AND (lease_until IS NULL OR lease_until < ${DATABASE_NOW})`;
/** A notification `owner` still holds ($1 id, $2 owner, $3 pending): only its holder may record anything about its attempt. */
/**
 * None of the request's messages is leased by anyone ($4 pending): a request's messages go out one
 * holder at a time, so they reach people in the order they were queued whichever instance sends them.
 */
const NO_SIBLING_LEASED = (requestId: string) =>
  `NOT EXISTS (SELECT 1 FROM notifications leased WHERE leased.request_id = ${requestId} AND leased.status = $4 AND leased.lease_until >= ${DATABASE_NOW})`;
const NOTIFICATION_HELD = 'id = $1 AND lease_owner = $2 AND status = $3';
const NOTIFICATION_COLUMNS = 'sequence, id, request_id, kind, moment, recipient_id, attempts, content, send_attempt';

export interface PostgresRequestStoreOptions {
  /**
   * For tests only: the time the store takes as the database's for leases, in place of the server's
   * clock_timestamp(), so a test can move it (its instants are far from the real time).
   */
  readonly databaseTime?: Clock;
}

/**
 * The RequestStore on PostgreSQL, for several instances of the bot on one database. Each change is
 * one transaction; claims pick rows with FOR UPDATE SKIP LOCKED so two instances never take the same
 * one; the audit chain's head row is locked by every append, so appends queue into one chain.
 * Leases are set and compared by the database's clock, whatever `now` the caller passes; every other
 * instant compared is the caller's, as with SqliteRequestStore.
 */
export class PostgresRequestStore implements RequestStore {
  constructor(
    private readonly db: PostgresDatabase,
    /** Only stamps when a notification was completed; every other instant comes from the caller or the database. */
    private readonly clock: Clock = systemClock,
    private readonly options: PostgresRequestStoreOptions = {},
  ) {}

  async create(
    request: NewExportRequest,
    year: number,
    audit: (reference: string) => readonly AuditEvent[],
    notifications: readonly NewNotification[],
  ): Promise<ExportRequest> {
    try {
      return await this.db.transaction(async (tx) => {
        if (isOpen(request.state)) {
          const existing = await this.openRequestOf(tx, request.subject.objectId);
          if (existing) throw new DuplicateOpenRequest(existing);
        }
        const stored: ExportRequest = { ...request, reference: formatReference(year, await this.nextSequence(tx, year)) };
        await tx.query(
          `INSERT INTO requests
             (id, reference, state, subject_id, requester_id, open, version, created_at, updated_at, package_generated_at, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          requestValues(stored),
        );
        await this.enqueue(tx, notifications, stored.createdAt);
        await this.insertAudit(tx, audit(stored.reference));
        return stored;
      });
    } catch (error) {
      // Another instance's request for the same subject committed while this one was being written:
      // the index refused this one, and the whole transaction (its reference number too) rolled back.
      if (!isUniqueViolation(error, ONE_OPEN_PER_SUBJECT)) throw error;
      const existing = await this.openRequestOf(this.db.pool, request.subject.objectId);
      throw existing ? new DuplicateOpenRequest(existing) : error;
    }
  }

  async update(change: RequestChange): Promise<void> {
    const { request, expectedVersion } = change;
    if (request.version !== expectedVersion + 1) {
      throw new Error(`A change to ${request.id} read version ${expectedVersion}, so it must write version ${expectedVersion + 1}, not ${request.version}.`);
    }
    await this.db.transaction(async (tx) => {
      // A concurrent change to the same row waits for this one, then finds the version moved: 0 rows.
      const { rowCount } = await tx.query(
        `UPDATE requests
            SET reference = $2, state = $3, subject_id = $4, requester_id = $5, open = $6, version = $7,
                created_at = $8, updated_at = $9, package_generated_at = $10, body = $11
          WHERE id = $1 AND version = $12`,
        [...requestValues(request), expectedVersion],
      );
      if (rowCount === 0) throw new ConcurrencyConflict(request.id);
      // Due as of the change that owes them, in the caller's time, not whenever this instance thinks it is.
      await this.enqueue(tx, change.notifications, request.updatedAt);
      await this.insertAudit(tx, change.audit);
    });
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    await this.db.transaction((tx) => this.insertAudit(tx, [event]));
  }

  async get(id: string): Promise<ExportRequest | undefined> {
    const { rows } = await this.db.query<BodyRow>('SELECT body FROM requests WHERE id = $1', [id]);
    return rows[0] ? requestFrom(rows[0]) : undefined;
  }

  async getByReference(reference: string): Promise<ExportRequest | undefined> {
    const { rows } = await this.db.query<BodyRow>('SELECT body FROM requests WHERE upper(reference) = upper($1)', [reference]);
    return rows[0] ? requestFrom(rows[0]) : undefined;
  }

  async findOpenBySubject(subjectId: string): Promise<ExportRequest | undefined> {
    return this.openRequestOf(this.db.pool, subjectId);
  }

  async list(filter: { involving?: string; limit?: number } = {}): Promise<ExportRequest[]> {
    // LIMIT NULL means no limit.
    const limit = filter.limit ?? null;
    const { rows } =
      filter.involving === undefined
        ? await this.db.query<BodyRow>('SELECT body FROM requests ORDER BY created_at DESC, reference DESC LIMIT $1', [limit])
        : // Each side by its own index, newest first, then merged. One OR over both columns let the
          // planner walk requests_by_created instead and read every request to find one person's
          // few: 11 ms a call with 10,000 requests (bench/README.md).
          await this.db.query<BodyRow>(
            `SELECT body FROM requests
              WHERE id IN ((SELECT id FROM requests WHERE subject_id = $1 ORDER BY created_at DESC, reference DESC LIMIT $2)
                           UNION ALL
                           (SELECT id FROM requests WHERE requester_id = $1 ORDER BY created_at DESC, reference DESC LIMIT $2))
              ORDER BY created_at DESC, reference DESC
              LIMIT $2`,
            [personKey(filter.involving), limit],
          );
    return rows.map(requestFrom);
  }

  async listPackagesGeneratedBefore(cutoff: Date, limit: number): Promise<ExportRequest[]> {
    const { rows } = await this.db.query<BodyRow>(
      `SELECT body FROM requests
        WHERE state IN ($1, $2) AND package_generated_at < $3
        ORDER BY package_generated_at LIMIT $4`,
      [RequestState.Delivered, RequestState.Completed, cutoff, limit],
    );
    return rows.map(requestFrom);
  }

  async listOpen(): Promise<ExportRequest[]> {
    const { rows } = await this.db.query<BodyRow>('SELECT body FROM requests WHERE open ORDER BY created_at, reference');
    return rows.map(requestFrom);
  }

  async scheduleOnce(
    jobKey: string,
    owner: string,
    now: Date,
    work: { notifications: readonly NewNotification[]; audit: readonly AuditEvent[] },
  ): Promise<boolean> {
    // Most passes find the occurrence already done: answer that from a read, without a transaction.
    const { rowCount: done } = await this.db.query('SELECT 1 FROM scheduled_runs WHERE job_key = $1', [jobKey]);
    if (done) return false;
    return this.db.transaction(async (tx) => {
      // Another instance inserting the same key at once makes this one wait, then insert nothing.
      const { rowCount } = await tx.query(
        'INSERT INTO scheduled_runs (job_key, owner, status, done_at) VALUES ($1, $2, $3, $4) ON CONFLICT (job_key) DO NOTHING',
        [jobKey, owner, RunStatus.Done, now],
      );
      if (rowCount === 0) return false;
      await this.enqueue(tx, work.notifications, now.toISOString());
      await this.insertAudit(tx, work.audit);
      return true;
    });
  }

  async claimRun(jobKey: string, owner: string, _now: Date, leaseMs: number): Promise<boolean> {
    // One statement: a new claim, or the takeover of a claim whose owner died (its lease ran out unfinished).
    const { rowCount } = await this.db.query(
      `INSERT INTO scheduled_runs (job_key, owner, status, lease_until) VALUES ($3, $4, $5, ${LEASE_END})
       ON CONFLICT (job_key) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
        WHERE scheduled_runs.status = $5 AND scheduled_runs.lease_until < ${DATABASE_NOW}`,
      [...this.leaseClock(leaseMs), jobKey, owner, RunStatus.Claimed],
    );
    return rowCount === 1;
  }

  async completeRun(jobKey: string, owner: string, now: Date): Promise<void> {
    await this.db.query('UPDATE scheduled_runs SET status = $1, done_at = $2 WHERE job_key = $3 AND owner = $4', [RunStatus.Done, now, jobKey, owner]);
  }

  async countFiledBy(requesterId: string, since: Date): Promise<number> {
    const { rows } = await this.db.query<{ filed: string }>('SELECT count(*) AS filed FROM requests WHERE requester_id = $1 AND created_at >= $2', [
      personKey(requesterId),
      since,
    ]);
    return Number(rows[0]?.filed ?? 0);
  }

  async listBySubject(subjectId: string): Promise<ExportRequest[]> {
    const { rows } = await this.db.query<BodyRow>('SELECT body FROM requests WHERE subject_id = $1 ORDER BY created_at, reference', [personKey(subjectId)]);
    return rows.map(requestFrom);
  }

  async auditTrail(requestId: string): Promise<AuditEvent[]> {
    const { rows } = await this.db.query<BodyRow>('SELECT body FROM audit_events WHERE request_id = $1 ORDER BY sequence', [requestId]);
    return rows.map(auditEventFrom);
  }

  async *auditLog(): AsyncIterable<ChainedAuditEvent> {
    for (let after = 0; ;) {
      const { rows } = await this.db.query<{ sequence: string; body: string; previous_hash: string; hash: string }>(
        'SELECT sequence, body, previous_hash, hash FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2',
        [after, AUDIT_PAGE],
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        yield { sequence: Number(row.sequence), event: JSON.parse(row.body) as AuditEvent, previousHash: row.previous_hash, hash: row.hash };
      }
      after = Number(rows.at(-1)!.sequence);
    }
  }

  async claimExport(owner: string, _now: Date, leaseMs: number): Promise<ExportRequest | undefined> {
    // One statement: the pick skips rows another instance is claiming or changing right now, and a row
    // that instance just leased is checked again after its commit, so it is no longer due.
    const { rows } = await this.db.query<BodyRow>(
      `UPDATE requests
          SET export_lease_owner = $5, export_lease_until = ${LEASE_END}
        WHERE id = (
                SELECT id FROM requests
                 WHERE ${EXPORT_DUE}
                 ORDER BY created_at, reference
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED
              )
    RETURNING body`,
      [...this.leaseClock(leaseMs), RequestState.Confirmed, RequestState.Exporting, owner],
    );
    return rows[0] ? requestFrom(rows[0]) : undefined;
  }

  async renewExportLease(requestId: string, owner: string, _now: Date, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE requests SET export_lease_until = ${LEASE_END} WHERE id = $3 AND export_lease_owner = $4`, [
      ...this.leaseClock(leaseMs),
      requestId,
      owner,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async releaseExportLease(requestId: string, owner: string): Promise<void> {
    await this.db.query('UPDATE requests SET export_lease_owner = NULL, export_lease_until = NULL WHERE id = $1 AND export_lease_owner = $2', [
      requestId,
      owner,
    ]);
  }

  async claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedNotification[]> {
    const [databaseTime] = this.leaseClock(leaseMs);
    const rows = await this.db.transaction(async (tx) => {
      // First the requests, oldest due message first, each locked for this transaction ($2 is the
      // number wanted, not a lease length, in this statement): an instance
      // claiming at the same moment skips them rather than take a later message of the same request.
      const { rows: requests } = await tx.query<{ id: string }>(
        `SELECT r.id
           FROM (SELECT request_id, min(sequence) AS first_due FROM notifications WHERE ${NOTIFICATION_DUE} GROUP BY request_id) due
           JOIN requests r ON r.id = due.request_id
          WHERE ${NO_SIBLING_LEASED('r.id')}
          ORDER BY due.first_due
          LIMIT $2
            FOR NO KEY UPDATE OF r SKIP LOCKED`,
        [databaseTime, limit, now, NotificationStatus.Pending],
      );
      if (requests.length === 0) return [];
      // Then their due messages, checked again now that the requests are held: this statement sees
      // leases committed since the first one began.
      const { rows: leased } = await tx.query<NotificationRow>(
        `UPDATE notifications
            SET lease_owner = $5, lease_until = ${LEASE_END}, attempts = attempts + 1
          WHERE id IN (
                  SELECT id FROM notifications n
                   WHERE n.request_id = ANY($6::text[]) AND ${NOTIFICATION_DUE} AND ${NO_SIBLING_LEASED('n.request_id')}
                   ORDER BY sequence
                   LIMIT $7
                   FOR UPDATE SKIP LOCKED
                )
      RETURNING ${NOTIFICATION_COLUMNS}`,
        [...this.leaseClock(leaseMs), now, NotificationStatus.Pending, owner, requests.map((r) => r.id), limit],
      );
      return leased;
    });
    // RETURNING promises no order.
    return rows.sort((a, b) => Number(a.sequence) - Number(b.sequence)).map(claimedNotificationFrom);
  }

  async renewNotificationLease(id: string, owner: string, _now: Date, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE notifications SET lease_until = ${LEASE_END}
        WHERE id = $3 AND lease_owner = $4 AND status = $5 AND lease_until >= ${DATABASE_NOW}`,
      [...this.leaseClock(leaseMs), id, owner, NotificationStatus.Pending],
    );
    return (rowCount ?? 0) > 0;
  }

  async beginNotificationSend(id: string, owner: string, content: MessageContent, audit: readonly AuditEvent[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The attempt number is the claim's own count, so the marker names the attempt that set it.
      const { rowCount } = await tx.query(`UPDATE notifications SET content = $4, send_attempt = attempts WHERE ${NOTIFICATION_HELD}`, [
        id,
        owner,
        NotificationStatus.Pending,
        JSON.stringify(content),
      ]);
      if (rowCount === 0) return false;
      await this.insertAudit(tx, audit);
      return true;
    });
  }

  async completeNotification(id: string, owner: string, outcome: string, audit: readonly AuditEvent[] = []): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The content goes with the attempt: a stored download link is a bearer credential, kept only while it may be needed again.
      const { rowCount } = await tx.query(
        `UPDATE notifications
            SET status = $4, outcome = $5, completed_at = $6,
                lease_owner = NULL, lease_until = NULL, content = NULL, send_attempt = NULL
          WHERE ${NOTIFICATION_HELD}`,
        [id, owner, NotificationStatus.Pending, NotificationStatus.Done, outcome, this.clock.now()],
      );
      if (rowCount === 0) return false;
      await this.insertAudit(tx, audit);
      return true;
    });
  }

  async deferNotification(id: string, owner: string, notBefore: Date, reason: string, options: { readonly discardContent?: boolean } = {}): Promise<void> {
    await this.db.query(
      `UPDATE notifications
          SET not_before = $4, last_error = $5, lease_owner = NULL, lease_until = NULL,
              send_attempt = NULL, content = CASE WHEN $6::boolean THEN NULL ELSE content END
        WHERE ${NOTIFICATION_HELD}`,
      [id, owner, NotificationStatus.Pending, notBefore, reason, options.discardContent === true],
    );
  }

  async wakeNotificationsFor(recipientId: string, now: Date): Promise<number> {
    // Only those waiting for a later time count as woken; the ones already due are left alone.
    const { rowCount } = await this.db.query('UPDATE notifications SET not_before = $1 WHERE recipient_key = $2 AND status = $3 AND not_before > $1', [
      now,
      personKey(recipientId),
      NotificationStatus.Pending,
    ]);
    return rowCount ?? 0;
  }

  /** $1 and $2 of every lease statement: the database's time (NULL: the server's own clock) and the lease's length. */
  private leaseClock(leaseMs: number): [Date | null, number] {
    return [this.options.databaseTime?.now() ?? null, leaseMs];
  }

  private async openRequestOf(tx: Queryable, subjectId: string): Promise<ExportRequest | undefined> {
    const { rows } = await tx.query<BodyRow>('SELECT body FROM requests WHERE subject_id = $1 AND open', [personKey(subjectId)]);
    return rows[0] ? requestFrom(rows[0]) : undefined;
  }

  /** Locks the year's counter row until commit: a rolled-back filing gives its number back. */
  private async nextSequence(tx: Queryable, year: number): Promise<number> {
    const { rows } = await tx.query<{ last_sequence: number }>(
      `INSERT INTO reference_sequences (year, last_sequence) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_sequence = reference_sequences.last_sequence + 1
       RETURNING last_sequence`,
      [year],
    );
    return rows[0]!.last_sequence;
  }

  /**
   * Appends to the one chain all instances share. The head row is locked before its hash is read and
   * stays locked until commit, so a second writer waits and then chains to this one's last event;
   * the events' sequence numbers are drawn under the same lock, so log order is chain order. Called
   * last in each transaction, to hold the lock for as short a time as possible.
   */
  private async insertAudit(tx: Queryable, events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { rows } = await tx.query<{ last_hash: string }>('SELECT last_hash FROM audit_chain WHERE name = $1 FOR UPDATE', [AUDIT_CHAIN_HEAD]);
    let previousHash = rows[0]!.last_hash;
    for (const event of events) {
      const hash = chainHash(previousHash, event);
      await tx.query('INSERT INTO audit_events (id, request_id, body, previous_hash, hash) VALUES ($1, $2, $3, $4, $5)', [
        event.id,
        event.requestId,
        JSON.stringify(event),
        previousHash,
        hash,
      ]);
      previousHash = hash;
    }
    await tx.query('UPDATE audit_chain SET last_hash = $2 WHERE name = $1', [AUDIT_CHAIN_HEAD, previousHash]);
  }

  private async enqueue(tx: Queryable, notifications: readonly NewNotification[], dueAt: string): Promise<void> {
    for (const notification of notifications) {
      await tx.query(
        `INSERT INTO notifications
           (id, request_id, kind, moment, recipient_id, recipient_key, status, not_before, attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $8)`,
        [
          randomUUID(),
          notification.requestId,
          notification.kind,
          notification.moment ?? null,
          notification.recipientId ?? null,
          notification.recipientId === undefined ? null : personKey(notification.recipientId),
          NotificationStatus.Pending,
          dueAt,
        ],
      );
    }
  }
}
