import assert from 'node:assert/strict';
import { buildConfirmationOutcomeCard, OUTCOME_SENTENCE } from '../../cards/confirmationOutcomeCard';
import { ALL_STATES, STATE_LABEL } from '../../domain/requests/lifecycle';
import { allActions, elementsOfType, visibleText } from './support/cardTree';
import { makeRequest } from './support/fixtures';

describe('cards/confirmationOutcomeCard', () => {
  it('after Approve: says the data is being gathered and the link will come here', () => {
    for (const state of ['confirmed', 'exporting'] as const) {
      const text = visibleText(buildConfirmationOutcomeCard(makeRequest({ state })));
      assert.ok(text.includes('We’re gathering your data; you’ll get a download link here'), state);
    }
  });

  it('after Decline: the request is closed, nothing was exported, they can ask again, and where to complain', () => {
    const text = visibleText(
      buildConfirmationOutcomeCard(makeRequest({ state: 'declined' }), undefined, { supervisoryAuthority: 'the Hamburg data protection authority' }),
    );
    assert.ok(text.includes('You declined this request, so it is closed and nothing was exported.'));
    assert.ok(text.includes('You can ask again at any time: type "export my data".'));
    assert.ok(
      text.includes(
        'the right to lodge a complaint with a supervisory authority (Art. 77 GDPR: the Hamburg data protection authority) and to seek a judicial remedy before the courts (Art. 79 GDPR)',
      ),
    );
    assert.ok(!text.includes(STATE_LABEL.declined), 'the subject-facing sentence, not the admin label');
  });

  it('after Decline under the CCPA: the California Privacy Protection Agency and the Attorney General, no court', () => {
    const text = visibleText(buildConfirmationOutcomeCard(makeRequest({ state: 'declined', regime: 'ccpa' })));
    assert.ok(
      text.includes(
        'file a complaint with the California Privacy Protection Agency (https://cppa.ca.gov/) or the California Attorney General (https://oag.ca.gov/privacy/ccpa)',
      ),
    );
    assert.ok(!/GDPR|supervisory|court/.test(text));
  });

  it('without a configured authority: where Art. 77 lets the subject complain', () => {
    const text = visibleText(buildConfirmationOutcomeCard(makeRequest({ state: 'declined' })));
    assert.ok(text.includes('(Art. 77 GDPR: in particular in the EU member state where you live or work, or where you believe your rights were infringed)'));
  });

  it('after Approve, and in any state but declined: no closing words', () => {
    for (const state of ALL_STATES.filter((s) => s !== 'declined')) {
      const text = visibleText(buildConfirmationOutcomeCard(makeRequest({ state })));
      assert.ok(!text.includes('complaint') && !text.includes('ask again'), state);
    }
  });

  it('any other state: its label', () => {
    for (const state of ALL_STATES.filter((s) => !['confirmed', 'exporting', 'declined'].includes(s))) {
      assert.ok(visibleText(buildConfirmationOutcomeCard(makeRequest({ state }))).includes(STATE_LABEL[state]), state);
    }
  });

  it('shows a notice first, in the warning style, when the click changed nothing', () => {
    const notice = 'You already answered this request. Nothing was changed.';
    const card = buildConfirmationOutcomeCard(makeRequest({ state: 'declined' }), notice);
    const first = card.body[0] as Record<string, any>;
    assert.equal(first.type, 'Container');
    assert.equal(first.style, 'warning');
    assert.deepEqual(
      elementsOfType(first, 'TextRun').map((r) => r.text),
      [notice],
    );
    assert.ok(visibleText(card).includes(OUTCOME_SENTENCE.declined));
  });

  it('has no notice container without a notice, and never any action', () => {
    for (const state of ALL_STATES) {
      const card = buildConfirmationOutcomeCard(makeRequest({ state, declineReason: 'private words' }));
      assert.deepEqual(elementsOfType(card, 'Container'), []);
      assert.deepEqual(allActions(card), []);
      assert.equal(card.actions, undefined);
      assert.ok(!JSON.stringify(card).includes('private words'), 'the decline reason is not repeated');
    }
  });
});
