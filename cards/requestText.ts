import { daysLeft } from '../domain/deadlines/dueDate';
import { type CalendarDate, formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { isOpen } from '../domain/requests/lifecycle';
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
 */
export function describeDue(request: ExportRequest, today: CalendarDate, language: SubjectLanguage = 'en'): string {
  return `${formatForPeople(request.dueOn, DATE_LOCALE[language])} · ${dueStanding(request, today, language)}`;
}

/** Days left while the request is open; its state once it is closed. English unless a subject reads it. */
export function dueStanding(request: ExportRequest, today: CalendarDate, language: SubjectLanguage = 'en'): string {
  const text = REQUEST_STANDING_TEXT[language];
  return isOpen(request.state) ? text.daysLeft(daysLeft(request.dueOn, today)) : text.state[request.state];
}
