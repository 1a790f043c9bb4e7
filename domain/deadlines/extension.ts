import { addDays, addMonths } from 'date-fns';
import type { Regime } from '../requests/regime';
import { fromDate, toDate, type CalendarDate } from './calendarDate';
import { ANSWER_PERIOD } from './dueDate';
import { dueOnWorkingDay, type DueRule, type WorkingDayRule } from './workingDays';

/**
 * How far a deadline may be extended, and in what steps. GDPR Art. 12(3): by up to two further
 * months, the subject told with reasons within the first month. CCPA 1798.130(a)(2): once, by 45 days,
 * with notice within the first 45 days.
 */
export const EXTENSION_RULES: Record<
  Regime,
  { readonly unit: 'months' | 'days'; readonly max: number; readonly steps: readonly number[]; readonly once: boolean }
> = {
  gdpr: { unit: 'months', max: 2, steps: [1, 2], once: false },
  ccpa: { unit: 'days', max: 45, steps: [45], once: true },
};

export interface DeadlineExtension {
  readonly amount: number;
  readonly unit: 'months' | 'days';
  readonly reason: string;
  readonly at: string;
  /** The due date this extension replaced, as the subject was last told it (absent on extensions recorded before it was kept). */
  readonly fromDueOn?: CalendarDate;
}

/** What a due date is counted from: the request's regime, receipt, and the days its clock stood still. */
export interface DeadlineBasis {
  readonly regime: Regime;
  readonly receivedOn: CalendarDate;
  readonly pausedDays?: number;
}

/**
 * The last day of the period with these extensions, in calendar days: counted from receipt (so month
 * ends clamp as the law reads), plus the days the clock stood still while waiting for the subject. It
 * takes the request itself, so no caller can forget the paused days. The due date is this day moved
 * by the working-day rule: see `dueDateFor`.
 */
export function extendedDueDate(basis: DeadlineBasis, extensions: readonly DeadlineExtension[]): CalendarDate {
  const { regime, receivedOn, pausedDays = 0 } = basis;
  const period = ANSWER_PERIOD[regime];
  const extra = extensions.reduce((sum, e) => sum + e.amount, 0);
  let due = toDate(receivedOn);
  if (period.months) due = addMonths(due, period.months + (EXTENSION_RULES[regime].unit === 'months' ? extra : 0));
  if (period.days) due = addDays(due, period.days + (EXTENSION_RULES[regime].unit === 'days' ? extra : 0));
  return fromDate(addDays(due, pausedDays));
}

/** A due date and, when the working-day rule moved it, what it moved from and why. */
export interface DueDate {
  readonly dueOn: CalendarDate;
  readonly dueRule?: DueRule;
}

/** The due date: the end of the period (extensions and paused days included), moved off a day off where the rule applies. */
export function dueDateFor(basis: DeadlineBasis, extensions: readonly DeadlineExtension[], rule: WorkingDayRule): DueDate {
  return dueOnWorkingDay(basis.regime, extendedDueDate(basis, extensions), rule);
}

/**
 * The last day an extension can be decided on: the due date of the first period (no extensions), as
 * the rule produced it, with the days the clock stood still.
 */
export function firstPeriodDueOn(basis: DeadlineBasis, rule: WorkingDayRule): CalendarDate {
  return dueDateFor(basis, [], rule).dueOn;
}

/**
 * Whether the clock may stand still while waiting for the subject (e.g. to identify them or clarify
 * the request). GDPR: yes (EDPB Guidelines 01/2022 on the right of access, §2.3.2/§5.3); CCPA: no.
 */
export const PAUSE_ALLOWED: Record<Regime, boolean> = { gdpr: true, ccpa: false };

/** The lengths still allowed for this request, today; empty when no extension is possible. */
export function allowedExtensions(regime: Regime, originalDueOn: CalendarDate, extensions: readonly DeadlineExtension[], today: CalendarDate): number[] {
  const rule = EXTENSION_RULES[regime];
  if (today > originalDueOn) return [];
  if (rule.once && extensions.length > 0) return [];
  const used = extensions.reduce((sum, e) => sum + e.amount, 0);
  return rule.steps.filter((step) => used + step <= rule.max);
}

export function describeExtension(amount: number, unit: 'months' | 'days'): string {
  return unit === 'months' ? (amount === 1 ? '1 month' : `${amount} months`) : `${amount} days`;
}
