import assert from 'node:assert/strict';
import { NotificationKind } from '../../../domain/delivery/notification';
import { Refusal, RefusalCode } from '../../../domain/refusal';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { ConcurrencyConflict } from '../../../domain/requests/requestStore';
import {
  AnswerRefusal,
  type AnswerRefusalReason,
  Decision,
  MAX_ANSWERS_PER_PAUSE,
  MAX_KEPT_ANSWERS,
  MAX_SUBJECT_ANSWER,
} from '../../../domain/requests/requestService';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

const DAY = 24 * 3600_000;
const MINUTE = 60_000;

describe('a paused request: the subject is asked, and their answer reaches the admins', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
  });
  afterEach(() => f.close());

  /** Everything the outbox holds now (settled, so each call sees only what was queued since the last). */
  async function queued() {
    const claimed = await f.store.claimNotifications('test', f.clock.now(), MINUTE, 100);
    for (const c of claimed) await f.store.completeNotification(c.notification.id, 'test', 'sent');
    return claimed.map((c) => ({ kind: c.notification.kind, recipientId: c.notification.recipientId, requestId: c.notification.requestId }));
  }

  async function fileForMegan(regime: 'gdpr' | 'ccpa' = 'gdpr'): Promise<ExportRequest> {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime, receivedOn: '2026-01-31' });
    await queued(); // the confirmation card and the channel post of the filing
    return request;
  }

  async function pausedForMegan(): Promise<ExportRequest> {
    const request = await fileForMegan();
    await f.requests.pause(PEOPLE.alex, request.reference, 'A copy of your ID card');
    await queued();
    return (await f.store.get(request.id))!;
  }

  const refusedWith = (reason: AnswerRefusalReason) => (e: unknown) => e instanceof AnswerRefusal && e.reason === reason;

  describe('pause', () => {
    it('queues, in the same write, a notice to the subject; records who paused; audits that the subject is told', async () => {
      const request = await fileForMegan();
      const paused = await f.requests.pause(PEOPLE.alex, request.reference, 'A copy of your ID card');
      assert.deepEqual(paused.pause, { since: '2026-01-31', reason: 'A copy of your ID card', by: PEOPLE.alex.objectId });
      assert.deepEqual(await queued(), [{ kind: NotificationKind.PauseNotice, recipientId: PEOPLE.megan.objectId, requestId: request.id }]);
      const audit = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.ClockPaused)!;
      assert.equal(audit.detail.subjectTold, true);
    });

    it('tells nobody in Teams when the subject’s account is disabled (the admin asks them otherwise)', async () => {
      const request = await f.requests.file(PEOPLE.alex, {
        subject: await f.subject('gradya@example.com'),
        regime: 'gdpr',
        receivedOn: '2026-01-31',
        identityVerification: 'Passport seen by HR',
      });
      await queued();
      await f.requests.pause(PEOPLE.alex, request.reference, 'Their current postal address');
      assert.deepEqual(await queued(), []);
      assert.equal((await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.ClockPaused)!.detail.subjectTold, false);
    });

    it('a refused pause queues nothing', async () => {
      const request = await fileForMegan('ccpa');
      await assert.rejects(f.requests.pause(PEOPLE.alex, request.reference, 'A copy of your ID card'), Refusal);
      assert.deepEqual(await queued(), []);
    });
  });

  describe('recordSubjectAnswer', () => {
    it('keeps the words on the request, audits the length only, and passes them on in the same write; the clock stays paused', async () => {
      const request = await pausedForMegan();
      f.clock.advance(2 * DAY);
      const { request: answered, answer } = await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, '  Here is my ID: 1234-5678\nMegan  ');
      assert.deepEqual(answer, { at: '2026-02-02T09:00:00.000Z', text: 'Here is my ID: 1234-5678\nMegan' });
      const stored = (await f.store.get(request.id))!;
      assert.deepEqual(stored.subjectAnswers, [answer]);
      assert.deepEqual(stored, answered);
      assert.equal(stored.pause?.since, '2026-01-31', 'still paused');
      assert.equal(stored.pause?.answers, 1);
      assert.equal(stored.dueOn, request.dueOn);
      assert.equal(stored.state, request.state);

      const audit = (await f.store.auditTrail(request.id)).filter((e) => e.type === AuditEventType.SubjectAnswered);
      assert.equal(audit.length, 1);
      assert.deepEqual(audit[0]!.actor, PEOPLE.megan);
      assert.deepEqual(audit[0]!.detail, { length: 30, truncated: false, answer: 1, readers: 1 });
      assert.ok(!JSON.stringify(await f.store.auditTrail(request.id)).includes('1234-5678'), 'the words are not in the audit trail');

      // Alex filed and paused: one 1:1 card for him, and a post in the channel thread.
      assert.deepEqual(await queued(), [
        { kind: NotificationKind.ChannelSubjectAnswered, recipientId: undefined, requestId: request.id },
        { kind: NotificationKind.SubjectAnswered, recipientId: PEOPLE.alex.objectId, requestId: request.id },
      ]);
    });

    it('tells whoever paused, whoever has the request and whoever filed it — each once', async () => {
      const filed = await fileForMegan();
      // Assigned to someone else (written directly: the demo directory has one admin).
      await f.store.update({
        request: { ...filed, assignee: { objectId: PEOPLE.adele.objectId, displayName: 'Adele Vance' }, version: filed.version + 1 },
        expectedVersion: filed.version,
        audit: [],
        notifications: [],
      });
      const request = filed;
      await f.requests.pause(PEOPLE.alex, request.reference, 'A copy of your ID card');
      await queued();
      await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'Sent by post');
      const readers = (await queued()).filter((n) => n.kind === NotificationKind.SubjectAnswered).map((n) => n.recipientId);
      assert.deepEqual(readers, [PEOPLE.alex.objectId, PEOPLE.adele.objectId]);
    });

    it('a self-service request: the subject (its "requester") never gets the admins’ card; the admin who paused does', async () => {
      const request = await f.requests.fileForSelf(PEOPLE.megan);
      await f.requests.pause(PEOPLE.alex, request.reference, 'Which systems do you mean?');
      await queued();
      await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'Only the HR system');
      assert.deepEqual(
        (await queued()).map((n) => [n.kind, n.recipientId]),
        [
          [NotificationKind.ChannelSubjectAnswered, undefined],
          [NotificationKind.SubjectAnswered, PEOPLE.alex.objectId],
        ],
      );
    });

    it('only the subject may answer: anyone else is refused, audited, and nothing changes', async () => {
      const request = await pausedForMegan();
      for (const who of [PEOPLE.alex, PEOPLE.isaiah]) {
        await assert.rejects(
          f.requests.recordSubjectAnswer(who, request.id, 'I am Megan, honestly'),
          (e: unknown) => e instanceof Refusal && e.code === RefusalCode.NotTheSubject && /Only Megan Bowen can answer/.test(e.sentence),
        );
      }
      assert.deepEqual(await f.store.get(request.id), request);
      assert.deepEqual(await queued(), []);
      const refusals = (await f.store.auditTrail(request.id)).filter((e) => e.type === AuditEventType.Refused && e.detail.action === 'answer');
      assert.deepEqual(
        refusals.map((e) => e.actor.objectId),
        [PEOPLE.alex.objectId, PEOPLE.isaiah.objectId],
      );
    });

    it('refuses when nothing is waiting: never paused, resumed, answered on the confirmation card, closed', async () => {
      const notPaused = await fileForMegan();
      await assert.rejects(f.requests.recordSubjectAnswer(PEOPLE.megan, notPaused.id, 'Hello'), refusedWith('not_waiting'));

      await f.requests.pause(PEOPLE.alex, notPaused.reference, 'A copy of your ID card');
      await f.requests.resume(PEOPLE.alex, notPaused.reference);
      await assert.rejects(f.requests.recordSubjectAnswer(PEOPLE.megan, notPaused.id, 'Hello'), refusedWith('not_waiting'));

      await f.requests.pause(PEOPLE.alex, notPaused.reference, 'A copy of your ID card');
      await f.requests.respond(PEOPLE.megan, notPaused.id, Decision.Decline);
      await assert.rejects(f.requests.recordSubjectAnswer(PEOPLE.megan, notPaused.id, 'Hello'), refusedWith('not_waiting'));
      assert.equal((await f.store.get(notPaused.id))!.subjectAnswers, undefined);
    });

    it('an empty answer is refused and changes nothing', async () => {
      const request = await pausedForMegan();
      await assert.rejects(f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, '  \n '), refusedWith('empty'));
      assert.deepEqual(await f.store.get(request.id), request);
      assert.deepEqual(await queued(), []);
    });

    it(`an answer longer than ${MAX_SUBJECT_ANSWER} characters is cut with "…" and marked; the audit has the length written`, async () => {
      const request = await pausedForMegan();
      const { answer } = await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'x'.repeat(MAX_SUBJECT_ANSWER + 500));
      assert.equal(answer.text.length, MAX_SUBJECT_ANSWER);
      assert.ok(answer.text.endsWith('x…'));
      assert.equal(answer.truncated, true);
      const audit = (await f.store.auditTrail(request.id)).find((e) => e.type === AuditEventType.SubjectAnswered)!;
      assert.deepEqual({ length: audit.detail.length, truncated: audit.detail.truncated }, { length: MAX_SUBJECT_ANSWER + 500, truncated: true });
      const exact = await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'y'.repeat(MAX_SUBJECT_ANSWER));
      assert.deepEqual([exact.answer.text.length, exact.answer.truncated], [MAX_SUBJECT_ANSWER, undefined]);
    });

    it('never cuts through a character outside the Basic Multilingual Plane', async () => {
      const request = await pausedForMegan();
      const { answer } = await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, `${'a'.repeat(MAX_SUBJECT_ANSWER - 2)}😀😀😀`);
      assert.ok(answer.text.endsWith('a…'), 'the half emoji is dropped, not kept as a lone surrogate');
      assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(answer.text));
    });

    it(`accepts ${MAX_ANSWERS_PER_PAUSE} answers per pause, keeps the latest ${MAX_KEPT_ANSWERS}, and a new pause accepts more`, async () => {
      const request = await pausedForMegan();
      for (let i = 1; i <= MAX_ANSWERS_PER_PAUSE; i += 1) await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, `answer ${i}`);
      await queued();
      const before = await f.store.get(request.id);
      const trail = (await f.store.auditTrail(request.id)).length;
      await assert.rejects(f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'one more'), refusedWith('too_many'));
      assert.deepEqual(await f.store.get(request.id), before);
      assert.equal((await f.store.auditTrail(request.id)).length, trail, 'each further "thanks" does not grow the audit chain');
      assert.deepEqual(await queued(), [], 'a refused answer reaches nobody');

      await f.requests.resume(PEOPLE.alex, request.reference);
      await f.requests.pause(PEOPLE.alex, request.reference, 'And your new address');
      await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'answer 6');
      const kept = (await f.store.get(request.id))!.subjectAnswers!.map((a) => a.text);
      assert.equal(MAX_KEPT_ANSWERS, 5);
      assert.deepEqual(kept, ['answer 2', 'answer 3', 'answer 4', 'answer 5', 'answer 6'], 'the oldest dropped');
    });

    it('`resume` after the answer: the clock runs again, the paused days move the due date, the answers stay', async () => {
      const request = await pausedForMegan();
      f.clock.advance(4 * DAY);
      await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'Here you are');
      const resumed = await f.requests.resume(PEOPLE.alex, request.reference);
      assert.equal(resumed.pause, undefined);
      assert.equal(resumed.pausedDays, 4);
      assert.equal(resumed.dueOn, '2026-03-04');
      assert.deepEqual(
        resumed.subjectAnswers?.map((a) => a.text),
        ['Here you are'],
      );
    });

    it('when the request moved meanwhile (another write won), the answer is written again on top of it', async () => {
      const request = await pausedForMegan();
      const update = f.store.update.bind(f.store);
      let conflicts = 0;
      f.store.update = async (change) => {
        if (conflicts === 0 && change.audit.some((e) => e.type === AuditEventType.SubjectAnswered)) {
          conflicts += 1;
          // Another instance records a progress line first.
          const current = (await f.store.get(request.id))!;
          await update({
            request: { ...current, progress: 'elsewhere', version: current.version + 1 },
            expectedVersion: current.version,
            audit: [],
            notifications: [],
          });
          throw new ConcurrencyConflict(request.id);
        }
        return update(change);
      };
      await f.requests.recordSubjectAnswer(PEOPLE.megan, request.id, 'Here you are');
      const stored = (await f.store.get(request.id))!;
      assert.equal(conflicts, 1);
      assert.equal(stored.progress, 'elsewhere');
      assert.deepEqual(
        stored.subjectAnswers?.map((a) => a.text),
        ['Here you are'],
      );
    });
  });

  describe('awaitingAnswerFrom', () => {
    it('lists the subject’s open requests whose clock is paused, and nothing for anyone else', async () => {
      const request = await fileForMegan();
      assert.deepEqual(await f.requests.awaitingAnswerFrom(PEOPLE.megan), []);
      await f.requests.pause(PEOPLE.alex, request.reference, 'A copy of your ID card');
      assert.deepEqual(
        (await f.requests.awaitingAnswerFrom(PEOPLE.megan)).map((r) => r.reference),
        [request.reference],
      );
      assert.deepEqual(await f.requests.awaitingAnswerFrom(PEOPLE.alex), []);
      await f.requests.cancel(PEOPLE.alex, request.id, 'Filed twice by mistake');
      assert.deepEqual(await f.requests.awaitingAnswerFrom(PEOPLE.megan), [], 'closed, even though the pause was never lifted');
    });
  });
});
