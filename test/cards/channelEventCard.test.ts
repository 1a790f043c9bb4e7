import assert from 'node:assert/strict';
import { buildChannelEventCard, CHANNEL_HEADLINE } from '../../cards/channelEventCard';
import { RequestMoment } from '../../domain/delivery/notification';
import { allActions, visibleText } from './support/cardTree';
import { STATE_AFTER } from './support/allCards';
import { makeRequest, TODAY } from './support/fixtures';

describe('cards/channelEventCard', () => {
  const failure = { source: 'hr-system', reason: 'Row 12: salary 4200 for Megan Bowen is malformed' };

  for (const moment of Object.values(RequestMoment)) {
    it(`${moment}: headline, reference, subject, regime, due; no actions`, () => {
      const card = buildChannelEventCard(makeRequest({ state: STATE_AFTER[moment], failure }), moment, TODAY);
      const text = visibleText(card);
      assert.ok(text.startsWith(CHANNEL_HEADLINE[moment]), text);
      for (const expected of ['DSR-2026-0007', 'Megan Bowen', 'GDPR (Art. 15 access, Art. 20 portability)', 'Thu 26 Mar 2026']) {
        assert.ok(text.includes(expected), `${moment}: missing ${expected}`);
      }
      assert.deepEqual(allActions(card), []);
      assert.equal(text.includes('hr-system'), moment === 'failed', 'the failing source, on failed only');
      assert.ok(!text.includes('salary'), 'never the failure message: it may quote exported data');
    });
  }

  it('counts down while open and shows the state once closed', () => {
    assert.ok(visibleText(buildChannelEventCard(makeRequest({ state: 'confirmed' }), 'confirmed', TODAY)).includes('24 days left'));
    assert.ok(visibleText(buildChannelEventCard(makeRequest({ state: 'declined' }), 'declined', TODAY)).includes('Thu 26 Mar 2026 · Declined by the data subject'));
  });

  it('has a distinct headline for every moment', () => {
    assert.equal(new Set(Object.values(CHANNEL_HEADLINE)).size, Object.values(RequestMoment).length);
  });
});
