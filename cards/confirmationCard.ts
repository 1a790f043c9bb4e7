import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import { CardVerb, DECLINE_REASON_INPUT, DECLINE_REASON_MAX_LENGTH, type RequestActionData } from './cardVerbs';
import template from './confirmationCard.json';
import { describeDue } from './requestText';
import { CONFIRMATION_CARD_TEXT, type ConfirmationCardText } from './text/confirmationCard.text';
import { DATE_LOCALE, regimeForSubject, subjectLanguage } from './text/subjectLanguage';

/** Every `${...}` in confirmationCard.json, typed, so a renamed field fails to compile here. */
interface ConfirmationCardData {
  /** The fixed strings, in the subject's language. */
  text: ConfirmationCardText;
  /** Through plainText: it sits in a TextRun. */
  requesterName: string;
  reference: string;
  regime: string;
  receivedOn: string;
  dueOn: string;
  approveVerb: string;
  declineVerb: string;
  actionData: RequestActionData;
  declineReasonInputId: string;
  declineReasonMaxLength: number;
}

/**
 * The data subject's Approve / Decline card. It must make sense on its own: the local Teams client
 * ignores `refresh`, so there is none, and after a click the bot replaces it with the outcome card.
 * Written in the subject's preferred language (English when it is none we have).
 * The buttons carry only the request id; who clicked is read from the activity, server-side.
 */
export function buildConfirmationCard(request: ExportRequest, requesterName: string, today: CalendarDate): AdaptiveCard {
  // A self-service request is confirmed by filing it; asking the subject again would be a bug upstream.
  if (request.selfService) throw new Error(`Request ${request.id} is self-service: it has no confirmation card.`);
  const actionData: RequestActionData = { requestId: request.id };
  const language = subjectLanguage(request);
  const data: ConfirmationCardData = {
    text: CONFIRMATION_CARD_TEXT[language],
    requesterName: plainText(requesterName),
    reference: request.reference,
    regime: regimeForSubject(request.regime, language),
    receivedOn: formatForPeople(request.receivedOn, DATE_LOCALE[language]),
    dueOn: describeDue(request, today, language),
    approveVerb: CardVerb.Approve,
    declineVerb: CardVerb.Decline,
    actionData,
    declineReasonInputId: DECLINE_REASON_INPUT,
    declineReasonMaxLength: DECLINE_REASON_MAX_LENGTH,
  };
  return renderTemplate(template, data);
}
