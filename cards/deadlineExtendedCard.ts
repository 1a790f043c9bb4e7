import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { plainText, renderTemplate, type AdaptiveCard } from './adaptiveCard';
import template from './deadlineExtendedCard.json';
import { DEADLINE_EXTENDED_CARD_TEXT } from './text/deadlineExtendedCard.text';
import { DATE_LOCALE, subjectLanguage } from './text/subjectLanguage';
import { describeDueRule } from './requestText';

/**
 * The notice a data subject gets when the deadline is extended: the new date and the reason, as the
 * law asks, in the subject's preferred language. The reason is the admin's, shown as they wrote it.
 * Where the new period ends on a weekend or holiday, the card says why the date is the next working day.
 */
export function buildDeadlineExtendedCard(request: ExportRequest, previousDueOn: string): AdaptiveCard {
  const latest = request.extensions?.at(-1);
  const language = subjectLanguage(request);
  const t = DEADLINE_EXTENDED_CARD_TEXT[language];
  const locale = DATE_LOCALE[language];
  return renderTemplate(template, {
    text: {
      heading: t.heading,
      extended: t.extended(request.reference, formatForPeople(request.dueOn, locale), formatForPeople(previousDueOn, locale)),
      dueRule: request.dueRule ? t.dueRule(describeDueRule(request.dueRule, language)) : '',
      reasonHeading: t.reasonHeading,
      disagree: t.disagree,
    },
    hasDueRule: request.dueRule !== undefined,
    reason: plainText(latest?.reason ?? ''),
  });
}
