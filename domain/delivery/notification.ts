/**
 * Messages Privacy Desk owes to people. They are queued in the same store write as the change that
 * causes them (an outbox), so a crash between "state changed" and "message sent" loses nothing.
 */
export const NotificationKind = {
  /** The Approve/Decline card for the data subject. */
  AskSubject: 'subject.confirmation_requested',
  /** The download link for the data subject. Sending it moves the request to delivered. */
  PackageReady: 'subject.package_ready',
  /** A fresh link to a package already delivered (reissue): no change of state. */
  LinkReissued: 'subject.link_reissued',
  /**
   * The links were revoked: each card that carried one is changed in place to say the link was
   * withdrawn and what happens next (a short notice instead when a card is gone). To whoever
   * received the links: the subject, or the filing admin when the package goes to them.
   */
  LinksWithdrawn: 'subject.links_withdrawn',
  /** The subject is told the deadline was extended, with the reason and the new date. */
  DeadlineExtended: 'subject.deadline_extended',
  /** A reminder to the data subject who has not answered the confirmation card. */
  SubjectReminder: 'subject.reminder',
  /** The subject is told their request closed because it was not confirmed in time. */
  SubjectLapsed: 'subject.lapsed',
  /** How a running export is getting on, for whoever filed it: one card, updated in place. */
  Progress: 'requester.progress',
  /** A status card for the admin who filed the request (never a link). */
  RequesterUpdate: 'requester.update',
  /** A card in the privacy team's channel. */
  ChannelUpdate: 'channel.update',
  /** The subject is told the clock is paused, what the privacy team needs (the admin's words) and how to answer. */
  PauseNotice: 'subject.pause_notice',
  /** An admin following a paused request gets the subject's answer, with `resume` (1:1 only: it quotes the subject). */
  SubjectAnswered: 'requester.subject_answered',
  /** The request's thread in the channel hears that the subject answered, without their words. */
  ChannelSubjectAnswered: 'channel.subject_answered',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/** The request moments people are told about. */
export const RequestMoment = {
  Filed: 'filed',
  Confirmed: 'confirmed',
  Declined: 'declined',
  Ready: 'ready',
  Delivered: 'delivered',
  Failed: 'failed',
  Cancelled: 'cancelled',
  /** Teams refused delivery to the subject for good; they were e-mailed a link to the bot chat. */
  ReachedByMail: 'reached_by_mail',
} as const;
export type RequestMoment = (typeof RequestMoment)[keyof typeof RequestMoment];

/** The clock's alerts: no change of state behind them, only time passing (issue: deadlines). */
export const DeadlineAlert = {
  /** The subject has not answered the confirmation card for a while. */
  Unanswered: 'unanswered',
  /** Due within a week, or within two days (the card shows how many days are left). */
  DueSoon: 'due_soon',
  Overdue: 'overdue',
  /** Closed because the subject did not answer in time. */
  Lapsed: 'lapsed',
} as const;
export type DeadlineAlert = (typeof DeadlineAlert)[keyof typeof DeadlineAlert];

export function isDeadlineAlert(value: string | undefined): value is DeadlineAlert {
  return value !== undefined && (Object.values(DeadlineAlert) as string[]).includes(value);
}

export interface Notification {
  readonly id: string;
  readonly requestId: string;
  readonly kind: NotificationKind;
  readonly moment?: RequestMoment | DeadlineAlert;
  /** objectId of the person, when the notification goes to one person. */
  readonly recipientId?: string;
}

export type NewNotification = Omit<Notification, 'id'>;
