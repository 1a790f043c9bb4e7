import assert from 'node:assert/strict';
import { buildChannelEventCard, CHANNEL_HEADLINE, KEPT_WITH_REQUEST } from '../../cards/channelEventCard';
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

  it('shows the due date the working-day rule produced and why it moved', () => {
    const request = makeRequest({ state: 'confirmed', dueOn: '2026-03-30', dueRule: { periodEndsOn: '2026-03-28', reason: 'weekend' } });
    const text = visibleText(buildChannelEventCard(request, 'confirmed', TODAY));
    assert.ok(text.includes('Mon 30 Mar 2026 · 28 days left (the period ended on Sat 28 Mar 2026, a weekend, so it ends on the next working day)'), text);
  });

  it('counts down while open and shows the state once closed', () => {
    assert.ok(visibleText(buildChannelEventCard(makeRequest({ state: 'confirmed' }), 'confirmed', TODAY)).includes('24 days left'));
    assert.ok(
      visibleText(buildChannelEventCard(makeRequest({ state: 'declined' }), 'declined', TODAY)).includes('Thu 26 Mar 2026 · Declined by the data subject'),
    );
  });

  it('where a reason or failure detail exists, says it is kept with the request and where to ask, instead of quoting it', () => {
    const reasons = { declineReason: 'I never asked for this', cancelReason: 'Duplicate of a mailed request', failure };
    const expected: Partial<Record<RequestMoment, RegExp>> = {
      declined: /^Any reason the data subject gave is kept with the request: ask me in our 1:1 chat\.$/,
      cancelled: /^The reason is kept with the request: ask me in our 1:1 chat\.$/,
      failed: /^What went wrong is kept with the request: ask me in our 1:1 chat\.$/,
    };
    for (const moment of Object.values(RequestMoment)) {
      const lines = visibleText(buildChannelEventCard(makeRequest({ state: STATE_AFTER[moment], ...reasons }), moment, TODAY)).split('\n');
      const kept = lines.filter((line) => /kept with the request/.test(line));
      if (expected[moment]) {
        assert.equal(kept.length, 1, moment);
        assert.match(kept[0]!, expected[moment]!);
        assert.equal(kept[0], KEPT_WITH_REQUEST[moment]);
      } else {
        assert.deepEqual(kept, [], moment);
      }
      assert.ok(!lines.some((line) => /never asked|Duplicate|salary/.test(line)), moment);
    }
  });

  it('the same sentence whether or not a reason was given: the card does not tell the team that the subject explained', () => {
    const withReason = buildChannelEventCard(makeRequest({ state: 'declined', declineReason: 'Not now' }), 'declined', TODAY);
    const without = buildChannelEventCard(makeRequest({ state: 'declined' }), 'declined', TODAY);
    assert.deepEqual(withReason, without);
  });

  it('has a distinct headline for every moment', () => {
    assert.equal(new Set(Object.values(CHANNEL_HEADLINE)).size, Object.values(RequestMoment).length);
  });
});
