import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { plainText, renderTemplate, type AdaptiveCard } from './adaptiveCard';
import template from './deadlineExtendedCard.json';

/** The notice a data subject gets when the deadline is extended: the new date and the reason, as the law asks. */
export function buildDeadlineExtendedCard(request: ExportRequest, previousDueOn: string): AdaptiveCard {
  const latest = request.extensions?.at(-1);
  return renderTemplate(template, {
    reference: request.reference,
    newDue: formatForPeople(request.dueOn),
    previousDue: formatForPeople(previousDueOn),
    reason: plainText(latest?.reason ?? ''),
  });
}
