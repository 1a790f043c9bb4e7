import { differenceInCalendarDays } from 'date-fns';
import { formatForPeople, parseCalendarDate, toDate, type CalendarDate } from './calendarDate';
import { Regime } from '../requests/regime';

/**
 * The first day a request under each law can have been received: the GDPR applies from 25 May 2018
 * (Art. 99(2)); the CCPA's right to know from 1 January 2020 (Cal. Civ. Code §1798.198). A date
 * before that is a typo, and a deadline computed from it would already be years overdue.
 */
const IN_FORCE_FROM: Record<Regime, CalendarDate> = {
  [Regime.Gdpr]: '2018-05-25',
  [Regime.Ccpa]: '2020-01-01',
};

export type ReceivedDateCheck = { readonly ok: true; readonly date: CalendarDate } | { readonly ok: false; readonly problem: string };

const TODAY_WORD = 'today';

/**
 * Reads what someone typed as the date a request was received, and says what is wrong with it in a
 * sentence: not a date at all, not a real date (30 February), in the future, or before the law applied.
 */
export function checkReceivedDate(typed: string, regime: Regime, today: CalendarDate): ReceivedDateCheck {
  const text = typed.trim().toLowerCase();
  if (text === TODAY_WORD) return { ok: true, date: today };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return { ok: false, problem: `That is not a date in the form YYYY-MM-DD.` };
  const date = parseCalendarDate(text);
  if (!date) return { ok: false, problem: `${text} is not a real date.` };
  return checkReceivedOn(date, regime, today);
}

/** The same rules for a date already parsed (what the domain enforces when a request is filed). */
export function checkReceivedOn(date: CalendarDate, regime: Regime, today: CalendarDate): ReceivedDateCheck {
  if (date > today) return { ok: false, problem: `${formatForPeople(date)} is in the future; a request can only have been received today or earlier.` };
  const earliest = IN_FORCE_FROM[regime];
  if (date < earliest) {
    const law = regime === Regime.Gdpr ? 'the GDPR applies' : 'the CCPA’s right to know applies';
    return { ok: false, problem: `${formatForPeople(date)} is before ${formatForPeople(earliest)}, the first day ${law}.` };
  }
  return { ok: true, date };
}

/**
 * How many days back a received date may lie before Privacy Desk asks why it is recorded only now
 * (RECEIVED_DATE_MAX_AGE_DAYS). Three months covers a request that went round the organisation;
 * anything older is usually a typo, and if it is not, the reason belongs in the audit trail.
 */
export const DEFAULT_RECEIVED_DATE_MAX_AGE_DAYS = 90;

/** The shortest reason for a late entry that says anything ("typo" does not; "found in the post room" does). */
export const MIN_LATE_ENTRY_REASON = 5;

/** How many days before today `date` lies when that is more than `maxAgeDays`, else undefined. */
export function lateEntryDays(date: CalendarDate, today: CalendarDate, maxAgeDays: number): number | undefined {
  const ago = differenceInCalendarDays(toDate(today), toDate(date));
  return ago > maxAgeDays ? ago : undefined;
}
