import { strict as assert } from 'node:assert';
import { parse } from 'date-fns';
import { formatForPeople, fromDate, parseCalendarDate, toDate } from '../../../domain/deadlines/calendarDate';

/** What toDate promised before it built dates itself: date-fns' reading of the text. */
function byDateFns(text: string): Date {
  return parse(text, 'yyyy-MM-dd', new Date(2000, 0, 1));
}

function sameInstant(actual: Date, expected: Date, text: string): void {
  if (Number.isNaN(expected.getTime())) assert.ok(Number.isNaN(actual.getTime()), `${text}: expected an invalid date, got ${actual.toString()}`);
  else assert.equal(actual.getTime(), expected.getTime(), text);
}

describe('calendarDate', () => {
  describe('toDate', () => {
    it('gives local midnight of the date', () => {
      const date = toDate('2026-02-28');
      assert.deepEqual([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()], [2026, 1, 28, 0, 0]);
    });

    it('reads every day of four years, leap day included, exactly as date-fns does', () => {
      let day = new Date(2023, 0, 1);
      for (let i = 0; i < 4 * 366; i++) {
        const text = fromDate(day);
        sameInstant(toDate(text), byDateFns(text), text);
        assert.equal(fromDate(toDate(text)), text);
        day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
      }
    });

    it('reads days a month does not have, odd forms and early years exactly as date-fns does', () => {
      const odd = [
        '2026-02-29',
        '2024-02-30',
        '2026-04-31',
        '2026-13-01',
        '2026-00-10',
        '2026-01-00',
        '2026-1-5',
        '2026-01-5',
        '0050-06-15',
        '0001-01-01',
        '0000-01-01',
        '9999-12-31',
        '',
        'soon',
        '2026-02-28T00:00',
      ];
      for (const text of odd) sameInstant(toDate(text), byDateFns(text), JSON.stringify(text));
    });

    it('reads years 0–99 as those years, not as 1900–1999', () => {
      assert.equal(toDate('0050-06-15').getFullYear(), 50);
    });
  });

  describe('parseCalendarDate', () => {
    it('accepts only a real day in the canonical form', () => {
      assert.equal(parseCalendarDate(' 2024-02-29 '), '2024-02-29');
      for (const text of ['2026-02-29', '2026-2-28', '28/02/2026', '2026-02-28x']) assert.equal(parseCalendarDate(text), undefined, text);
    });
  });

  describe('formatForPeople', () => {
    it('shows the same date the same way however often it is asked', () => {
      assert.equal(formatForPeople('2026-02-26'), 'Thu 26 Feb 2026');
      assert.equal(formatForPeople('2026-02-26'), 'Thu 26 Feb 2026');
      assert.equal(formatForPeople('2026-02-27'), 'Fri 27 Feb 2026');
    });

    it("shows another locale's own order", () => {
      assert.equal(formatForPeople('2026-02-26', 'de-DE'), 'Do., 26. Feb. 2026');
    });

    it('still refuses a date that does not exist, every time', () => {
      assert.throws(() => formatForPeople('2026-02-30'), RangeError);
      assert.throws(() => formatForPeople('2026-02-30'), RangeError);
    });
  });
});
