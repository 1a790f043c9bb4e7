import assert from 'node:assert/strict';
import { allowedExtensions, extendedDueDate } from '../../../domain/deadlines/extension';
import { NotificationKind } from '../../../domain/delivery/notification';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { Decision } from '../../../domain/requests/requestService';
import { Refusal, RefusalCode } from '../../../domain/refusal';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

const ext = (amount: number, unit: 'months' | 'days' = 'months') => ({ amount, unit, reason: 'volume', at: '' });

describe('deadline extensions', () => {
  it('count from receipt, so month ends clamp as the law reads', () => {
    assert.equal(extendedDueDate({ regime: 'gdpr', receivedOn: '2026-01-31' }, []), '2026-02-28');
    assert.equal(extendedDueDate({ regime: 'gdpr', receivedOn: '2026-01-31' }, [ext(2)]), '2026-04-30');
    assert.equal(extendedDueDate({ regime: 'gdpr', receivedOn: '2026-01-31' }, [ext(1), ext(1)]), '2026-04-30');
    assert.equal(extendedDueDate({ regime: 'gdpr', receivedOn: '2027-11-30' }, [ext(2)]), '2028-02-29', 'into a leap February');
    assert.equal(extendedDueDate({ regime: 'ccpa', receivedOn: '2026-01-01' }, [ext(45, 'days')]), '2026-04-01');
  });

  it('add the days the clock stood still, which come with the request', () => {
    const paused = { regime: 'gdpr', receivedOn: '2026-01-10', pausedDays: 5 } as const;
    assert.equal(extendedDueDate(paused, []), '2026-02-15');
    assert.equal(extendedDueDate(paused, [ext(1)]), '2026-03-15');
  });

  it('are allowed only within the first period and up to the regime’s maximum', () => {
    assert.deepEqual(allowedExtensions('gdpr', '2026-02-28', [], '2026-02-28'), [1, 2], 'on the last day of the first month');
    assert.deepEqual(allowedExtensions('gdpr', '2026-02-28', [], '2026-03-01'), [], 'a day too late');
    assert.deepEqual(allowedExtensions('gdpr', '2026-02-28', [ext(1)], '2026-02-20'), [1]);
    assert.deepEqual(allowedExtensions('gdpr', '2026-02-28', [ext(2)], '2026-02-20'), []);
    assert.deepEqual(allowedExtensions('ccpa', '2026-02-15', [], '2026-02-15'), [45]);
    assert.deepEqual(allowedExtensions('ccpa', '2026-02-15', [ext(45, 'days')], '2026-02-01'), [], 'CCPA: once');
  });

  describe('through RequestService', () => {
    let f: Awaited<ReturnType<typeof domainFixture>>;
    beforeEach(async () => {
      f = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
    });
    afterEach(() => f.close());

    async function megansRequest() {
      return f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    }

    it('extends, audits from → to, and owes the subject a notice with the reason', async () => {
      const request = await megansRequest();
      f.clock.set('2026-02-28T20:00:00Z'); // the last day of the first month (Berlin time)
      const extended = await f.requests.extend(PEOPLE.alex, request.reference, 2, 'Data spread across many systems');
      assert.equal(extended.dueOn, '2026-04-30');
      const audit = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.DeadlineExtended)!;
      assert.deepEqual({ from: audit.detail.from, to: audit.detail.to, by: audit.detail.by }, { from: '2026-02-28', to: '2026-04-30', by: '2 months' });
      const owed = await f.store.claimNotifications('t', f.clock.now(), 60_000, 10);
      const notices = owed.filter((n) => n.notification.kind === NotificationKind.DeadlineExtended);
      assert.deepEqual(
        notices.map((n) => n.notification.recipientId),
        [PEOPLE.megan.objectId],
      );
    });

    it('refuses a day too late, beyond the maximum, for a closed request, or for a non-admin — changing nothing', async () => {
      const request = await megansRequest();
      const refused = async (p: Promise<unknown>, pattern: RegExp) => assert.rejects(p, (e: unknown) => e instanceof Refusal && pattern.test(e.sentence));
      await refused(f.requests.extend(PEOPLE.isaiah, request.reference, 1, 'because'), /Only privacy admins can extend a deadline/);
      await f.requests.extend(PEOPLE.alex, request.reference, 2, 'Data spread across many systems');
      await refused(f.requests.extend(PEOPLE.alex, request.reference, 1, 'once more'), /already been extended as far as GDPR allows/);
      const other = await f.requests.file(PEOPLE.alex, { subject: await f.subject('adelev@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
      f.clock.set('2026-03-01T12:00:00Z');
      await refused(f.requests.extend(PEOPLE.alex, other.reference, 1, 'too late now'), /its due date, Sat 28 Feb 2026, has passed/);
      await f.requests.respond(PEOPLE.adele, other.id, Decision.Decline);
      await refused(f.requests.extensionOptions(PEOPLE.alex, other.reference), /it is closed/);
      assert.equal((await f.store.get(other.id))!.dueOn, '2026-02-28');
      await assert.rejects(
        f.requests.extend(PEOPLE.alex, request.reference, 1, 'x'),
        (e: unknown) => e instanceof Refusal && e.code === RefusalCode.NotAllowed,
      );
    });
  });
});
