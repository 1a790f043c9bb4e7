import assert from 'node:assert/strict';
import { buildChannelEventCard, buildRequestListCard, buildRequestStatusCard } from '../../cards';
import { RequestMoment } from '../../domain/delivery/notification';
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
      for (const secret of [SUBJECT_UPN, SUBJECT_MAIL, 'meganb', request.subject.objectId, request.id, 'Ticket 4711', 'I never asked', 'payroll.csv', SAMPLE_PACKAGE.blobName, SAMPLE_PACKAGE.sha256]) {
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

  it('the URL check does catch a URL (so the passes above mean something)', () => {
    const leaky = buildRequestStatusCard({ ...request, intakeNote: 'see https://tickets.example/4711' }, TODAY);
    assert.ok(URL_LIKE.test(JSON.stringify(leaky)));
    assert.equal(elementsOfType(leaky, 'Action.OpenUrl').length, 0);
  });
});
