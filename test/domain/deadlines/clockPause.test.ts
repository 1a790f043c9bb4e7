import assert from 'node:assert/strict';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { Decision } from '../../../domain/requests/requestService';
import { Refusal } from '../../../domain/refusal';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

const DAY = 24 * 3600_000;

describe('pausing the clock while waiting for the subject', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
  });
  afterEach(() => f.close());

  it('GDPR: the days it stood still move the due date; the subject’s answer restarts it in the same write', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    assert.equal(request.dueOn, '2026-02-28');
    f.clock.advance(2 * DAY);
    const paused = await f.requests.pause(PEOPLE.alex, request.reference, 'Waiting for proof of identity');
    assert.equal(paused.pause?.since, '2026-02-02');
    f.clock.advance(5 * DAY);
    const answered = await f.requests.respond(PEOPLE.megan, request.id, Decision.Approve);
    assert.equal(answered.pause, undefined);
    assert.equal(answered.pausedDays, 5);
    assert.equal(answered.dueOn, '2026-03-05');
    const trail = await f.store.auditTrail(request.id);
    const resumed = trail.find((e) => e.type === AuditEventType.ClockResumed)!;
    assert.deepEqual({ days: resumed.detail.days, from: resumed.detail.from, to: resumed.detail.to }, { days: 5, from: '2026-02-28', to: '2026-03-05' });
    assert.ok(trail.some((e) => e.type === AuditEventType.ClockPaused));
  });

  it('`resume` restarts it by hand; an extension counts on top of the paused days', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    await f.requests.pause(PEOPLE.alex, request.reference, 'Asked which systems they mean');
    f.clock.advance(3 * DAY);
    const resumed = await f.requests.resume(PEOPLE.alex, request.reference);
    assert.equal(resumed.dueOn, '2026-03-03');
    const extended = await f.requests.extend(PEOPLE.alex, request.reference, 1, 'Large volume of records');
    assert.equal(extended.dueOn, '2026-04-03', 'two months from receipt (31 March) plus the 3 paused days');
  });

  it('refuses CCPA, a second pause, no reason, and non-admins — changing nothing', async () => {
    const ccpa = await f.requests.file(PEOPLE.alex, { subject: await f.subject('adelev@example.com'), regime: 'ccpa', receivedOn: '2026-01-31' });
    const gdpr = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    const refused = (p: Promise<unknown>, pattern: RegExp) => assert.rejects(p, (e: unknown) => e instanceof Refusal && pattern.test(e.sentence));
    await refused(f.requests.pause(PEOPLE.alex, ccpa.reference, 'waiting for them'), /CCPA does not allow the clock to stop/);
    await refused(f.requests.pause(PEOPLE.isaiah, gdpr.reference, 'waiting for them'), /Only privacy admins can pause a deadline/);
    await refused(f.requests.pause(PEOPLE.alex, gdpr.reference, ''), /a reason is needed/);
    await f.requests.pause(PEOPLE.alex, gdpr.reference, 'waiting for them');
    await refused(f.requests.pause(PEOPLE.alex, gdpr.reference, 'again'), /has been paused since/);
    assert.equal((await f.store.get(ccpa.id))!.pause, undefined);
  });
});
