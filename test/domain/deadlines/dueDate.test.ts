import assert from 'node:assert/strict';
import { calendarDateIn, parseCalendarDate } from '../../../domain/deadlines/calendarDate';
import { computeDueDate, daysLeft, describeDaysLeft } from '../../../domain/deadlines/dueDate';

describe('due dates', () => {
  const gdpr: Array<[string, string, string]> = [
    ['2026-01-15', '2026-02-15', 'an ordinary month'],
    ['2026-01-31', '2026-02-28', 'received 31 January: the last day of February'],
    ['2028-01-31', '2028-02-29', 'a leap year'],
    ['2026-01-29', '2026-02-28', '29 January in a common year'],
    ['2026-03-31', '2026-04-30', 'a 31st into a 30-day month'],
    ['2026-12-31', '2027-01-31', 'across the year end'],
    ['2026-02-28', '2026-03-28', 'the end of February moves to the 28th, not the end of March'],
  ];
  for (const [received, due, why] of gdpr) {
    it(`GDPR: ${received} → ${due} (${why})`, () => assert.equal(computeDueDate('gdpr', received), due));
  }

  const ccpa: Array<[string, string]> = [
    ['2026-01-01', '2026-02-15'],
    ['2026-12-20', '2027-02-03'],
    ['2028-02-01', '2028-03-17'],
    ['2026-03-01', '2026-04-15'],
  ];
  for (const [received, due] of ccpa) {
    it(`CCPA: 45 days, ${received} → ${due}`, () => assert.equal(computeDueDate('ccpa', received), due));
  }

  it('counts days left in calendar days, negative once overdue', () => {
    assert.equal(daysLeft('2026-02-28', '2026-02-01'), 27);
    assert.equal(daysLeft('2026-02-28', '2026-02-28'), 0);
    assert.equal(daysLeft('2026-02-28', '2026-03-02'), -2);
    // Across the March daylight-saving change in Europe: still whole days.
    assert.equal(daysLeft('2026-04-01', '2026-03-25'), 7);
    assert.equal(describeDaysLeft(1), '1 day left');
    assert.equal(describeDaysLeft(0), 'due today');
    assert.equal(describeDaysLeft(-3), 'overdue by 3 days');
  });

  it('reads only real calendar dates', () => {
    assert.equal(parseCalendarDate('2026-02-29'), undefined);
    assert.equal(parseCalendarDate('2028-02-29'), '2028-02-29');
    assert.equal(parseCalendarDate('2026-13-01'), undefined);
    assert.equal(parseCalendarDate('31/01/2026'), undefined);
    assert.equal(parseCalendarDate(' 2026-01-31 '), '2026-01-31');
  });

  it('takes "today" in the tenant’s time zone', () => {
    const instant = new Date('2026-03-01T23:30:00Z');
    assert.equal(calendarDateIn(instant, 'UTC'), '2026-03-01');
    assert.equal(calendarDateIn(instant, 'Europe/Berlin'), '2026-03-02');
    assert.equal(calendarDateIn(instant, 'America/Los_Angeles'), '2026-03-01');
  });

  it('answers each zone with its own date however the calls interleave, and keeps refusing an unknown zone', () => {
    // The formatter is kept per zone: a second call, or a call for another zone in between, must not change the answer.
    const beforeMidnight = new Date('2026-12-31T23:30:00Z');
    const afterMidnight = new Date('2027-01-01T00:30:00Z');
    for (let round = 0; round < 2; round += 1) {
      assert.equal(calendarDateIn(beforeMidnight, 'Europe/Berlin'), '2027-01-01');
      assert.equal(calendarDateIn(beforeMidnight, 'UTC'), '2026-12-31');
      assert.equal(calendarDateIn(afterMidnight, 'America/Los_Angeles'), '2026-12-31');
      assert.equal(calendarDateIn(afterMidnight, 'Europe/Berlin'), '2027-01-01');
      assert.throws(() => calendarDateIn(beforeMidnight, 'Mars/Olympus_Mons'), RangeError);
    }
  });
});
