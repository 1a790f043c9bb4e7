import assert from 'node:assert/strict';
import {
  ALL_EVENTS,
  ALL_STATES,
  canTake,
  IllegalTransition,
  isOpen,
  nextState,
  RequestEvent as E,
  RequestState as S,
  type RequestEvent,
  type RequestState,
} from '../../../domain/requests/lifecycle';

/** The lifecycle written out as a list, independently of the table in the source. */
const ALLOWED: ReadonlyArray<[RequestState, RequestEvent, RequestState]> = [
  [S.Filed, E.AskSubject, S.AwaitingConfirmation],
  [S.Filed, E.Confirm, S.Confirmed],
  [S.Filed, E.Cancel, S.Cancelled],
  [S.AwaitingConfirmation, E.Confirm, S.Confirmed],
  [S.AwaitingConfirmation, E.Decline, S.Declined],
  [S.AwaitingConfirmation, E.Lapse, S.Unconfirmed],
  [S.AwaitingConfirmation, E.Cancel, S.Cancelled],
  [S.Confirmed, E.StartExport, S.Exporting],
  [S.Confirmed, E.Cancel, S.Cancelled],
  [S.Exporting, E.ExportSucceeded, S.Ready],
  [S.Exporting, E.ExportFailed, S.Failed],
  [S.Ready, E.Deliver, S.Delivered],
  [S.Delivered, E.Complete, S.Completed],
  [S.Completed, E.Purge, S.Purged],
  [S.Failed, E.Retry, S.Confirmed],
  [S.Failed, E.Cancel, S.Cancelled],
];

describe('request lifecycle', () => {
  for (const [from, event, to] of ALLOWED) {
    it(`${from} --${event}--> ${to}`, () => {
      assert.equal(nextState(from, event), to);
      assert.equal(canTake(from, event), true);
    });
  }

  it('refuses every other pair of state and event', () => {
    let refused = 0;
    for (const from of ALL_STATES) {
      for (const event of ALL_EVENTS) {
        if (ALLOWED.some(([f, e]) => f === from && e === event)) continue;
        assert.equal(canTake(from, event), false, `${from} + ${event}`);
        assert.throws(() => nextState(from, event), IllegalTransition);
        refused += 1;
      }
    }
    assert.equal(refused, ALL_STATES.length * ALL_EVENTS.length - ALLOWED.length);
  });

  it('treats declined, unconfirmed, cancelled and purged as final', () => {
    for (const state of [S.Declined, S.Unconfirmed, S.Cancelled, S.Purged]) {
      assert.deepEqual(
        ALL_EVENTS.filter((e) => canTake(state, e)),
        [],
        state,
      );
    }
  });

  it('holds the subject’s slot only while a request is open', () => {
    assert.deepEqual(ALL_STATES.filter(isOpen).sort(), [S.AwaitingConfirmation, S.Confirmed, S.Exporting, S.Failed, S.Filed, S.Ready].sort());
  });
});
