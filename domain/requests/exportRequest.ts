import type { CalendarDate } from '../deadlines/calendarDate';
import type { DeadlineExtension } from '../deadlines/extension';
import type { DueRule } from '../deadlines/workingDays';
import type { RequestState } from './lifecycle';
import type { Regime } from './regime';

/** What Privacy Desk keeps about the data subject on the request itself: enough to address them. */
export interface SubjectSnapshot {
  readonly objectId: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mail?: string;
  readonly department?: string;
  readonly preferredLanguage?: string;
}

export interface PackageInfo {
  readonly blobName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly fileCount: number;
  readonly generatedAt: string;
}

export interface ExportFailure {
  readonly source: string;
  readonly reason: string;
}

export type DeliveryRecipient = 'subject' | 'requester';

export interface ExportRequest {
  readonly id: string;
  /** What people say and type: DSR-2026-0007. */
  readonly reference: string;
  /** Optimistic concurrency: every stored change must name the version it read. */
  readonly version: number;
  readonly state: RequestState;
  readonly regime: Regime;
  readonly subject: SubjectSnapshot;
  readonly requesterId: string;
  readonly selfService: boolean;
  readonly receivedOn: CalendarDate;
  readonly dueOn: CalendarDate;
  /**
   * Set when the period's last day was not a working day and the working-day rule moved the due date
   * (Regulation 1182/71 Art. 3(4)): the day it ended on and why. Absent when dueOn is that day itself.
   */
  readonly dueRule?: DueRule;
  /** Set while the clock stands still, waiting for the subject (GDPR only). */
  readonly pause?: {
    readonly since: string;
    /** What the privacy team needs from the subject, in the pausing admin's words (the subject reads them). */
    readonly reason: string;
    /** objectId of the admin who paused: they hear the subject's answer (absent on pauses recorded before it was kept). */
    readonly by?: string;
    /** How many answers the subject has sent during this pause (bounded: see MAX_ANSWERS_PER_PAUSE). */
    readonly answers?: number;
  };
  /**
   * What the subject wrote back while the clock was paused, oldest first: only the latest few are kept
   * (MAX_KEPT_ANSWERS), each bounded in length. Personal data the privacy team needs, so it is kept on
   * the request (read in admins' 1:1 chats) and never in the audit trail or the channel.
   */
  readonly subjectAnswers?: readonly SubjectAnswer[];
  /** Days the clock stood still so far; added to the due date. */
  readonly pausedDays?: number;
  /** Extensions of the deadline so far (each audited, the subject told with reasons). */
  readonly extensions?: readonly DeadlineExtension[];
  /**
   * Who receives the download link. The subject by default; the filing admin only as an explicit,
   * audited choice (the subject's account is disabled, so they cannot confirm or receive it in Teams).
   */
  readonly deliverTo: DeliveryRecipient;
  /** How the admin verified the subject's identity when the subject could not confirm in Teams. */
  readonly identityVerification?: string;
  /** Optional intake note: a ticket number or how the request arrived. */
  readonly intakeNote?: string;
  readonly declineReason?: string;
  readonly cancelReason?: string;
  /**
   * When the request was answered (ISO 8601 UTC): the link delivered, or the request declined, cancelled
   * or closed unconfirmed. Set once by that change of state and never afterwards (closing the package
   * or deleting it after retention keeps it), so the register's "completed" is the answer, not the purge.
   * Absent on open requests, and on requests closed before it was recorded (their audit trail says).
   */
  readonly answeredAt?: string;
  /** The privacy admin who took the request on (assigned from the channel). */
  readonly assignee?: { readonly objectId: string; readonly displayName: string };
  readonly package?: PackageInfo;
  readonly failure?: ExportFailure;
  /** What sources that prepare asynchronously remember between attempts, by source id. */
  readonly sourceCheckpoints?: Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;
  /**
   * Sources gathered by an attempt that failed later, by source id: their files wait, compressed, in
   * the package store's staging area, so the next attempt (or `retry`) does not read them again.
   */
  readonly keptSources?: Readonly<Record<string, KeptSource>>;
  /** How far the running export has got, in words ("2 of 3 sources gathered"); shown on status cards. */
  readonly progress?: string;
  /** Set while the export waits for a source to prepare its data (shown on status cards). */
  readonly waiting?: { readonly sourceId: string; readonly progress: string; readonly since: string };
  /** How many export attempts have started (a resumed export counts again). */
  readonly exportAttempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One answer from the subject to a paused request, as recorded. */
export interface SubjectAnswer {
  /** When it was received (ISO 8601 UTC). */
  readonly at: string;
  /** As the subject wrote it, trimmed; cut with "…" when longer than the limit. */
  readonly text: string;
  /** True when the subject wrote more than was kept. */
  readonly truncated?: boolean;
}

/** A source's files from an earlier attempt, as they will go into the package. */
export interface KeptSource {
  readonly records: number;
  /** When the source was read: the package says so, since it may be earlier than the package itself. */
  readonly gatheredAt: string;
  readonly files: readonly KeptFile[];
}

export interface KeptFile {
  /** Path inside the package. */
  readonly path: string;
  readonly format: 'json' | 'csv' | 'file';
  readonly records?: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly crc32: number;
  /** Size of the compressed (raw deflate) bytes kept; absent on files kept before it was recorded. */
  readonly compressedBytes?: number;
  /** For a source split into parts: which part. */
  readonly part?: number;
  /** Where the compressed bytes wait in the package store. */
  readonly blobName: string;
}
