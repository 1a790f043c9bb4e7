import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { internalPartsFor } from '../domain/requests/internalParts';
import { RequestState, STATE_LABEL } from '../domain/requests/lifecycle';
import { REGIME_LABEL } from '../domain/requests/regime';
import { type AdaptiveCard, escapeText, plainText, renderTemplate } from './adaptiveCard';
import { describeDue } from './requestText';
import template from './requestStatusCard.json';

/** The card's heading when the caller gives none (a plain `status <ref>`). */
export const DEFAULT_STATUS_TITLE = 'Export request status';

/**
 * Who reads the card, which decides what it may carry. Internal notes are the privacy team's working
 * record about a person, not something that person or the rest of the team should read.
 */
export const StatusAudience = {
  /** A privacy admin in their 1:1 chat: everything, including the internal notes and who handles it. */
  Admin: 'admin',
  /**
   * The data subject, or anyone else who is not a privacy admin: the request as it stands, the
   * subject's own decline reason and what went wrong, but never the intake note, the identity
   * verification note or the assignee.
   */
  Subject: 'subject',
  /** The privacy channel: only what its event cards show (reference, display name, state, due date). */
  Channel: 'channel',
} as const;
export type StatusAudience = (typeof StatusAudience)[keyof typeof StatusAudience];

/** Ends a channel answer, the same for every request so it says nothing about what is on record. */
export const CHANNEL_STATUS_NOTE = 'Notes, reasons and contact details are kept with the request and never shown in a channel. Ask me in our 1:1 chat.';

/** Heads the admin-only part, so an admin knows what the subject will not read. */
export const INTERNAL_HEADING = 'For privacy admins only (the data subject does not see this)';

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
  /** False in a channel: regime, receipt date, progress, reasons and failures stay out. */
  showDetails: boolean;
  regime: string;
  receivedOn: string;
  due: string;
  isDeclined: boolean;
  declineReason: string;
  isFailed: boolean;
  /** While the export waits on a source preparing elsewhere (e.g. Microsoft 365's own export). */
  isWaiting: boolean;
  progress: string;
  failureSource: string;
  failureReason: string;
  /** Admins only, and only when there is something internal to show. */
  hasInternal: boolean;
  internalHeading: string;
  hasIntakeNote: boolean;
  intakeNote: string;
  hasIdentityVerification: boolean;
  identityVerification: string;
  hasAssignee: boolean;
  assigneeName: string;
  inChannel: boolean;
  channelNote: string;
}

/**
 * A request's status: `status <ref>`, and updates to the admin who filed it (with a `headline`).
 * It identifies the subject by display name only (no UPN or mail: the reference is what people
 * quote) and never carries a download link, whatever the state or audience.
 * Free text (notes, decline reason, failure detail) sits in TextRuns below the facts: it can be
 * long, and a TextRun shows it exactly as typed.
 * The audience defaults to the subject's view: a pushed update may go to a self-service requester,
 * who is the subject, so internal notes appear only when a caller knows an admin is reading.
 */
export function buildRequestStatusCard(
  request: ExportRequest,
  today: CalendarDate,
  headline?: string,
  audience: StatusAudience = StatusAudience.Subject,
): AdaptiveCard {
  const inChannel = audience === StatusAudience.Channel;
  const internal = audience === StatusAudience.Admin;
  const { intakeNote, identityVerification, assignee } = internalPartsFor(request, internal);
  const data: RequestStatusCardData = {
    title: plainText(headline?.trim() ? headline : DEFAULT_STATUS_TITLE),
    reference: request.reference,
    subjectName: escapeText(request.subject.displayName),
    state: STATE_LABEL[request.state],
    showDetails: !inChannel,
    regime: REGIME_LABEL[request.regime],
    receivedOn: formatForPeople(request.receivedOn),
    due: describeDue(request, today),
    isDeclined: !inChannel && request.state === RequestState.Declined,
    declineReason: textOr(request.declineReason, NOT_GIVEN),
    isFailed: !inChannel && request.state === RequestState.Failed,
    isWaiting:
      !inChannel && (Boolean(request.pause) || (request.state === RequestState.Exporting && (request.waiting !== undefined || Boolean(request.progress)))),
    progress: escapeText(
      request.pause
        ? `Clock paused since ${request.pause.since}: ${request.pause.reason}`
        : request.waiting
          ? `${request.waiting.progress}, waiting since ${request.waiting.since.slice(0, 10)}`
          : (request.progress ?? ''),
    ),
    failureSource: textOr(request.failure?.source, NOT_RECORDED),
    failureReason: textOr(request.failure?.reason, NOT_RECORDED),
    hasInternal: Boolean(intakeNote || identityVerification || assignee),
    internalHeading: INTERNAL_HEADING,
    hasIntakeNote: Boolean(intakeNote),
    intakeNote: plainText(intakeNote ?? ''),
    hasIdentityVerification: Boolean(identityVerification),
    identityVerification: plainText(identityVerification ?? ''),
    hasAssignee: assignee !== undefined,
    assigneeName: plainText(assignee?.displayName ?? ''),
    inChannel,
    channelNote: CHANNEL_STATUS_NOTE,
  };
  return renderTemplate(template, data);
}

/** A user string for a TextRun, or our own words when there is nothing to show. */
function textOr(text: string | undefined, fallback: string): string {
  return text?.trim() ? plainText(text) : fallback;
}
