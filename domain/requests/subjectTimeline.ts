import type { AuditEvent } from './auditEvent';
import { AuditEventType } from './auditEvent';
import type { ExportRequest } from './exportRequest';
import { RequestState } from './lifecycle';

/** One line of a request's history as its subject reads it: when, and what happened, in plain words. */
export interface TimelineEntry {
  readonly at: string;
  readonly text: string;
}

/** What the subject reads when the request reached a state. */
const REACHED: Partial<Record<RequestState, string>> = {
  [RequestState.AwaitingConfirmation]: 'We asked you to confirm the request.',
  [RequestState.Confirmed]: 'The request was confirmed. We will now gather your data.',
  [RequestState.Exporting]: 'We started gathering your data.',
  [RequestState.Ready]: 'Your copy is ready. We are sending you the download link.',
  [RequestState.Delivered]: 'We sent the download link.',
  [RequestState.Completed]: 'The request is complete.',
  [RequestState.Declined]: 'You declined the request. Nothing was gathered.',
  [RequestState.Unconfirmed]: 'The request closed because it was not confirmed in time. Nothing was gathered.',
  [RequestState.Cancelled]: 'The request was cancelled.',
  [RequestState.Failed]: 'Gathering your data failed. The privacy team has been told.',
  [RequestState.Purged]: 'Your copy was deleted at the end of its retention period.',
};

/**
 * A request's audit trail told to its subject: what was done about their request and when, never
 * who in the privacy team did it, their notes, refusals of other people's actions, or how the export
 * engine went about its work. Events not listed here are the privacy team's record, not the subject's.
 */
export function subjectTimeline(request: Pick<ExportRequest, 'selfService'>, trail: readonly AuditEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const event of trail) {
    const text = sentenceFor(request, event);
    if (text) entries.push({ at: event.at, text });
  }
  return entries;
}

function sentenceFor(request: Pick<ExportRequest, 'selfService'>, event: AuditEvent): string | undefined {
  const detail = event.detail;
  switch (event.type) {
    case AuditEventType.Filed:
      return request.selfService ? 'You asked for a copy of your personal data.' : 'The privacy team filed a request for a copy of your personal data.';
    case AuditEventType.Transitioned:
      return typeof detail.to === 'string' ? REACHED[detail.to as RequestState] : undefined;
    case AuditEventType.DeadlineExtended:
      return typeof detail.to === 'string' ? `The deadline was extended to ${detail.to}.` : 'The deadline was extended.';
    case AuditEventType.ClockPaused:
      return 'The deadline was paused while we wait for your answer.';
    case AuditEventType.ClockResumed:
      return typeof detail.to === 'string' ? `The deadline runs again; it is now ${detail.to}.` : 'The deadline runs again.';
    case AuditEventType.SubjectAnswered:
      return 'You answered our question.';
    case AuditEventType.LinkIssued:
      return typeof detail.expiresAt === 'string' ? `A download link was issued, valid until ${detail.expiresAt.slice(0, 10)}.` : 'A download link was issued.';
    case AuditEventType.LinksRevoked:
      return 'The download links were withdrawn.';
    default:
      return undefined;
  }
}
