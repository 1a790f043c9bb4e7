import assert from 'node:assert/strict';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { PEOPLE } from '../../helpers/domainFixture';
import { defaultWorkingDayRule, workingDayFixture } from './support/workingDayService';

const DAY = 24 * 3600_000;

describe('due dates on working days (issue 12.6)', () => {
  let f: Awaited<ReturnType<typeof workingDayFixture>>;
  afterEach(() => f.close());

  const file = async (query: string, regime: 'gdpr' | 'ccpa', receivedOn: string) =>
    f.requests.file(PEOPLE.alex, { subject: await f.subject(query), regime, receivedOn });

  it('GDPR: a period ending on a Saturday is due the Monday, and the request keeps why', async () => {
    f = await workingDayFixture('2026-11-10T09:00:00Z');
    const request = await file('meganb@example.com', 'gdpr', '2026-11-05');
    assert.equal(request.dueOn, '2026-12-07');
    assert.deepEqual(request.dueRule, { periodEndsOn: '2026-12-05', reason: 'weekend' });
    assert.deepEqual((await f.store.get(request.id))!.dueRule, request.dueRule);
    const filed = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.Filed)!;
    assert.deepEqual(
      { dueOn: filed.detail.dueOn, periodEndsOn: filed.detail.periodEndsOn, movedBecause: filed.detail.movedBecause },
      { dueOn: '2026-12-07', periodEndsOn: '2026-12-05', movedBecause: 'weekend' },
    );
  });

  it('GDPR: past Christmas, St Stephen’s Day and the weekend to Monday 28 December', async () => {
    f = await workingDayFixture('2026-11-26T09:00:00Z');
    const request = await file('meganb@example.com', 'gdpr', '2026-11-25');
    assert.equal(request.dueOn, '2026-12-28');
    assert.deepEqual(request.dueRule, { periodEndsOn: '2026-12-25', reason: 'holiday', holiday: 'Christmas Day (1. Weihnachtstag)' });
  });

  it('CCPA: calendar days by default (the rule is off for it), on when the tenant switches it on', async () => {
    f = await workingDayFixture('2026-11-10T09:00:00Z');
    const request = await file('adelev@example.com', 'ccpa', '2026-10-21');
    assert.equal(request.dueOn, '2026-12-05');
    assert.equal(request.dueRule, undefined);
    f.close();
    const rule = await defaultWorkingDayRule();
    f = await workingDayFixture('2026-11-10T09:00:00Z', { rule: { ...rule, appliesTo: { gdpr: true, ccpa: true } } });
    assert.equal((await file('adelev@example.com', 'ccpa', '2026-10-21')).dueOn, '2026-12-07');
  });

  it('an extension is decided within the first period as the rule ends it (Monday, not the Saturday)', async () => {
    f = await workingDayFixture('2026-11-10T09:00:00Z');
    const request = await file('meganb@example.com', 'gdpr', '2026-11-05');
    f.clock.set('2026-12-07T09:00:00Z');
    const { lengths } = await f.requests.extensionOptions(PEOPLE.alex, request.reference);
    assert.deepEqual(lengths, [1, 2]);
    // Two months from receipt: Tue 5 Jan 2027, a working day, so the Saturday's reason goes.
    const extended = await f.requests.extend(PEOPLE.alex, request.reference, 1, 'Large volume of records');
    assert.equal(extended.dueOn, '2027-01-05');
    assert.equal(extended.dueRule, undefined);
    // The extension notice says what the date was: the Monday the subject was told, not the Saturday.
    assert.equal(extended.extensions?.at(-1)?.fromDueOn, '2026-12-07');
  });

  it('an extension that ends on a weekend is due the next working day', async () => {
    f = await workingDayFixture('2026-11-10T09:00:00Z');
    const request = await file('meganb@example.com', 'gdpr', '2026-11-03');
    const extended = await f.requests.extend(PEOPLE.alex, request.reference, 1, 'Large volume of records');
    assert.equal(extended.dueOn, '2027-01-04');
    assert.deepEqual(extended.dueRule, { periodEndsOn: '2027-01-03', reason: 'weekend' });
    const audit = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.DeadlineExtended)!;
    assert.deepEqual({ to: audit.detail.to, periodEndsOn: audit.detail.periodEndsOn }, { to: '2027-01-04', periodEndsOn: '2027-01-03' });
  });

  it('on resume, the paused days are added to the period’s end and the rule applied to that', async () => {
    f = await workingDayFixture('2026-11-10T09:00:00Z');
    const request = await file('meganb@example.com', 'gdpr', '2026-11-03'); // ends Thu 3 Dec
    await f.requests.pause(PEOPLE.alex, request.reference, 'Waiting for proof of identity');
    f.clock.advance(3 * DAY);
    const resumed = await f.requests.resume(PEOPLE.alex, request.reference);
    assert.equal(resumed.dueOn, '2026-12-07', 'Sun 6 Dec → Mon 7 Dec');
    assert.deepEqual(resumed.dueRule, { periodEndsOn: '2026-12-06', reason: 'weekend' });
  });
});
