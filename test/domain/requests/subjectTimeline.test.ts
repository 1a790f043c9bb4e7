import { strict as assert } from 'node:assert';
import { SYSTEM_ACTOR, userActor } from '../../../domain/actor';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { auditEvent } from '../../../domain/requests/changes';
import { RequestEvent, RequestState } from '../../../domain/requests/lifecycle';
import { subjectTimeline } from '../../../domain/requests/subjectTimeline';

const REQUEST_ID = '9a0b1c2d-0000-4000-8000-000000000001';
const ADMIN = userActor('a1b2c3d4-0001-4000-8000-00000000a001');
const at = (minute: number) => new Date(Date.UTC(2026, 2, 10, 9, minute));

describe('subjectTimeline: a request’s history as its subject reads it', () => {
  const trail = [
    auditEvent(REQUEST_ID, ADMIN, AuditEventType.Filed, at(0), { reference: 'DSR-2026-0007', intakeNote: 'asked by phone' }),
    auditEvent(REQUEST_ID, ADMIN, AuditEventType.Transitioned, at(0), {
      event: RequestEvent.AskSubject,
      from: RequestState.Filed,
      to: RequestState.AwaitingConfirmation,
    }),
    auditEvent(REQUEST_ID, ADMIN, AuditEventType.Assigned, at(1), { assignee: 'Alex Wilber' }),
    auditEvent(REQUEST_ID, userActor('a1b2c3d4-0004-4000-8000-00000000a004'), AuditEventType.Refused, at(2), { code: 'not_an_admin' }),
    auditEvent(REQUEST_ID, ADMIN, AuditEventType.DeadlineExtended, at(3), { from: '2026-04-10', to: '2026-06-10', by: 'two months' }),
    auditEvent(REQUEST_ID, SYSTEM_ACTOR, AuditEventType.ExportFailed, at(4), { source: 'app-telemetry', reason: 'db-7.internal refused', willRetry: true }),
    auditEvent(REQUEST_ID, SYSTEM_ACTOR, AuditEventType.Transitioned, at(5), {
      event: RequestEvent.ExportSucceeded,
      from: RequestState.Exporting,
      to: RequestState.Ready,
    }),
    auditEvent(REQUEST_ID, SYSTEM_ACTOR, AuditEventType.LinkIssued, at(6), { recipient: 'subject', expiresAt: '2026-03-17T09:06:00.000Z' }),
  ];

  it('tells what happened and when, in order, in plain words', () => {
    assert.deepEqual(subjectTimeline({ selfService: false }, trail), [
      { at: at(0).toISOString(), text: 'The privacy team filed a request for a copy of your personal data.' },
      { at: at(0).toISOString(), text: 'We asked you to confirm the request.' },
      { at: at(3).toISOString(), text: 'The deadline was extended to 2026-06-10.' },
      { at: at(5).toISOString(), text: 'Your copy is ready. We are sending you the download link.' },
      { at: at(6).toISOString(), text: 'A download link was issued, valid until 2026-03-17.' },
    ]);
  });

  it('keeps out the privacy team’s record: who handles it, notes, refusals, the engine’s errors', () => {
    const text = JSON.stringify(subjectTimeline({ selfService: false }, trail));
    for (const internal of ['Alex', 'asked by phone', 'not_an_admin', 'db-7', 'app-telemetry']) assert.ok(!text.includes(internal), internal);
  });

  it('says "you asked" for a request the subject filed', () => {
    assert.equal(subjectTimeline({ selfService: true }, trail.slice(0, 1))[0]?.text, 'You asked for a copy of your personal data.');
  });
});
