import type { ExportRequest } from '../domain/requests/exportRequest';
import { RequestState, STATE_LABEL } from '../domain/requests/lifecycle';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import template from './confirmationOutcomeCard.json';

/** What the subject reads once the request has left "awaiting confirmation" through their answer. */
export const OUTCOME_SENTENCE = {
  approved: 'You approved this request. We’re gathering your data; you’ll get a download link here, in this chat.',
  declined: 'You declined this request. Nothing will be exported.',
} as const;

/** Approved and not yet handed over: the export is queued or running. */
const GATHERING_STATES: readonly RequestState[] = [RequestState.Confirmed, RequestState.Exporting];

interface ConfirmationOutcomeCardData {
  hasNotice: boolean;
  /** Through plainText: it sits in a TextRun (a refusal sentence may quote what someone typed). */
  notice: string;
  outcome: string;
  reference: string;
}

/**
 * Replaces the confirmation card after Approve or Decline (the invoke response), so the buttons are
 * gone and a second click cannot be made from this card. `notice` explains a click that changed
 * nothing, e.g. "You already answered this request. Nothing was changed.", and is shown first, in the
 * warning style, so it is not mistaken for the result of this click. Deliberately no decline reason or
 * any other detail: only the reference and the state.
 */
export function buildConfirmationOutcomeCard(request: ExportRequest, notice?: string): AdaptiveCard {
  const data: ConfirmationOutcomeCardData = {
    hasNotice: notice !== undefined && notice.trim() !== '',
    notice: plainText(notice ?? ''),
    outcome: describeOutcome(request.state),
    reference: request.reference,
  };
  return renderTemplate(template, data);
}

function describeOutcome(state: RequestState): string {
  if (GATHERING_STATES.includes(state)) return OUTCOME_SENTENCE.approved;
  if (state === RequestState.Declined) return OUTCOME_SENTENCE.declined;
  return STATE_LABEL[state];
}
