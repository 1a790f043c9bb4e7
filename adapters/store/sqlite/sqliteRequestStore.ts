import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../../domain/clock';
import type { NewNotification } from '../../../domain/delivery/notification';
import type { AuditEvent } from '../../../domain/requests/auditEvent';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { chainHash, GENESIS_HASH, type ChainedAuditEvent } from '../../../domain/audit/auditChain';
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
import { auditEventFrom, claimedNotificationFrom, NotificationStatus, personKey, requestFrom, type NotificationRow } from '../storeRows';
import type { SqliteDatabase } from './sqliteDatabase';

/** SQLite reads a negative LIMIT as "no limit". */
const NO_LIMIT = -1;

/** The columns a request is found by, kept in step with its JSON body on every write. */
function requestColumns(request: ExportRequest) {
  const subjectId = personKey(request.subject.objectId);
  return {
    id: request.id,
    reference: request.reference,
    state: request.state,
    subjectId,
    requesterId: personKey(request.requesterId),
    openSubjectId: isOpen(request.state) ? subjectId : null,
    version: request.version,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    body: JSON.stringify(request),
  };
}

/**
 * The RequestStore on SQLite. Every method is one statement or one IMMEDIATE transaction, so two
 * instances of the bot on the same file see each other's writes and never both win the same race.
 * Instants are stored as ISO 8601 UTC strings (Date.toISOString), which compare in time order.
 */
/** A request an export worker may claim: confirmed or exporting, with no live lease. The look and the claim share it. */
const EXPORT_DUE = 'state IN (:confirmed, :exporting) AND (export_lease_until IS NULL OR export_lease_until < :now)';
/** A notification due to be sent and not leased by anyone. The look and the claim share it. */
const NOTIFICATION_DUE = 'status = :pending AND not_before <= :now AND (lease_until IS NULL OR lease_until < :now)';
/** A person's notifications that wait for a later time (deferred while they could not be reached). */
const WAITING_FOR_RECIPIENT = 'recipient_key = :recipient AND status = :pending AND not_before > :now';
/**
 * None of the request's messages is leased by anyone: a request's messages go out one holder at a
 * time, in the order they were queued (the PostgreSQL store keeps the same rule across instances).
 */
const NO_SIBLING_LEASED =
  'NOT EXISTS (SELECT 1 FROM notifications leased WHERE leased.request_id = n.request_id AND leased.status = :pending AND leased.lease_until >= :now)';
/**
 * When a lease taken at `now` runs out. SQLite lives on one machine, so the process clock (the `now`
 * every caller passes) is the only clock there is; PostgreSQL, shared by several, uses its own.
 */
function leaseEnd(now: Date, leaseMs: number): Date {
  return new Date(now.getTime() + leaseMs);
}

/** A notification `owner` still holds: only its holder may record anything about its attempt. */
const NOTIFICATION_HELD = 'id = :id AND lease_owner = :owner AND status = :pending';

export class SqliteRequestStore implements RequestStore {
  constructor(
    private readonly db: SqliteDatabase,
    /** Only stamps when a notification was completed; every other instant comes from the caller. */
    private readonly clock: Clock = systemClock,
  ) {}

  async create(
    request: NewExportRequest,
    year: number,
    audit: (reference: string) => readonly AuditEvent[],
    notifications: readonly NewNotification[],
  ): Promise<ExportRequest> {
    return this.db.write(() => {
      if (isOpen(request.state)) {
        const existing = this.openRequestOf(request.subject.objectId);
        if (existing) throw new DuplicateOpenRequest(existing);
      }
      const stored: ExportRequest = { ...request, reference: formatReference(year, this.nextSequence(year)) };
      this.insertRequest(stored);
      for (const event of audit(stored.reference)) this.insertAudit(event);
      this.enqueue(notifications, stored.createdAt);
      return stored;
    });
  }

  async update(change: RequestChange): Promise<void> {
    const { request, expectedVersion } = change;
    if (request.version !== expectedVersion + 1) {
      throw new Error(`A change to ${request.id} read version ${expectedVersion}, so it must write version ${expectedVersion + 1}, not ${request.version}.`);
    }
    this.db.write(() => {
      const columns = requestColumns(request);
      const { changes } = this.db
        .statement(
          `UPDATE requests
              SET state = :state, subject_id = :subjectId, requester_id = :requesterId,
                  open_subject_id = :openSubjectId, version = :version,
                  updated_at = :updatedAt, body = :body
            WHERE id = :id AND version = :expectedVersion`,
        )
        .run({ ...columns, expectedVersion });
      if (changes === 0) throw new ConcurrencyConflict(request.id);
      for (const event of change.audit) this.insertAudit(event);
      // Due as of the change that owes them, in the caller's time, not whenever this handle thinks it is.
      this.enqueue(change.notifications, request.updatedAt);
    });
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    this.db.write(() => this.insertAudit(event));
  }

  async get(id: string): Promise<ExportRequest | undefined> {
    const row = this.db.statement('SELECT body FROM requests WHERE id = ?').get(id);
    return row ? requestFrom(row) : undefined;
  }

  async getByReference(reference: string): Promise<ExportRequest | undefined> {
    // The reference column is COLLATE NOCASE: "dsr-2026-0007" finds DSR-2026-0007.
    const row = this.db.statement('SELECT body FROM requests WHERE reference = ?').get(reference);
    return row ? requestFrom(row) : undefined;
  }

  async findOpenBySubject(subjectId: string): Promise<ExportRequest | undefined> {
    return this.openRequestOf(subjectId);
  }

  async list(filter: { involving?: string; limit?: number } = {}): Promise<ExportRequest[]> {
    const limit = filter.limit ?? NO_LIMIT;
    const rows =
      filter.involving === undefined
        ? this.db.statement('SELECT body FROM requests ORDER BY created_at DESC, reference DESC LIMIT :limit').all({ limit })
        : this.db
            .statement(
              // Each side by its own index, newest first, then merged: one OR over both columns
              // sorted all of a person's requests to return 25 (0.85 ms for someone who filed 400).
              `SELECT body FROM requests
                WHERE id IN (SELECT id FROM (SELECT id FROM requests WHERE subject_id = :person ORDER BY created_at DESC, reference DESC LIMIT :limit)
                             UNION ALL
                             SELECT id FROM (SELECT id FROM requests WHERE requester_id = :person ORDER BY created_at DESC, reference DESC LIMIT :limit))
                ORDER BY created_at DESC, reference DESC
                LIMIT :limit`,
            )
            .all({ person: personKey(filter.involving), limit });
    return rows.map(requestFrom);
  }

  async listPackagesGeneratedBefore(cutoff: Date, limit: number): Promise<ExportRequest[]> {
    return this.db
      .statement(
        `SELECT body FROM requests
          WHERE state IN (:delivered, :completed)
            AND json_extract(body, '$.package.generatedAt') < :cutoff
          ORDER BY json_extract(body, '$.package.generatedAt') LIMIT :limit`,
      )
      .all({ delivered: RequestState.Delivered, completed: RequestState.Completed, cutoff: cutoff.toISOString(), limit })
      .map(requestFrom);
  }

  async listOpen(): Promise<ExportRequest[]> {
    return this.db.statement('SELECT body FROM requests WHERE open_subject_id IS NOT NULL ORDER BY created_at, reference').all().map(requestFrom);
  }

  async scheduleOnce(
    jobKey: string,
    owner: string,
    now: Date,
    work: { notifications: readonly NewNotification[]; audit: readonly AuditEvent[] },
  ): Promise<boolean> {
    // Most passes find the occurrence already done: answer that from a read, without the write lock.
    if (this.db.statement('SELECT 1 FROM scheduled_runs WHERE job_key = ?').get(jobKey)) return false;
    return this.db.write(() => {
      const inserted = this.db
        .statement(`INSERT OR IGNORE INTO scheduled_runs (job_key, owner, status, done_at) VALUES (?, ?, 'done', ?)`)
        .run(jobKey, owner, now.toISOString());
      if (inserted.changes === 0) return false;
      for (const event of work.audit) this.insertAudit(event);
      this.enqueue(work.notifications, now.toISOString());
      return true;
    });
  }

  async claimRun(jobKey: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const leaseUntil = leaseEnd(now, leaseMs);
    return this.db.write(() => {
      const inserted = this.db
        .statement(`INSERT OR IGNORE INTO scheduled_runs (job_key, owner, status, lease_until) VALUES (?, ?, 'claimed', ?)`)
        .run(jobKey, owner, leaseUntil.toISOString());
      if (inserted.changes === 1) return true;
      // A claim whose owner died (its lease ran out without finishing) may be taken over.
      const taken = this.db
        .statement(`UPDATE scheduled_runs SET owner = ?, lease_until = ? WHERE job_key = ? AND status = 'claimed' AND lease_until < ?`)
        .run(owner, leaseUntil.toISOString(), jobKey, now.toISOString());
      return taken.changes === 1;
    });
  }

  async completeRun(jobKey: string, owner: string, now: Date): Promise<void> {
    this.db.statement(`UPDATE scheduled_runs SET status = 'done', done_at = ? WHERE job_key = ? AND owner = ?`).run(now.toISOString(), jobKey, owner);
  }

  async countFiledBy(requesterId: string, since: Date): Promise<number> {
    const row = this.db
      .statement('SELECT COUNT(*) AS filed FROM requests WHERE requester_id = ? AND created_at >= ?')
      .get(personKey(requesterId), since.toISOString()) as { filed: number };
    return row.filed;
  }

  async listBySubject(subjectId: string): Promise<ExportRequest[]> {
    return this.db.statement('SELECT body FROM requests WHERE subject_id = ? ORDER BY created_at, reference').all(personKey(subjectId)).map(requestFrom);
  }

  async auditTrail(requestId: string): Promise<AuditEvent[]> {
    return this.db.statement('SELECT body FROM audit_events WHERE request_id = ? ORDER BY sequence').all(requestId).map(auditEventFrom);
  }

  async claimExport(owner: string, now: Date, leaseMs: number): Promise<ExportRequest | undefined> {
    const leaseUntil = leaseEnd(now, leaseMs);
    const due = { now: now.toISOString(), confirmed: RequestState.Confirmed, exporting: RequestState.Exporting };
    // Polled every second and idle most of the time: look first, without the write lock.
    const anyDue = this.db.statement(`SELECT 1 FROM requests WHERE ${EXPORT_DUE} LIMIT 1`).get(due);
    if (!anyDue) return undefined;
    // One statement: the pick and the lease happen under the same write lock.
    const row = this.db.write(() =>
      this.db
        .statement(
          `UPDATE requests
              SET export_lease_owner = :owner, export_lease_until = :leaseUntil
            WHERE id = (
                    SELECT id FROM requests
                     WHERE ${EXPORT_DUE}
                     ORDER BY created_at, reference
                     LIMIT 1
                  )
        RETURNING body`,
        )
        .get({ ...due, owner, leaseUntil: leaseUntil.toISOString() }),
    );
    return row ? requestFrom(row) : undefined;
  }

  async renewExportLease(requestId: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const leaseUntil = leaseEnd(now, leaseMs);
    const { changes } = this.db.write(() =>
      this.db
        .statement('UPDATE requests SET export_lease_until = :leaseUntil WHERE id = :requestId AND export_lease_owner = :owner')
        .run({ requestId, owner, leaseUntil: leaseUntil.toISOString() }),
    );
    return changes > 0;
  }

  async releaseExportLease(requestId: string, owner: string): Promise<void> {
    this.db.write(() =>
      this.db
        .statement(
          `UPDATE requests SET export_lease_owner = NULL, export_lease_until = NULL
            WHERE id = :requestId AND export_lease_owner = :owner`,
        )
        .run({ requestId, owner }),
    );
  }

  async claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedNotification[]> {
    const leaseUntil = leaseEnd(now, leaseMs);
    // Polled every second and idle most of the time: look first, without the write lock.
    const anyDue = this.db
      .statement(`SELECT 1 FROM notifications WHERE ${NOTIFICATION_DUE} LIMIT 1`)
      .get({ pending: NotificationStatus.Pending, now: now.toISOString() });
    if (!anyDue) return [];
    const rows = this.db.write(
      () =>
        this.db
          .statement(
            `UPDATE notifications
                SET lease_owner = :owner, lease_until = :leaseUntil, attempts = attempts + 1
              WHERE id IN (
                      SELECT id FROM notifications n
                       WHERE ${NOTIFICATION_DUE} AND ${NO_SIBLING_LEASED}
                       ORDER BY sequence
                       LIMIT :limit
                    )
          RETURNING sequence, id, request_id, kind, moment, recipient_id, attempts, content, send_attempt`,
          )
          .all({
            owner,
            now: now.toISOString(),
            leaseUntil: leaseUntil.toISOString(),
            pending: NotificationStatus.Pending,
            limit,
          }) as NotificationRow[],
    );
    // RETURNING promises no order.
    return rows.sort((a, b) => Number(a.sequence) - Number(b.sequence)).map(claimedNotificationFrom);
  }

  async renewNotificationLease(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const { changes } = this.db.write(() =>
      this.db
        .statement(`UPDATE notifications SET lease_until = :leaseUntil WHERE ${NOTIFICATION_HELD} AND lease_until >= :now`)
        .run({ id, owner, pending: NotificationStatus.Pending, now: now.toISOString(), leaseUntil: leaseEnd(now, leaseMs).toISOString() }),
    );
    return changes > 0;
  }

  async beginNotificationSend(id: string, owner: string, content: MessageContent, audit: readonly AuditEvent[]): Promise<boolean> {
    return this.db.write(() => {
      // The attempt number is the claim's own count, so the marker names the attempt that set it.
      const { changes } = this.db
        .statement(`UPDATE notifications SET content = :content, send_attempt = attempts WHERE ${NOTIFICATION_HELD}`)
        .run({ id, owner, content: JSON.stringify(content), pending: NotificationStatus.Pending });
      if (changes === 0) return false;
      for (const event of audit) this.insertAudit(event);
      return true;
    });
  }

  async completeNotification(id: string, owner: string, outcome: string, audit: readonly AuditEvent[] = []): Promise<boolean> {
    return this.db.write(() => {
      // The content goes with the attempt: a stored download link is a bearer credential, kept only while it may be needed again.
      const { changes } = this.db
        .statement(
          `UPDATE notifications
              SET status = :done, outcome = :outcome, completed_at = :completedAt,
                  lease_owner = NULL, lease_until = NULL, content = NULL, send_attempt = NULL
            WHERE ${NOTIFICATION_HELD}`,
        )
        .run({
          id,
          owner,
          outcome,
          completedAt: this.clock.now().toISOString(),
          done: NotificationStatus.Done,
          pending: NotificationStatus.Pending,
        });
      if (changes === 0) return false;
      for (const event of audit) this.insertAudit(event);
      return true;
    });
  }

  async deferNotification(id: string, owner: string, notBefore: Date, reason: string, options: { readonly discardContent?: boolean } = {}): Promise<void> {
    this.db.write(() =>
      this.db
        .statement(
          `UPDATE notifications
              SET not_before = :notBefore, last_error = :reason, lease_owner = NULL, lease_until = NULL,
                  send_attempt = NULL, content = CASE WHEN :discardContent THEN NULL ELSE content END
            WHERE ${NOTIFICATION_HELD}`,
        )
        .run({ id, owner, reason, notBefore: notBefore.toISOString(), pending: NotificationStatus.Pending, discardContent: options.discardContent ? 1 : 0 }),
    );
  }

  async wakeNotificationsFor(recipientId: string, now: Date): Promise<number> {
    // Only those waiting for a later time count as woken; the ones already due are left alone.
    const params = { recipient: personKey(recipientId), now: now.toISOString(), pending: NotificationStatus.Pending };
    // Asked on every turn in a 1:1 chat, and almost always about nobody: look first, without the write lock.
    if (!this.db.statement(`SELECT 1 FROM notifications WHERE ${WAITING_FOR_RECIPIENT} LIMIT 1`).get(params)) return 0;
    const { changes } = this.db.write(() => this.db.statement(`UPDATE notifications SET not_before = :now WHERE ${WAITING_FOR_RECIPIENT}`).run(params));
    return changes;
  }

  private openRequestOf(subjectId: string): ExportRequest | undefined {
    const row = this.db.statement('SELECT body FROM requests WHERE open_subject_id = ?').get(personKey(subjectId));
    return row ? requestFrom(row) : undefined;
  }

  private nextSequence(year: number): number {
    const row = this.db
      .statement(
        `INSERT INTO reference_sequences (year, last_sequence) VALUES (:year, 1)
         ON CONFLICT (year) DO UPDATE SET last_sequence = last_sequence + 1
         RETURNING last_sequence`,
      )
      .get({ year }) as { last_sequence: number };
    return row.last_sequence;
  }

  private insertRequest(request: ExportRequest): void {
    this.db
      .statement(
        `INSERT INTO requests
           (id, reference, state, subject_id, requester_id, open_subject_id, version, created_at, updated_at, body)
         VALUES
           (:id, :reference, :state, :subjectId, :requesterId, :openSubjectId, :version, :createdAt, :updatedAt, :body)`,
      )
      .run(requestColumns(request));
  }

  /** Always inside a write transaction: the last hash read here is still the last when this row lands. */
  private insertAudit(event: AuditEvent): void {
    const last = this.db.statement('SELECT hash FROM audit_events ORDER BY sequence DESC LIMIT 1').get() as { hash: string | null } | undefined;
    const previousHash = last?.hash ?? GENESIS_HASH;
    this.db
      .statement('INSERT INTO audit_events (id, request_id, body, previous_hash, hash) VALUES (?, ?, ?, ?, ?)')
      .run(event.id, event.requestId, JSON.stringify(event), previousHash, chainHash(previousHash, event));
  }

  async *auditLog(): AsyncIterable<ChainedAuditEvent> {
    // Paged by sequence so a long log never sits in memory whole.
    for (let after = 0; ;) {
      const rows = this.db
        .statement('SELECT sequence, body, previous_hash, hash FROM audit_events WHERE sequence > ? ORDER BY sequence LIMIT 1000')
        .all(after) as Array<{ sequence: number; body: string; previous_hash: string | null; hash: string | null }>;
      if (rows.length === 0) return;
      for (const row of rows) {
        yield { sequence: row.sequence, event: JSON.parse(row.body) as AuditEvent, previousHash: row.previous_hash ?? '', hash: row.hash ?? '' };
      }
      after = rows.at(-1)!.sequence;
    }
  }

  private enqueue(notifications: readonly NewNotification[], dueAt: string): void {
    const insert = this.db.statement(
      `INSERT INTO notifications
         (id, request_id, kind, moment, recipient_id, recipient_key, status, not_before, attempts, created_at)
       VALUES
         (:id, :requestId, :kind, :moment, :recipientId, :recipientKey, :pending, :dueAt, 0, :dueAt)`,
    );
    for (const notification of notifications) {
      insert.run({
        id: randomUUID(),
        requestId: notification.requestId,
        kind: notification.kind,
        moment: notification.moment ?? null,
        recipientId: notification.recipientId ?? null,
        recipientKey: notification.recipientId === undefined ? null : personKey(notification.recipientId),
        pending: NotificationStatus.Pending,
        dueAt,
      });
    }
  }
}
