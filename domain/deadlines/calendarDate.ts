import { format, isValid, parse } from 'date-fns';

/**
 * Deadlines are calendar dates ("2026-02-28"), not instants: the law counts days and months, and a
 * request received on 31 January is due on the last day of February wherever the clock is read.
 * They travel as ISO strings and are turned into local-midnight Dates only for date-fns arithmetic.
 */
export type CalendarDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseCalendarDate(text: string): CalendarDate | undefined {
  const t = text.trim();
  if (!ISO_DATE.test(t)) return undefined;
  const d = parse(t, 'yyyy-MM-dd', new Date(2000, 0, 1));
  return isValid(d) && format(d, 'yyyy-MM-dd') === t ? t : undefined;
}

const CANONICAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Local midnight of a calendar date. Every date a turn shows goes through here (a `requests` card
 * reads 75), and date-fns `parse` costs about 4 µs a call where the Date constructor costs 0.3, so
 * the canonical form is built directly; anything else (or a day the month does not have) is left to
 * date-fns, so the result is always exactly what `parse(date, 'yyyy-MM-dd', …)` gives.
 */
export function toDate(date: CalendarDate): Date {
  const parts = CANONICAL_DATE.exec(date);
  if (parts) {
    const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    const local = new Date(2000, 0, 1);
    // setFullYear, not the constructor: the constructor reads years 0–99 as 1900–1999. Year 0 is
    // left to date-fns, which does not accept it.
    local.setFullYear(year, month - 1, day);
    if (year > 0 && local.getFullYear() === year && local.getMonth() === month - 1 && local.getDate() === day) return local;
  }
  return parse(date, 'yyyy-MM-dd', new Date(2000, 0, 1));
}

export function fromDate(date: Date): CalendarDate {
  return format(date, 'yyyy-MM-dd');
}

/**
 * Building an Intl.DateTimeFormat costs far more than formatting with one (it resolves locale data
 * and the zone each time), and "today" is asked for on every turn and for every request of a
 * deadline pass. A process reads dates in one or two zones, so one formatter per zone is kept.
 */
const CALENDAR_DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

function calendarDateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = CALENDAR_DATE_FORMATS.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD. An unknown zone throws here, before anything is cached.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    CALENDAR_DATE_FORMATS.set(timeZone, format);
  }
  return format;
}

/** The calendar date an instant falls on in an IANA time zone (the tenant's). */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  return calendarDateFormat(timeZone).format(instant);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The locale dates are shown in unless a person's language says otherwise. */
export const PEOPLE_LOCALE = 'en-GB';

/**
 * "Thu 26 Feb 2026": how dates are shown to people. With another locale, the same parts (short
 * weekday, day, short month, year) in that locale's own order and punctuation: "Do., 26. Feb. 2026",
 * "jeu. 26 févr. 2026". The English form stays on date-fns so it reads exactly as it always has.
 */
export function formatForPeople(date: CalendarDate, locale: string = PEOPLE_LOCALE): string {
  if (locale !== PEOPLE_LOCALE) return formatInLocale(date, locale);
  // A card shows a handful of distinct dates many times over; the English form is kept per date.
  let shown = SHOWN_DATES.get(date);
  if (shown === undefined) {
    shown = format(toDate(date), 'EEE d MMM yyyy');
    if (SHOWN_DATES.size >= SHOWN_DATES_KEPT) SHOWN_DATES.clear();
    SHOWN_DATES.set(date, shown);
  }
  return shown;
}

/** About ten years of days: every date a deployment shows, bounded so odd input cannot grow it. */
const SHOWN_DATES_KEPT = 4096;
const SHOWN_DATES = new Map<CalendarDate, string>();

function formatInLocale(date: CalendarDate, locale: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}
