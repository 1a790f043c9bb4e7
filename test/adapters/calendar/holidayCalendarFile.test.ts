import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarEndsTooSoon, loadWorkingDayRule, readHolidayCalendarFile } from '../../../adapters/calendar/holidayCalendarFile';
import { dayOff, DEFAULT_WEEKEND } from '../../../domain/deadlines/workingDays';
import { DEMO_HOLIDAYS_FILE } from '../../domain/deadlines/support/workingDayService';

describe('adapters/calendar/holidayCalendarFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'holidays-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: unknown) => {
    const path = join(dir, 'holidays.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const VALID = { name: 'Testland', from: '2026-01-01', until: '2026-12-31', holidays: [{ date: '2026-12-25', name: 'Christmas Day' }] };

  it('the demo calendar is valid: Germany’s nationwide public holidays for 2026 and 2027', async () => {
    const calendar = await readHolidayCalendarFile(DEMO_HOLIDAYS_FILE, DEFAULT_WEEKEND);
    assert.equal(calendar.holidays.size, 18);
    assert.equal(calendar.coversUntil, '2027-12-31');
    // The movable feasts follow Easter (5 April 2026, 28 March 2027).
    for (const date of [
      '2026-04-03',
      '2026-04-06',
      '2026-05-14',
      '2026-05-25',
      '2027-03-26',
      '2027-03-29',
      '2027-05-06',
      '2027-05-17',
      '2026-10-03',
      '2027-12-26',
    ]) {
      assert.equal(dayOff(date, calendar)?.reason, 'holiday', date);
    }
    assert.equal(dayOff('2026-12-07', calendar), undefined);
  });

  it('refuses a file with a date that does not exist, naming the file and the entry', async () => {
    const path = write({
      ...VALID,
      holidays: [
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-02-30', name: 'Typo Day' },
      ],
    });
    await assert.rejects(readHolidayCalendarFile(path, DEFAULT_WEEKEND), (error: Error) => {
      assert.match(error.message, new RegExp(`The holiday calendar ${path.replace(/[\\/.]/g, '\\$&')} \\(PRIVACY_DESK_HOLIDAYS_FILE\\) is not valid`));
      assert.match(error.message, /holidays\.1\.date: must be a real date as YYYY-MM-DD \(entry 2: \{"date":"2026-02-30","name":"Typo Day"\}\)/);
      return true;
    });
  });

  it('refuses a date listed twice or outside the span the file says it covers, and unreadable JSON', async () => {
    await assert.rejects(
      readHolidayCalendarFile(write({ ...VALID, holidays: [VALID.holidays[0], VALID.holidays[0]] }), DEFAULT_WEEKEND),
      /2026-12-25 is listed twice/,
    );
    await assert.rejects(
      readHolidayCalendarFile(write({ ...VALID, holidays: [{ date: '2027-01-01', name: 'New Year' }] }), DEFAULT_WEEKEND),
      /2027-01-01 is outside the span the file covers \(2026-01-01 to 2026-12-31\)/,
    );
    await assert.rejects(readHolidayCalendarFile(write('{ not json'), DEFAULT_WEEKEND), /Cannot read the holiday calendar .*holidays\.json/);
    await assert.rejects(readHolidayCalendarFile(join(dir, 'missing.json'), DEFAULT_WEEKEND), /Cannot read the holiday calendar .*missing\.json/);
  });

  it('is not read when the rule is off for every law; says when it ends before a due date can fall', async () => {
    const off = await loadWorkingDayRule({ appliesTo: { gdpr: false, ccpa: false }, holidaysFile: join(dir, 'missing.json'), weekend: DEFAULT_WEEKEND });
    assert.equal(off.calendar.holidays.size, 0);
    const on = await loadWorkingDayRule({ appliesTo: { gdpr: true, ccpa: false }, holidaysFile: write(VALID), weekend: DEFAULT_WEEKEND });
    assert.equal(calendarEndsTooSoon(on, '2026-12-05'), '2026-12-31');
    assert.equal(calendarEndsTooSoon(on, '2026-06-01'), undefined);
  });
});
