import type { ExportRequest } from '../domain/requests/exportRequest';
import { RequestState } from '../domain/requests/lifecycle';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import template from './confirmationOutcomeCard.json';
import { CONFIRMATION_OUTCOME_CARD_TEXT, type ConfirmationOutcomeCardText } from './text/confirmationOutcomeCard.text';
import { REQUEST_STANDING_TEXT } from './text/requestStandingText';
import { type SubjectLanguage, subjectLanguage } from './text/subjectLanguage';
import { SUBJECT_NOTICE_TEXT } from './text/subjectNoticeText';
import { remediesSentence, type ComplaintRoute } from './subjectNotices';

/** What the subject reads (in English) once the request has left "awaiting confirmation" through their answer. */
export const OUTCOME_SENTENCE = {
  approved: CONFIRMATION_OUTCOME_CARD_TEXT.en.approved,
  declined: CONFIRMATION_OUTCOME_CARD_TEXT.en.declined,
} as const;

/** Approved and not yet handed over: the export is queued or running. */
const GATHERING_STATES: readonly RequestState[] = [RequestState.Confirmed, RequestState.Exporting];

interface ConfirmationOutcomeCardData {
  /** The fixed strings, in the subject's language. */
  text: ConfirmationOutcomeCardText;
  hasNotice: boolean;
  /** Through plainText: it sits in a TextRun (a refusal sentence may quote what someone typed). */
  notice: string;
  outcome: string;
  /** After a decline: that they can ask again, and where to complain (through plainText: the authority is configured text). */
  closing: { paragraph: string }[];
  reference: string;
}

/**
 * Replaces the confirmation card after Approve or Decline (the invoke response), so the buttons are
 * gone and a second click cannot be made from this card. `notice` explains a click that changed
 * nothing, e.g. "You already answered this request. Nothing was changed.", and is shown first, in the
 * warning style, so it is not mistaken for the result of this click. Deliberately no decline reason or
 * any other detail: only the reference and the state. Written in the subject's preferred language;
 * `notice` comes from the caller as it is. A declined request is closed: the card says so, that they
 * can ask again, and where they may complain (docs/decisions/0018), naming the controller's
 * supervisory authority when `route` gives it.
 */
export function buildConfirmationOutcomeCard(request: ExportRequest, notice?: string, route: ComplaintRoute = {}): AdaptiveCard {
  const language = subjectLanguage(request);
  const data: ConfirmationOutcomeCardData = {
    text: CONFIRMATION_OUTCOME_CARD_TEXT[language],
    hasNotice: notice !== undefined && notice.trim() !== '',
    notice: plainText(notice ?? ''),
    outcome: describeOutcome(request.state, language),
    closing:
      request.state === RequestState.Declined
        ? [SUBJECT_NOTICE_TEXT[language].fileAgain, remediesSentence(request, route, language)].map((p) => ({ paragraph: plainText(p) }))
        : [],
    reference: request.reference,
  };
  return renderTemplate(template, data);
}

function describeOutcome(state: RequestState, language: SubjectLanguage): string {
  const text = CONFIRMATION_OUTCOME_CARD_TEXT[language];
  if (GATHERING_STATES.includes(state)) return text.approved;
  if (state === RequestState.Declined) return text.declined;
  return REQUEST_STANDING_TEXT[language].state[state];
}
