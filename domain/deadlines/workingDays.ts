import { addDays } from 'date-fns';
import type { Regime } from '../requests/regime';
import { fromDate, toDate, type CalendarDate } from './calendarDate';

/** Days of the week as Date.getDay() numbers them (0 = Sunday). */
export const WEEKDAY_NUMBER = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;
export type WeekdayName = keyof typeof WEEKDAY_NUMBER;

/** Regulation 1182/71 Art. 2(2): working days are all days other than public holidays, Sundays and Saturdays. */
export const DEFAULT_WEEKEND: readonly WeekdayName[] = ['sat', 'sun'];

/**
 * The tenant's days off: the weekend, and its public holidays by date. Beyond `coversUntil` the
 * holidays are not known, so only the weekend can move a date there (the start-up log warns before).
 */
export interface WorkingDayCalendar {
  readonly weekendDays: ReadonlySet<number>;
  readonly holidays: ReadonlyMap<CalendarDate, string>;
  /** Where the holidays come from, for people ("Germany, nationwide public holidays"). */
  readonly name?: string;
  readonly coversUntil?: CalendarDate;
}

export type DayOffReason = 'weekend' | 'holiday';

/** What the working-day rule did to a due date, kept on the request so cards can say why it moved. */
export interface DueRule {
  /** The last day of the period as counted in calendar days. */
  readonly periodEndsOn: CalendarDate;
  /** Why that day was not a working day (a holiday wins when it is both). */
  readonly reason: DayOffReason;
  readonly holiday?: string;
}

/** A period's end under the rule: the date itself, or the next working day and why. */
export interface PeriodEnd {
  readonly date: CalendarDate;
  readonly moved?: DueRule;
}

/** A year of days off in a row cannot be a calendar anyone meant; stops a loop on a bad one. */
const MAX_DAYS_OFF_IN_A_ROW = 366;

/** Why `date` is not a working day, or undefined when it is one. */
export function dayOff(date: CalendarDate, calendar: WorkingDayCalendar): { reason: DayOffReason; holiday?: string } | undefined {
  const holiday = calendar.holidays.get(date);
  if (holiday !== undefined) return { reason: 'holiday', holiday };
  return calendar.weekendDays.has(toDate(date).getDay()) ? { reason: 'weekend' } : undefined;
}

/**
 * Regulation 1182/71 Art. 3(4): a period whose last day is a public holiday, Sunday or Saturday ends
 * at the end of the following working day. The reason recorded is the last day's own.
 */
export function periodEnd(date: CalendarDate, calendar: WorkingDayCalendar): PeriodEnd {
  const first = dayOff(date, calendar);
  if (!first) return { date };
  let next = toDate(date);
  for (let i = 0; i < MAX_DAYS_OFF_IN_A_ROW; i++) {
    next = addDays(next, 1);
    const candidate = fromDate(next);
    if (!dayOff(candidate, calendar)) return { date: candidate, moved: { periodEndsOn: date, ...first } };
  }
  throw new Error(`The working-day calendar has no working day within a year after ${date}.`);
}

/** Per law, whether a period that ends on a day off runs on to the next working day, and with which calendar. */
export interface WorkingDayRule {
  readonly calendar: WorkingDayCalendar;
  readonly appliesTo: Readonly<Record<Regime, boolean>>;
}

/** Calendar days only, for every law: what a service built without a calendar counts. */
export const CALENDAR_DAYS_ONLY: WorkingDayRule = {
  calendar: { weekendDays: new Set(), holidays: new Map() },
  appliesTo: { gdpr: false, ccpa: false },
};

/** The defaults the settings start from: on for the GDPR (1182/71 applies), off for the CCPA (decision 0016). */
export const WORKING_DAY_RULE_DEFAULT: Readonly<Record<Regime, boolean>> = { gdpr: true, ccpa: false };

/** The due date for a period that ends (in calendar days) on `end`, under this law and rule. */
export function dueOnWorkingDay(regime: Regime, end: CalendarDate, rule: WorkingDayRule): { dueOn: CalendarDate; dueRule?: DueRule } {
  if (!rule.appliesTo[regime]) return { dueOn: end };
  const result = periodEnd(end, rule.calendar);
  return result.moved ? { dueOn: result.date, dueRule: result.moved } : { dueOn: result.date };
}
