import assert from 'node:assert/strict';
import { dueDateFor } from '../../../domain/deadlines/extension';
import {
  CALENDAR_DAYS_ONLY,
  dueOnWorkingDay,
  periodEnd,
  WEEKDAY_NUMBER,
  type WorkingDayCalendar,
  type WorkingDayRule,
} from '../../../domain/deadlines/workingDays';
import { defaultWorkingDayRule } from './support/workingDayService';

const CALENDAR: WorkingDayCalendar = {
  weekendDays: new Set([WEEKDAY_NUMBER.sat, WEEKDAY_NUMBER.sun]),
  holidays: new Map([
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'St Stephen’s Day'],
    ['2027-01-01', 'New Year’s Day'],
  ]),
};

describe('the working-day rule (Regulation 1182/71 Art. 3(4))', () => {
  it('leaves a period that ends on a working day where it is', () => {
    assert.deepEqual(periodEnd('2026-12-04', CALENDAR), { date: '2026-12-04' });
  });

  it('runs a period that ends on a Saturday or Sunday to the Monday, and says it was a weekend', () => {
    assert.deepEqual(periodEnd('2026-12-05', CALENDAR), { date: '2026-12-07', moved: { periodEndsOn: '2026-12-05', reason: 'weekend' } });
    assert.deepEqual(periodEnd('2026-12-06', CALENDAR), { date: '2026-12-07', moved: { periodEndsOn: '2026-12-06', reason: 'weekend' } });
  });

  it('runs past holidays and the weekend after them, naming the holiday the period ended on', () => {
    // Fri 25 (holiday), Sat 26 (holiday and weekend), Sun 27: Monday 28 December.
    assert.deepEqual(periodEnd('2026-12-25', CALENDAR), {
      date: '2026-12-28',
      moved: { periodEndsOn: '2026-12-25', reason: 'holiday', holiday: 'Christmas Day' },
    });
    assert.deepEqual(periodEnd('2026-12-26', CALENDAR), {
      date: '2026-12-28',
      moved: { periodEndsOn: '2026-12-26', reason: 'holiday', holiday: 'St Stephen’s Day' },
    });
    assert.equal(periodEnd('2027-01-01', CALENDAR).date, '2027-01-04');
  });

  it('uses the tenant’s weekend (Friday and Saturday here)', () => {
    const calendar = { ...CALENDAR, weekendDays: new Set([WEEKDAY_NUMBER.fri, WEEKDAY_NUMBER.sat]) };
    assert.equal(periodEnd('2026-12-04', calendar).date, '2026-12-06');
    assert.equal(periodEnd('2026-12-06', calendar).date, '2026-12-06');
  });

  it('applies only to the laws it is switched on for', () => {
    const rule: WorkingDayRule = { calendar: CALENDAR, appliesTo: { gdpr: true, ccpa: false } };
    assert.deepEqual(dueOnWorkingDay('gdpr', '2026-12-05', rule), { dueOn: '2026-12-07', dueRule: { periodEndsOn: '2026-12-05', reason: 'weekend' } });
    assert.deepEqual(dueOnWorkingDay('ccpa', '2026-12-05', rule), { dueOn: '2026-12-05' });
    assert.deepEqual(dueOnWorkingDay('gdpr', '2026-12-05', CALENDAR_DAYS_ONLY), { dueOn: '2026-12-05' });
  });

  it('is applied to the end of the whole period: receipt, the period, extensions and paused days', async () => {
    const rule = await defaultWorkingDayRule();
    // Received 3 Nov: one month ends Thu 3 Dec; with one more month, Sun 3 Jan 2027 → Mon 4 Jan.
    assert.deepEqual(dueDateFor({ regime: 'gdpr', receivedOn: '2026-11-03' }, [], rule), { dueOn: '2026-12-03' });
    assert.deepEqual(dueDateFor({ regime: 'gdpr', receivedOn: '2026-11-03' }, [{ amount: 1, unit: 'months', reason: 'volume', at: '' }], rule), {
      dueOn: '2027-01-04',
      dueRule: { periodEndsOn: '2027-01-03', reason: 'weekend' },
    });
    // Two days paused: Sat 5 Dec → Mon 7 Dec.
    assert.deepEqual(dueDateFor({ regime: 'gdpr', receivedOn: '2026-11-03', pausedDays: 2 }, [], rule), {
      dueOn: '2026-12-07',
      dueRule: { periodEndsOn: '2026-12-05', reason: 'weekend' },
    });
  });
});
