import { join } from 'node:path';
import { readHolidayCalendarFile } from '../../../../adapters/calendar/holidayCalendarFile';
import { DEFAULT_WEEKEND, WORKING_DAY_RULE_DEFAULT, type WorkingDayRule } from '../../../../domain/deadlines/workingDays';
import { ConfiguredAdmins } from '../../../../domain/policy/adminPolicy';
import { RequestService } from '../../../../domain/requests/requestService';
import { domainFixture, FixedClock, PEOPLE } from '../../../helpers/domainFixture';

export const DEMO_HOLIDAYS_FILE = join(__dirname, '../../../../config/holidays.json');

/** The rule as a tenant gets it by default: on for the GDPR, off for the CCPA, with the demo calendar. */
export async function defaultWorkingDayRule(): Promise<WorkingDayRule> {
  return { appliesTo: WORKING_DAY_RULE_DEFAULT, calendar: await readHolidayCalendarFile(DEMO_HOLIDAYS_FILE, DEFAULT_WEEKEND) };
}

/**
 * The domain fixture (real SQLite store, demo directory) with a RequestService that counts as a
 * configured tenant does: the working-day rule and the received-date bound.
 */
export async function workingDayFixture(now: string, options: { rule?: WorkingDayRule; receivedDateMaxAgeDays?: number } = {}) {
  const f = await domainFixture(new FixedClock(new Date(now)));
  const requests = new RequestService({
    store: f.store,
    directory: f.directory,
    admins: new ConfiguredAdmins([PEOPLE.alex.objectId]),
    clock: f.clock,
    timeZone: 'Europe/Berlin',
    filingsPerHour: 50,
    recentWindowDays: 90,
    workingDays: options.rule ?? (await defaultWorkingDayRule()),
    ...(options.receivedDateMaxAgeDays ? { receivedDateMaxAgeDays: options.receivedDateMaxAgeDays } : {}),
  });
  return { ...f, requests };
}
