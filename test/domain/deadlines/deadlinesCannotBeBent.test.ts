import assert from 'node:assert/strict';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { amend } from '../../../domain/requests/changes';
import { Decision } from '../../../domain/requests/requestService';
import { Refusal } from '../../../domain/refusal';
import { PEOPLE } from '../../helpers/domainFixture';
import { workingDayFixture } from './support/workingDayService';

const DAY = 24 * 3600_000;

/** Refused with this sentence, ending in "Nothing was changed." */
const refused = (p: Promise<unknown>, pattern: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof Refusal && pattern.test(e.sentence) && e.sentence.endsWith('Nothing was changed.'));

describe('deadlines cannot be bent (issue 12.5)', () => {
  let f: Awaited<ReturnType<typeof workingDayFixture>>;
  beforeEach(async () => {
    f = await workingDayFixture('2026-09-20T09:00:00Z');
  });
  afterEach(() => f.close());

  const fileMegan = async () => f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-09-01' });
  const refusals = async (requestId: string, action: string) =>
    (await f.store.auditTrail(requestId)).filter((e) => e.type === AuditEventType.Refused && e.detail.action === action);

  it('an overdue request paused twice stays due on the date it was due (it used to move by weeks)', async () => {
    const request = await fileMegan();
    assert.equal(request.dueOn, '2026-10-01');
    // A pause within the period: the days it stood still count.
    f.clock.advance(5 * DAY); // 25 Sep
    await f.requests.pause(PEOPLE.alex, request.reference, 'Waiting for proof of identity');
    f.clock.advance(7 * DAY); // 2 Oct
    assert.equal((await f.requests.resume(PEOPLE.alex, request.reference)).dueOn, '2026-10-08');
    // Overdue now: pausing again would have added every day until the next resume.
    f.clock.advance(12 * DAY); // 14 Oct
    await refused(
      f.requests.pause(PEOPLE.alex, request.reference, 'Waiting for them again'),
      /^DSR-\d{4}-\d{4} cannot be paused: its due date, Thu 8 Oct 2026, has passed, and a clock that has run out cannot be stopped/,
    );
    f.clock.advance(20 * DAY);
    await refused(f.requests.resume(PEOPLE.alex, request.reference), /^DSR-\d{4}-\d{4} is not paused\. Nothing was changed\.$/);
    const stored = (await f.store.get(request.id))!;
    assert.equal(stored.dueOn, '2026-10-08');
    assert.equal(stored.pause, undefined);
    assert.equal(stored.pausedDays, 7);
    const [pauseRefusal] = await refusals(request.id, 'pause');
    assert.deepEqual({ pastDue: pauseRefusal?.detail.pastDue, dueOn: pauseRefusal?.detail.dueOn }, { pastDue: true, dueOn: '2026-10-08' });
  });

  it('pausing on the due date itself is still allowed (the day is not over)', async () => {
    const request = await fileMegan();
    f.clock.set('2026-10-01T20:00:00Z'); // 22:00 in Berlin, still 1 October
    assert.ok((await f.requests.pause(PEOPLE.alex, request.reference, 'Waiting for proof of identity')).pause);
  });

  it('refuses an extension once the due date has passed, with its own sentence, audited', async () => {
    const request = await fileMegan();
    f.clock.set('2026-10-02T09:00:00Z');
    await refused(
      f.requests.extensionOptions(PEOPLE.alex, request.reference),
      /cannot be extended: its due date, Thu 1 Oct 2026, has passed, and a deadline cannot be extended once it has run out/,
    );
    await refused(f.requests.extend(PEOPLE.alex, request.reference, 1, 'Large volume of records'), /its due date, Thu 1 Oct 2026, has passed/);
    assert.equal((await f.store.get(request.id))!.dueOn, '2026-10-01');
    assert.equal((await f.store.get(request.id))!.extensions, undefined);
    assert.equal((await refusals(request.id, 'extend')).length, 2);
  });

  it('`resume` refuses a request that is not paused, or closed, audited each time', async () => {
    const request = await fileMegan();
    await refused(f.requests.resume(PEOPLE.alex, request.reference), /^DSR-\d{4}-\d{4} is not paused\. Nothing was changed\.$/);
    await f.requests.pause(PEOPLE.alex, request.reference, 'Waiting for proof of identity');
    await f.requests.cancel(PEOPLE.alex, request.id, 'Subject withdrew the request');
    await refused(f.requests.resume(PEOPLE.alex, request.reference), /cannot be resumed: it is closed \(cancelled\), so its clock no longer runs/);
    assert.ok((await f.store.get(request.id))!.pause, 'the closed request is left as it was');
    assert.equal((await refusals(request.id, 'resume')).length, 2);
  });

  describe('a pause begun after the due date (recorded before this rule)', () => {
    /** Puts such a pause in the store directly: the service no longer lets one start. */
    const pausedLate = async () => {
      const request = await fileMegan();
      f.clock.set('2026-10-10T09:00:00Z');
      const change = amend(request, { pause: { since: '2026-10-10', reason: 'Waiting for them', by: PEOPLE.alex.objectId } }, [], f.clock.now());
      await f.store.update(change);
      f.clock.set('2026-10-20T09:00:00Z');
      return change.request;
    };

    it('`resume` refuses to add its days and says how to resume keeping the due date', async () => {
      const request = await pausedLate();
      await refused(
        f.requests.resume(PEOPLE.alex, request.reference),
        new RegExp(
          `cannot be resumed: its clock was paused on Sat 10 Oct 2026, after its due date, Thu 1 Oct 2026, had passed, so the days since then cannot be added to it\\. To start the clock again with the due date left at Thu 1 Oct 2026, type "resume ${request.reference} keeping the due date"`,
        ),
      );
      assert.ok((await f.store.get(request.id))!.pause);
      const [refusal] = await refusals(request.id, 'resume');
      assert.equal(refusal?.detail.pastDue, true);
    });

    it('`resume … keeping the due date` starts the clock with the date unchanged, and audits the days not counted', async () => {
      const request = await pausedLate();
      const resumed = await f.requests.resume(PEOPLE.alex, request.reference, { keepDueDate: true });
      assert.equal(resumed.pause, undefined);
      assert.equal(resumed.dueOn, '2026-10-01');
      const audit = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.ClockResumed)!;
      assert.deepEqual(
        { days: audit.detail.days, notCounted: audit.detail.daysNotCounted, to: audit.detail.to },
        { days: 0, notCounted: 10, to: '2026-10-01' },
      );
    });

    it('the subject’s answer ends it without adding its days either', async () => {
      const request = await pausedLate();
      const answered = await f.requests.respond(PEOPLE.megan, request.id, Decision.Approve);
      assert.equal(answered.dueOn, '2026-10-01');
      assert.equal(answered.pausedDays ?? 0, 0);
    });
  });
});
