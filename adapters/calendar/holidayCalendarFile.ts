import { readFile } from 'node:fs/promises';
import { addDays } from 'date-fns';
import { z } from 'zod';
import { fromDate, parseCalendarDate, toDate, type CalendarDate } from '../../domain/deadlines/calendarDate';
import { CALENDAR_DAYS_ONLY, WEEKDAY_NUMBER, type WeekdayName, type WorkingDayCalendar, type WorkingDayRule } from '../../domain/deadlines/workingDays';
import type { Regime } from '../../domain/requests/regime';

/**
 * The tenant's public holidays, one file per tenant (PRIVACY_DESK_HOLIDAYS_FILE): the dates a period
 * that would end on them runs on past (Regulation 1182/71 Art. 3(4)). `from`/`until` say which span
 * the list is complete for, so a date beyond it is known not to be checked against holidays.
 */
const realDate = z.string().refine((text) => parseCalendarDate(text) === text, { message: 'must be a real date as YYYY-MM-DD' });

export const holidayFileSchema = z
  .object({
    name: z.string().trim().min(1, 'must name the jurisdiction, e.g. "Germany, nationwide public holidays"'),
    source: z.string().optional(),
    from: realDate,
    until: realDate,
    holidays: z.array(z.object({ date: realDate, name: z.string().trim().min(1, 'must say which holiday it is') }).strict()),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.until < file.from) ctx.addIssue({ code: 'custom', path: ['until'], message: `must not be before "from" (${file.from})` });
    const seen = new Set<string>();
    file.holidays.forEach((holiday, index) => {
      if (seen.has(holiday.date)) ctx.addIssue({ code: 'custom', path: ['holidays', index, 'date'], message: `${holiday.date} is listed twice` });
      seen.add(holiday.date);
      if (holiday.date < file.from || holiday.date > file.until) {
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', index, 'date'],
          message: `${holiday.date} is outside the span the file covers (${file.from} to ${file.until})`,
        });
      }
    });
  });

export type HolidayFile = z.infer<typeof holidayFileSchema>;

/** Reads and validates a holiday file; the error names the file and each bad entry (its index and date). */
export async function readHolidayCalendarFile(path: string, weekend: readonly WeekdayName[]): Promise<WorkingDayCalendar> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the holiday calendar ${path} (PRIVACY_DESK_HOLIDAYS_FILE): ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = holidayFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The holiday calendar ${path} (PRIVACY_DESK_HOLIDAYS_FILE) is not valid:\n${describeIssues(parsed.error, raw)}`);
  return toCalendar(parsed.data, weekend);
}

export function toCalendar(file: HolidayFile, weekend: readonly WeekdayName[]): WorkingDayCalendar {
  return {
    name: file.name,
    coversUntil: file.until as CalendarDate,
    weekendDays: new Set(weekend.map((day) => WEEKDAY_NUMBER[day])),
    holidays: new Map(file.holidays.map((h) => [h.date as CalendarDate, h.name])),
  };
}

/** zod's own report, each holiday entry also quoted by what was written there, so the person finds the line. */
function describeIssues(error: z.ZodError, raw: unknown): string {
  return error.issues
    .map((issue) => {
      const [first, index] = issue.path;
      const entry = first === 'holidays' && typeof index === 'number' ? (raw as { holidays?: unknown[] }).holidays?.[index] : undefined;
      const quoted = entry !== undefined ? ` (entry ${Number(index) + 1}: ${JSON.stringify(entry)})` : '';
      return `  - ${issue.path.join('.') || 'file'}: ${issue.message}${quoted}`;
    })
    .join('\n');
}

/** The working-day rule as configured: the file is read only when the rule applies to some law. */
export async function loadWorkingDayRule(settings: {
  readonly appliesTo: Readonly<Record<Regime, boolean>>;
  readonly holidaysFile: string;
  readonly weekend: readonly WeekdayName[];
}): Promise<WorkingDayRule> {
  if (!Object.values(settings.appliesTo).some(Boolean)) return CALENDAR_DAYS_ONLY;
  return { appliesTo: settings.appliesTo, calendar: await readHolidayCalendarFile(settings.holidaysFile, settings.weekend) };
}

/** How far ahead a due date can lie: three months (GDPR, extended) and a margin for paused days. */
export const CALENDAR_HORIZON_DAYS = 100;

/** When the holiday list ends before a due date filed today could fall, the date it ends on (to warn about). */
export function calendarEndsTooSoon(rule: WorkingDayRule, today: CalendarDate): CalendarDate | undefined {
  const until = rule.calendar.coversUntil;
  if (!until || !Object.values(rule.appliesTo).some(Boolean)) return undefined;
  return until < fromDate(addDays(toDate(today), CALENDAR_HORIZON_DAYS)) ? until : undefined;
}
