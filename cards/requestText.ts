import { daysLeft, describeDaysLeft } from '../domain/deadlines/dueDate';
import { type CalendarDate, formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { isOpen, STATE_LABEL } from '../domain/requests/lifecycle';

/**
 * Wording shared by several cards, so "due" reads the same in a status card, a list row and a
 * channel post. Everything here is built from our own labels and dates, never from user strings.
 */

/**
 * "Thu 26 Feb 2026 · 12 days left". Once a request is closed (declined, cancelled, delivered,
 * completed, unconfirmed, purged: exactly the states that are not open) a countdown would be
 * misleading ("overdue by 40 days" on a request delivered on time), so the state is shown instead.
 */
export function describeDue(request: ExportRequest, today: CalendarDate): string {
  return `${formatForPeople(request.dueOn)} · ${dueStanding(request, today)}`;
}

/** Days left while the request is open; its state once it is closed. */
export function dueStanding(request: ExportRequest, today: CalendarDate): string {
  return isOpen(request.state) ? describeDaysLeft(daysLeft(request.dueOn, today)) : STATE_LABEL[request.state];
}
