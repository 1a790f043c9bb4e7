import assert from 'node:assert/strict';
import {
  buildChannelAdminCard,
  buildChannelEventCard,
  buildDeadlineAlertCard,
  buildDigestCard,
  buildRequestListCard,
  buildRequestStatusCard,
  StatusAudience,
} from '../../cards';
import { DeadlineAlert, RequestMoment } from '../../domain/delivery/notification';
import { ALL_STATES } from '../../domain/requests/lifecycle';
import { STATE_AFTER } from './support/allCards';
import { allActions, elementsOfType } from './support/cardTree';
import { makeRequest, SAMPLE_PACKAGE, SUBJECT_MAIL, SUBJECT_UPN, TODAY } from './support/fixtures';

/** Anything a URL or an address could look like, including the `$schema` every template carries. */
const URL_LIKE = /https?:|www\.|:\/\/|\.blob\.|@/i;

describe('cards: least data in the channel and in status cards', () => {
  const request = makeRequest({
    package: SAMPLE_PACKAGE,
    intakeNote: 'Ticket 4711',
    declineReason: 'I never asked for this',
    failure: { source: 'hr-system', reason: 'Row 12 of payroll.csv is malformed' },
  });

  for (const moment of Object.values(RequestMoment)) {
    it(`channel (${moment}): no UPN, mail, URL, object id, request id, note, reason or package detail`, () => {
      const json = JSON.stringify(buildChannelEventCard({ ...request, state: STATE_AFTER[moment] }, moment, TODAY));
      for (const secret of [
        SUBJECT_UPN,
        SUBJECT_MAIL,
        'meganb',
        request.subject.objectId,
        request.id,
        'Ticket 4711',
        'I never asked',
        'payroll.csv',
        SAMPLE_PACKAGE.blobName,
        SAMPLE_PACKAGE.sha256,
      ]) {
        assert.ok(!json.includes(secret), `${moment}: carries ${secret}`);
      }
      assert.ok(!URL_LIKE.test(json), `${moment}: looks like it carries a URL or address: ${json}`);
    });
  }

  for (const state of ALL_STATES) {
    it(`status (${state}): no UPN, mail, URL or object id, no package detail, no action`, () => {
      const card = buildRequestStatusCard({ ...request, state }, TODAY, 'Alex Wilber filed DSR-2026-0007');
      const json = JSON.stringify(card);
      for (const secret of [SUBJECT_UPN, SUBJECT_MAIL, request.subject.objectId, SAMPLE_PACKAGE.blobName, SAMPLE_PACKAGE.sha256]) {
        assert.ok(!json.includes(secret), `${state}: carries ${secret}`);
      }
      assert.ok(!URL_LIKE.test(json), `${state}: looks like it carries a URL or address`);
      assert.deepEqual(allActions(card), []);
    });
  }

  it('the list card: no UPN, mail or URL either', () => {
    const json = JSON.stringify(buildRequestListCard([request], TODAY, 'all'));
    assert.ok(!json.includes(SUBJECT_UPN) && !json.includes(SUBJECT_MAIL));
    assert.ok(!URL_LIKE.test(json));
  });

  describe('internal notes and reasons', () => {
    /** Everything the privacy team writes or is told about a request that only admins in 1:1 may read. */
    const noted = makeRequest({
      package: SAMPLE_PACKAGE,
      intakeNote: 'Ticket 4711 from her lawyer',
      identityVerification: 'Passport checked by HR',
      assignee: { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', displayName: 'Patti Fernandez' },
      declineReason: 'I never asked for this',
      cancelReason: 'Duplicate of a mailed request',
      failure: { source: 'hr-system', reason: 'Row 12 of payroll.csv is malformed' },
      pause: { since: '2026-03-01', reason: 'her new postal address' },
      extensions: [{ amount: 1, unit: 'months', reason: 'Records in three systems', at: '2026-03-01T10:00:00Z' }],
    });
    const INTERNAL = ['Ticket 4711', 'Passport checked', 'Patti Fernandez'];
    const REASONS = ['I never asked', 'Duplicate of a mailed', 'payroll.csv', 'postal address', 'three systems'];
    const ADDRESSES = [SUBJECT_UPN, SUBJECT_MAIL, 'meganb', noted.subject.objectId];

    function assertCarriesNone(card: unknown, words: readonly string[], what: string): void {
      const json = JSON.stringify(card);
      for (const word of words) assert.ok(!json.includes(word), `${what}: carries ${word}`);
      assert.ok(!URL_LIKE.test(json), `${what}: looks like it carries a URL or address: ${json}`);
    }

    for (const state of ALL_STATES) {
      it(`status for the subject (${state}): no intake note, identity verification or assignee`, () => {
        assertCarriesNone(buildRequestStatusCard({ ...noted, state }, TODAY, undefined, StatusAudience.Subject), [...INTERNAL, ...ADDRESSES], state);
      });

      it(`status in the privacy channel (${state}): no note, reason, address or link`, () => {
        assertCarriesNone(
          buildRequestStatusCard({ ...noted, state }, TODAY, undefined, StatusAudience.Channel),
          [...INTERNAL, ...REASONS, ...ADDRESSES, 'hr-system'],
          state,
        );
      });
    }

    for (const moment of Object.values(RequestMoment)) {
      it(`channel event (${moment}): no note, reason, assignee, address or link`, () => {
        assertCarriesNone(buildChannelEventCard({ ...noted, state: STATE_AFTER[moment] }, moment, TODAY), [...INTERNAL, ...REASONS, ...ADDRESSES], moment);
      });
    }

    for (const alert of Object.values(DeadlineAlert)) {
      it(`deadline alert (${alert}): no note, reason, assignee, address or link`, () => {
        assertCarriesNone(buildDeadlineAlertCard(noted, alert, TODAY), [...INTERNAL, ...REASONS, ...ADDRESSES], alert);
      });
    }

    it('digest: no note, reason, assignee, address or link', () => {
      const group = { count: 2, mostUrgent: [noted, { ...noted, state: 'failed' as const }] };
      assertCarriesNone(
        buildDigestCard({ date: TODAY, overdue: group, dueThisWeek: group, awaitingConfirmation: group, failed: group }),
        [...INTERNAL, ...REASONS, ...ADDRESSES],
        'digest',
      );
    });

    for (const state of ALL_STATES) {
      it(`the channel's admin view (${state}): who handles it, but no note, reason, address or link`, () => {
        const card = buildChannelAdminCard({ ...noted, state }, TODAY, undefined, [{ objectId: 'x', displayName: 'Alex Wilber' }]);
        assertCarriesNone(card, ['Ticket 4711', 'Passport checked', ...REASONS, ...ADDRESSES], state);
      });
    }
  });

  it('the URL check does catch a URL (so the passes above mean something)', () => {
    const leaky = buildRequestStatusCard({ ...request, intakeNote: 'see https://tickets.example/4711' }, TODAY, undefined, StatusAudience.Admin);
    assert.ok(URL_LIKE.test(JSON.stringify(leaky)));
    assert.equal(elementsOfType(leaky, 'Action.OpenUrl').length, 0);
  });
});
