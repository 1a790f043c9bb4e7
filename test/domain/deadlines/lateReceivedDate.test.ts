import assert from 'node:assert/strict';
import { lateEntryDays } from '../../../domain/deadlines/receivedDate';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { Refusal } from '../../../domain/refusal';
import { PEOPLE } from '../../helpers/domainFixture';
import { workingDayFixture } from './support/workingDayService';

describe('lateEntryDays', () => {
  it('counts days back from today: 90 is still within the default bound, 91 is not', () => {
    assert.equal(lateEntryDays('2026-09-06', '2026-12-05', 90), undefined);
    assert.equal(lateEntryDays('2026-09-05', '2026-12-05', 90), 91);
  });
});

describe('a received date long ago needs a reason (issue 12.5)', () => {
  let f: Awaited<ReturnType<typeof workingDayFixture>>;
  afterEach(() => f.close());

  it('the domain refuses a date beyond the bound without a reason, and nothing is filed', async () => {
    f = await workingDayFixture('2026-12-05T09:00:00Z');
    const subject = await f.subject('meganb@example.com');
    for (const lateEntryReason of [undefined, '  ', 'typo']) {
      await assert.rejects(
        f.requests.file(PEOPLE.alex, { subject, regime: 'gdpr', receivedOn: '2026-08-01', ...(lateEntryReason !== undefined ? { lateEntryReason } : {}) }),
        (e: unknown) =>
          e instanceof Refusal &&
          e.sentence ===
            'Sat 1 Aug 2026 was 126 days ago, more than the 90 days Privacy Desk accepts without a reason: if that date is right, give the reason the request is recorded only now (it goes into the audit trail). Nothing was filed.',
      );
    }
    assert.equal(await f.store.findOpenBySubject(subject.objectId), undefined);
  });

  it('with a reason it is filed, and the reason goes into the audit trail with the filing', async () => {
    f = await workingDayFixture('2026-12-05T09:00:00Z');
    const request = await f.requests.file(PEOPLE.alex, {
      subject: await f.subject('meganb@example.com'),
      regime: 'gdpr',
      receivedOn: '2026-08-01',
      lateEntryReason: 'Letter found in the post room on 2026-12-01',
    });
    assert.equal(request.dueOn, '2026-09-01');
    const filed = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.Filed)!;
    assert.deepEqual(
      { reason: filed.detail.lateEntryReason, days: filed.detail.receivedDaysAgo },
      { reason: 'Letter found in the post room on 2026-12-01', days: 126 },
    );
  });

  it('a date within the bound needs no reason, and none is recorded', async () => {
    f = await workingDayFixture('2026-12-05T09:00:00Z');
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-09-06' });
    const filed = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.Filed)!;
    assert.equal(filed.detail.lateEntryReason, undefined);
  });

  it('the bound is the tenant’s setting', async () => {
    f = await workingDayFixture('2026-12-05T09:00:00Z', { receivedDateMaxAgeDays: 30 });
    await assert.rejects(
      f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-11-01' }),
      /34 days ago, more than the 30 days/,
    );
  });
});
