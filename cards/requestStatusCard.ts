import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { RequestState, STATE_LABEL } from '../domain/requests/lifecycle';
import { REGIME_LABEL } from '../domain/requests/regime';
import { type AdaptiveCard, escapeText, plainText, renderTemplate } from './adaptiveCard';
import { describeDue } from './requestText';
import template from './requestStatusCard.json';

/** The card's heading when the caller gives none (a plain `status <ref>`). */
export const DEFAULT_STATUS_TITLE = 'Export request status';

/** Shown when a declined request carries no reason or a failed one no detail. */
const NOT_GIVEN = 'None given';
const NOT_RECORDED = 'Not recorded';

interface RequestStatusCardData {
  /** Through plainText: a TextRun. A headline usually names a person ("Megan Bowen approved ..."). */
  title: string;
  reference: string;
  /** Through escapeText: FactSet values are Markdown and cannot hold a TextRun. */
  subjectName: string;
  state: string;
  regime: string;
  receivedOn: string;
  due: string;
  hasIntakeNote: boolean;
  intakeNote: string;
  isDeclined: boolean;
  declineReason: string;
  isFailed: boolean;
  /** While the export waits on a source preparing elsewhere (e.g. Microsoft 365's own export). */
  isWaiting: boolean;
  progress: string;
  failureSource: string;
  failureReason: string;
}

/**
 * A request's status for admins: `status <ref>`, and updates to the admin who filed it (with a
 * `headline`). It identifies the subject by display name only (no UPN or mail: the reference is what
 * people quote) and never carries a download link, whatever the state.
 * Free text (intake note, decline reason, failure detail) sits in TextRuns below the facts: it can be
 * long, and a TextRun shows it exactly as typed.
 */
export function buildRequestStatusCard(request: ExportRequest, today: CalendarDate, headline?: string): AdaptiveCard {
  const data: RequestStatusCardData = {
    title: plainText(headline?.trim() ? headline : DEFAULT_STATUS_TITLE),
    reference: request.reference,
    subjectName: escapeText(request.subject.displayName),
    state: STATE_LABEL[request.state],
    regime: REGIME_LABEL[request.regime],
    receivedOn: formatForPeople(request.receivedOn),
    due: describeDue(request, today),
    hasIntakeNote: Boolean(request.intakeNote?.trim()),
    intakeNote: plainText(request.intakeNote ?? ''),
    isDeclined: request.state === RequestState.Declined,
    declineReason: textOr(request.declineReason, NOT_GIVEN),
    isFailed: request.state === RequestState.Failed,
    isWaiting: Boolean(request.pause) || (request.state === RequestState.Exporting && (request.waiting !== undefined || Boolean(request.progress))),
    progress: escapeText(
      request.pause
        ? `Clock paused since ${request.pause.since}: ${request.pause.reason}`
        : request.waiting
          ? `${request.waiting.progress}, waiting since ${request.waiting.since.slice(0, 10)}`
          : (request.progress ?? ''),
    ),
    failureSource: textOr(request.failure?.source, NOT_RECORDED),
    failureReason: textOr(request.failure?.reason, NOT_RECORDED),
  };
  return renderTemplate(template, data);
}

/** A user string for a TextRun, or our own words when there is nothing to show. */
function textOr(text: string | undefined, fallback: string): string {
  return text?.trim() ? plainText(text) : fallback;
}
