import { addDays, addMonths, differenceInCalendarDays } from 'date-fns';
import { Regime } from '../requests/regime';
import { CalendarDate, fromDate, toDate } from './calendarDate';

/**
 * The statutory answer periods. GDPR Art. 12(3): one month from receipt; date-fns' addMonths clamps to
 * the end of a shorter month, so 31 January gives 28 (or 29) February, as Regulation 1182/71 reads.
 * CCPA (Cal. Civ. Code 1798.130(a)(2)): 45 calendar days.
 * See docs/decisions/0003-deadlines-as-calendar-dates.md.
 */
export const ANSWER_PERIOD: Record<Regime, { months?: number; days?: number }> = {
  gdpr: { months: 1 },
  ccpa: { days: 45 },
};

export function computeDueDate(regime: Regime, receivedOn: CalendarDate): CalendarDate {
  const period = ANSWER_PERIOD[regime];
  let due = toDate(receivedOn);
  if (period.months) due = addMonths(due, period.months);
  if (period.days) due = addDays(due, period.days);
  return fromDate(due);
}

/** Whole days from `today` until `dueOn`: 0 on the due date, negative once overdue. */
export function daysLeft(dueOn: CalendarDate, today: CalendarDate): number {
  return differenceInCalendarDays(toDate(dueOn), toDate(today));
}

export function describeDaysLeft(days: number): string {
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return 'due today';
  return days === -1 ? 'overdue by 1 day' : `overdue by ${-days} days`;
}
