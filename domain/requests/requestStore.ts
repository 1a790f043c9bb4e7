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

/** A download link as stored with the notification that carries it. */
export interface StoredLink {
  readonly url: string;
  /** ISO 8601 UTC. */
  readonly expiresAt: string;
  /** The package blob the link reads: once the package moves (links revoked) the link is dead. */
  readonly blobName: string;
}

/**
 * What a notification's message carries that must not change from one attempt to the next: once an
 * attempt may have reached the person, a repeat has to be the same message (docs/decisions/0010).
 */
export interface MessageContent {
  readonly link?: StoredLink;
}

export interface ClaimedNotification {
  readonly notification: Notification;
  /** This claim included: the first claim is attempt 1. */
  readonly attempts: number;
  /** What an earlier attempt stored before sending, to be sent again unchanged. */
  readonly content?: MessageContent;
  /**
   * The earlier attempt that began sending and never recorded how it ended (its process died, or its
   * lease ran out mid-send): its message may have reached the person, so this attempt is a repeat.
   */
  readonly unsettledAttempt?: number;
}

/**
 * The port for everything durable about requests. Implementations must make each method atomic and
 * must survive a restart; the contract suite in test/contracts/requestStore.contract.ts says how.
 *
 * Leases (claimRun, claimExport, renewExportLease, claimNotifications, renewNotificationLease) are given as a length, not an
 * end: a store on one machine (SQLite) starts them at the caller's `now`, while a store shared by
 * several instances (PostgreSQL) starts and compares them by its own clock, so an instance whose
 * clock runs ahead never takes a lease another still holds (docs/decisions/0020).
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
  claimRun(jobKey: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  completeRun(jobKey: string, owner: string, now: Date): Promise<void>;
  /** How many requests this person filed at or after `since` (for the filing rate limit). */
  countFiledBy(requesterId: string, since: Date): Promise<number>;

  /**
   * Leases one request that needs exporting (confirmed, or exporting under an expired lease) to
   * `owner` for `leaseMs`. Two callers never hold the same request.
   */
  claimExport(owner: string, now: Date, leaseMs: number): Promise<ExportRequest | undefined>;
  /** Sets the lease to run out `leaseMs` from now (extending it while the export runs); false when the lease was lost. */
  renewExportLease(requestId: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  releaseExportLease(requestId: string, owner: string): Promise<void>;

  /**
   * Leases notifications due at `now` to `owner` for `leaseMs`, with what earlier attempts left (see
   * beginNotificationSend).
   */
  claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedNotification[]>;
  /**
   * Sets the lease of a notification `owner` holds to run out `leaseMs` from now, just before it is
   * sent: false, changing nothing, when the lease has already run out (another instance may have
   * taken it, or may at any moment) or is someone else's. A batch is sent one message at a time,
   * so without this its last messages could go out after their leases ran out, and twice.
   */
  renewNotificationLease(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  /**
   * Called just before a message goes out, in one write: keeps `content` for every later attempt,
   * marks the send as begun by the current attempt (a marker that only completing or deferring
   * clears, so a crash leaves it for the next claim to see) and appends `audit`. False, with nothing
   * written, when `owner` no longer holds the lease: then nothing may be sent.
   */
  beginNotificationSend(id: string, owner: string, content: MessageContent, audit: readonly AuditEvent[]): Promise<boolean>;
  /**
   * Settles a notification for good, with `audit` in the same write; its stored content is dropped.
   * False, with nothing written, when `owner` no longer holds the lease.
   */
  completeNotification(id: string, owner: string, outcome: string, audit?: readonly AuditEvent[]): Promise<boolean>;
  /**
   * Gives a notification back, to be tried again no earlier than `notBefore`: the attempt's outcome
   * is known (it failed), so the send marker is cleared. The stored content is kept for the next
   * attempt unless `discardContent` says this attempt's content surely reached nobody.
   */
  deferNotification(id: string, owner: string, notBefore: Date, reason: string, options?: { readonly discardContent?: boolean }): Promise<void>;
  /** Makes every deferred notification for this person due now (they just became reachable). */
  wakeNotificationsFor(recipientId: string, now: Date): Promise<number>;
}
