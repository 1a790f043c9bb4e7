import type { Actor } from '../actor';

/**
 * One line of the audit trail. Written in the same store write as the change it records.
 * `detail` carries ids, codes and dates, never names, addresses or exported content.
 */
export interface AuditEvent {
  readonly id: string;
  readonly requestId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly type: AuditEventType;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

export const AuditEventType = {
  Filed: 'request.filed',
  Transitioned: 'request.transitioned',
  Refused: 'action.refused',
  DeadlineExtended: 'deadline.extended',
  Assigned: 'request.assigned',
  ClockPaused: 'deadline.paused',
  ClockResumed: 'deadline.resumed',
  /**
   * The subject answered a paused request. The detail says how long the answer was and whether it was
   * cut, never what it says: the words are kept on the request, for the privacy team.
   */
  SubjectAnswered: 'subject.answered',
  /** A reminder, warning or escalation the clock caused (once per occurrence). */
  DeadlineAlert: 'deadline.alert',
  ExportStarted: 'export.started',
  ExportResumed: 'export.resumed',
  PackageWritten: 'export.package_written',
  ExportFailed: 'export.failed',
  /** The export waits for a source preparing its data elsewhere (e.g. Microsoft 365's export). */
  ExportWaiting: 'export.waiting',
  /** A failed attempt's fully gathered sources were kept, so the next attempt does not read them again. */
  SourcesKept: 'export.sources_kept',
  /**
   * Kept sources whose files were no longer in storage (the staging lifecycle rule deletes them a day
   * after they were written): this attempt reads those sources again.
   */
  KeptSourcesGone: 'export.kept_sources_gone',
  NotificationSent: 'notification.sent',
  /** A download link was sent: once per link, however often its message had to be sent. */
  LinkIssued: 'link.issued',
  /**
   * A message was sent again after an attempt that may already have delivered it (the process died
   * before recording the Connector's answer): the same message, counted as a repeat (docs/decisions/0010).
   */
  DeliveryRepeated: 'delivery.repeated',
  LinksRevoked: 'link.revoked',
  ReissueRequested: 'link.reissue_requested',
  PackageDeleted: 'export.package_deleted',
  /** Teams refused delivery for good; the person was e-mailed a link to the bot chat. */
  ReachedByMail: 'notification.reached_by_mail',
  /** The package goes to the filing admin instead of the subject (an explicit, audited choice). */
  DeliveryToRequester: 'delivery.to_requester',
} as const;
export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];
