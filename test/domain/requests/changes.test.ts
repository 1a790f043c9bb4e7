import assert from 'node:assert/strict';
import { SYSTEM_ACTOR } from '../../../domain/actor';
import { ANSWERING_EVENTS, transition } from '../../../domain/requests/changes';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { RequestEvent, RequestState } from '../../../domain/requests/lifecycle';
import { makeRequest } from '../../cards/support/fixtures';

const at = (iso: string) => new Date(iso);

/** Applies the events in turn, a day apart from 1 March, returning the request after each. */
function through(request: ExportRequest, events: RequestEvent[]): ExportRequest[] {
  const after: ExportRequest[] = [];
  let current = request;
  events.forEach((event, day) => {
    current = transition(current, event, SYSTEM_ACTOR, at(`2026-03-${String(day + 1).padStart(2, '0')}T10:00:00Z`)).request;
    after.push(current);
  });
  return after;
}

describe('transition: when a request was answered', () => {
  it('the link delivered sets answeredAt; closing it and deleting the package after retention keep it', () => {
    const [, , delivered, completed, purged] = through(makeRequest({ state: RequestState.Confirmed }), [
      RequestEvent.StartExport,
      RequestEvent.ExportSucceeded,
      RequestEvent.Deliver,
      RequestEvent.Complete,
      RequestEvent.Purge,
    ]);
    assert.equal(delivered!.answeredAt, '2026-03-03T10:00:00.000Z');
    assert.equal(completed!.answeredAt, '2026-03-03T10:00:00.000Z');
    assert.equal(purged!.answeredAt, '2026-03-03T10:00:00.000Z');
    assert.equal(purged!.updatedAt, '2026-03-05T10:00:00.000Z');
  });

  it('declined, cancelled and lapsed are answers; a failed export is not (it is still open)', () => {
    for (const event of [RequestEvent.Decline, RequestEvent.Cancel, RequestEvent.Lapse]) {
      assert.equal(through(makeRequest({ state: RequestState.AwaitingConfirmation }), [event])[0]!.answeredAt, '2026-03-01T10:00:00.000Z', event);
    }
    const [, failed, cancelled] = through(makeRequest({ state: RequestState.Confirmed }), [
      RequestEvent.StartExport,
      RequestEvent.ExportFailed,
      RequestEvent.Cancel,
    ]);
    assert.equal(failed!.answeredAt, undefined);
    assert.equal(cancelled!.answeredAt, '2026-03-03T10:00:00.000Z');
    assert.deepEqual([...ANSWERING_EVENTS].sort(), [RequestEvent.Cancel, RequestEvent.Decline, RequestEvent.Deliver, RequestEvent.Lapse].sort());
  });

  it('an answer already recorded is never replaced', () => {
    const answered = makeRequest({ state: RequestState.AwaitingConfirmation, answeredAt: '2026-02-01T08:00:00.000Z' });
    assert.equal(transition(answered, RequestEvent.Decline, SYSTEM_ACTOR, at('2026-03-01T10:00:00Z')).request.answeredAt, '2026-02-01T08:00:00.000Z');
  });
});
