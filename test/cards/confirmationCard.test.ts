import assert from 'node:assert/strict';
import { buildConfirmationCard } from '../../cards/confirmationCard';
import { CardVerb, DECLINE_REASON_INPUT, DECLINE_REASON_MAX_LENGTH } from '../../cards/cardVerbs';
import { allActions, elementsOfType, visibleText } from './support/cardTree';
import { makeRequest, TODAY } from './support/fixtures';

/** The confirmation card's actions as its JSON has them: Approve, then Decline's ShowCard holding the reason input. */
type ConfirmationActions = [
  approve: { type: string; title: string },
  decline: { type: string; title: string; card: { body: Array<Record<string, unknown>>; actions: Array<Record<string, unknown>> } },
  ...rest: unknown[],
];

describe('cards/confirmationCard', () => {
  const request = makeRequest();
  const card = buildConfirmationCard(request, 'Alex Wilber', TODAY);

  it('has exactly two Action.Execute buttons: Approve and Decline, each carrying only the request id', () => {
    const executes = allActions(card).filter((a) => a.type === 'Action.Execute');
    assert.deepEqual(
      executes.map((a) => a.verb),
      [CardVerb.Approve, CardVerb.Decline],
    );
    for (const action of executes) assert.deepEqual(action.data, { requestId: request.id });
  });

  it('puts Approve at the top level and Decline behind a ShowCard with the optional reason', () => {
    const [approve, decline, ...rest] = card.actions as ConfirmationActions;
    assert.equal(rest.length, 0);
    assert.equal(approve.type, 'Action.Execute');
    assert.equal(approve.title, 'Approve');
    assert.equal(decline.type, 'Action.ShowCard');
    assert.equal(decline.title, 'Decline');
    const inputs = elementsOfType(decline.card, 'Input.Text');
    assert.equal(inputs.length, 1);
    const [reason] = inputs;
    assert.equal(reason.id, DECLINE_REASON_INPUT);
    assert.equal(reason.maxLength, DECLINE_REASON_MAX_LENGTH);
    assert.equal(DECLINE_REASON_MAX_LENGTH, 500);
    assert.notEqual(reason.isRequired, true);
    assert.ok(typeof reason.placeholder === 'string' && reason.placeholder.length > 0);
    assert.deepEqual(
      decline.card.actions.map((a) => [a.type, a.verb]),
      [['Action.Execute', CardVerb.Decline]],
    );
  });

  it('has no inputs outside the Decline part, and no refresh', () => {
    assert.deepEqual(elementsOfType(card.body, 'Input.Text'), []);
    assert.equal(card.refresh, undefined);
  });

  it('tells the subject who asked, for what, under which law, when, and what each answer does', () => {
    const text = visibleText(card);
    for (const expected of [
      'Alex Wilber',
      "a copy of the personal data that Privacy Desk's configured sources hold about you",
      'GDPR (Art. 15 access, Art. 20 portability)',
      'DSR-2026-0007',
      'Thu 26 Feb 2026',
      'Thu 26 Mar 2026 · 24 days left',
      'If you approve',
      'private download link here, in this chat',
      'limited time',
      'If you decline',
      'Nothing is exported',
      'The privacy team is told',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
  });

  it('names the CCPA for a CCPA request', () => {
    assert.ok(visibleText(buildConfirmationCard(makeRequest({ regime: 'ccpa' }), 'Alex Wilber', TODAY)).includes('CCPA (right to know)'));
  });

  it('refuses a self-service request (those are confirmed by filing them)', () => {
    assert.throws(() => buildConfirmationCard(makeRequest({ selfService: true }), 'Megan Bowen', TODAY), /self-service/);
  });
});
