import { daysLeft } from '../domain/deadlines/dueDate';
import { type CalendarDate, formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { isOpen } from '../domain/requests/lifecycle';
import type { DueRule } from '../domain/deadlines/workingDays';
import { escapeText } from './adaptiveCard';
import { DUE_RULE_TEXT } from './text/dueRuleText';
import { REQUEST_STANDING_TEXT } from './text/requestStandingText';
import { DATE_LOCALE, type SubjectLanguage } from './text/subjectLanguage';

/**
 * Wording shared by several cards, so "due" reads the same in a status card, a list row and a
 * channel post. Everything here is built from our own labels and dates, never from user strings.
 */

/**
 * "Thu 26 Feb 2026 · 12 days left". Once a request is closed (declined, cancelled, delivered,
 * completed, unconfirmed, purged: exactly the states that are not open) a countdown would be
 * misleading ("overdue by 40 days" on a request delivered on time), so the state is shown instead.
 * Where the working-day rule moved the date, why: "Mon 7 Dec 2026 · 2 days left (the period ended on
 * Sat 5 Dec 2026, a weekend, so it ends on the next working day)".
 */
export function describeDue(request: ExportRequest, today: CalendarDate, language: SubjectLanguage = 'en'): string {
  const moved = request.dueRule ? ` (${describeDueRule(request.dueRule, language)})` : '';
  return `${formatForPeople(request.dueOn, DATE_LOCALE[language])} · ${dueStanding(request, today, language)}${moved}`;
}

/**
 * Why the due date is not the period's last day, in the reader's language, for a Markdown field: the
 * holiday's name comes from the tenant's calendar file, so it is escaped like any string we did not write.
 */
export function describeDueRule(rule: DueRule, language: SubjectLanguage = 'en'): string {
  const named = rule.holiday ? { ...rule, holiday: escapeText(rule.holiday) } : rule;
  return DUE_RULE_TEXT[language](formatForPeople(rule.periodEndsOn, DATE_LOCALE[language]), named);
}

/** Days left while the request is open; its state once it is closed. English unless a subject reads it. */
export function dueStanding(request: ExportRequest, today: CalendarDate, language: SubjectLanguage = 'en'): string {
  const text = REQUEST_STANDING_TEXT[language];
  return isOpen(request.state) ? text.daysLeft(daysLeft(request.dueOn, today)) : text.state[request.state];
}
