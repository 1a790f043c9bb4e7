import type { NewNotification, Notification } from '../delivery/notification';
import type { ChainedAuditEvent } from '../audit/auditChain';
import type { AuditEvent } from './auditEvent';
import type { ExportRequest } from './exportRequest';

/** A request before the store has given it its human reference. */
export type NewExportRequest = Omit<ExportRequest, 'reference'>;

/** One atomic change: the request's new state, its audit events and the messages it owes. */
export interface RequestChange {
  readonly request: ExportRequest;
  /** The version the change was computed from; the write fails if the stored one differs. */
  readonly expectedVersion: number;
  readonly audit: readonly AuditEvent[];
  readonly notifications: readonly NewNotification[];
}

export class ConcurrencyConflict extends Error {
  constructor(readonly requestId: string) {
    super(`Request ${requestId} was changed by someone else first.`);
    this.name = 'ConcurrencyConflict';
  }
}

export class DuplicateOpenRequest extends Error {
  constructor(readonly existing: ExportRequest) {
    super(`Subject already has open request ${existing.reference}.`);
    this.name = 'DuplicateOpenRequest';
  }
}

export interface ClaimedNotification {
  readonly notification: Notification;
  readonly attempts: number;
}

/**
 * The port for everything durable about requests. Implementations must make each method atomic and
 * must survive a restart; the contract suite in test/contracts/requestStore.contract.ts says how.
 */
export interface RequestStore {
  /**
   * Stores a new request, giving it the next reference for `year` (DSR-YYYY-NNNN). Throws
   * DuplicateOpenRequest when the subject already has an open request.
   */
  create(
    request: NewExportRequest,
    year: number,
    audit: (reference: string) => readonly AuditEvent[],
    notifications: readonly NewNotification[],
  ): Promise<ExportRequest>;
  /** Applies a change atomically; throws ConcurrencyConflict if the version moved. */
  update(change: RequestChange): Promise<void>;
  /** Audit events that go with no change of state (refusals). */
  appendAudit(event: AuditEvent): Promise<void>;

  get(id: string): Promise<ExportRequest | undefined>;
  getByReference(reference: string): Promise<ExportRequest | undefined>;
  findOpenBySubject(subjectId: string): Promise<ExportRequest | undefined>;
  /** All requests, newest first; with `involving`, those where that person is subject or requester. */
  list(filter?: { involving?: string; limit?: number }): Promise<ExportRequest[]>;
  /** Requests where this person is the subject, oldest first (their own records in an export). */
  listBySubject(subjectId: string): Promise<ExportRequest[]>;
  auditTrail(requestId: string): Promise<AuditEvent[]>;
  /** The whole audit log in the order written, with its hash chain (for verification). */
  auditLog(): AsyncIterable<ChainedAuditEvent>;
  /** Delivered or completed requests whose package was generated before `cutoff` (retention), oldest first. */
  listPackagesGeneratedBefore(cutoff: Date, limit: number): Promise<ExportRequest[]>;
  /** Every open request (the deadline watch looks at each), oldest first. */
  listOpen(): Promise<ExportRequest[]>;
  /**
   * Runs a once-per-occurrence job that only queues messages (a reminder, a warning): in one write,
   * records `jobKey` as done and queues the notifications and audit events — or does nothing and
   * returns false when that key already ran (here or on another instance).
   */
  scheduleOnce(jobKey: string, owner: string, now: Date, work: { notifications: readonly NewNotification[]; audit: readonly AuditEvent[] }): Promise<boolean>;
  /** Claims a once-per-occurrence job done outside the store (the daily digest); an expired claim can be taken over. */
  claimRun(jobKey: string, owner: string, now: Date, leaseUntil: Date): Promise<boolean>;
  completeRun(jobKey: string, owner: string, now: Date): Promise<void>;
  /** How many requests this person filed at or after `since` (for the filing rate limit). */
  countFiledBy(requesterId: string, since: Date): Promise<number>;

  /**
   * Leases one request that needs exporting (confirmed, or exporting under an expired lease) to
   * `owner` until `leaseUntil`. Two callers never hold the same request.
   */
  claimExport(owner: string, now: Date, leaseUntil: Date): Promise<ExportRequest | undefined>;
  /** Extends the lease while the export runs; false when the lease was lost. */
  renewExportLease(requestId: string, owner: string, leaseUntil: Date): Promise<boolean>;
  releaseExportLease(requestId: string, owner: string): Promise<void>;

  /** Leases due notifications to `owner`. */
  claimNotifications(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotification[]>;
  completeNotification(id: string, owner: string, outcome: string): Promise<void>;
  /** Gives a notification back, to be tried again no earlier than `notBefore`. */
  deferNotification(id: string, owner: string, notBefore: Date, reason: string): Promise<void>;
  /** Makes every deferred notification for this person due now (they just became reachable). */
  wakeNotificationsFor(recipientId: string, now: Date): Promise<number>;
}
