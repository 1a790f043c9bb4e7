import assert from 'node:assert/strict';
import { buildRequestStatusCard, DEFAULT_STATUS_TITLE } from '../../cards/requestStatusCard';
import { ALL_STATES, isOpen, STATE_LABEL } from '../../domain/requests/lifecycle';
import { allActions, elementsOfType, stringFields, visibleText } from './support/cardTree';
import { makeRequest, SAMPLE_PACKAGE, TODAY } from './support/fixtures';

function facts(card: unknown): Record<string, string> {
  const [factSet] = elementsOfType(card, 'FactSet');
  return Object.fromEntries((factSet.facts as Array<{ title: string; value: string }>).map((f) => [f.title, f.value]));
}

describe('cards/requestStatusCard', () => {
  it('shows reference, subject, state, regime, received and due with days left', () => {
    assert.deepEqual(facts(buildRequestStatusCard(makeRequest(), TODAY)), {
      Reference: 'DSR-2026-0007',
      'Data subject': 'Megan Bowen',
      State: STATE_LABEL.awaiting_confirmation,
      Regime: 'GDPR (Art. 15 access, Art. 20 portability)',
      Received: 'Thu 26 Feb 2026',
      Due: 'Thu 26 Mar 2026 · 24 days left',
    });
  });

  it('counts down while open (overdue too) and shows the state instead once closed', () => {
    const closed = ['declined', 'cancelled', 'delivered', 'completed', 'unconfirmed', 'purged'];
    for (const state of ALL_STATES) {
      const due = facts(buildRequestStatusCard(makeRequest({ state, dueOn: '2026-02-27' }), TODAY)).Due;
      if (closed.includes(state)) {
        assert.ok(!isOpen(state));
        assert.equal(due, `Fri 27 Feb 2026 · ${STATE_LABEL[state]}`, state);
      } else {
        assert.equal(due, 'Fri 27 Feb 2026 · overdue by 3 days', state);
      }
    }
  });

  it('uses the headline as its title when given', () => {
    const headline = 'Megan Bowen approved DSR-2026-0007';
    assert.equal(elementsOfType(buildRequestStatusCard(makeRequest(), TODAY, headline), 'TextRun')[0].text, headline);
    assert.equal(elementsOfType(buildRequestStatusCard(makeRequest(), TODAY), 'TextRun')[0].text, DEFAULT_STATUS_TITLE);
  });

  it('shows the intake note when there is one', () => {
    assert.ok(visibleText(buildRequestStatusCard(makeRequest({ intakeNote: 'Ticket 4711' }), TODAY)).includes('Ticket 4711'));
    assert.ok(!visibleText(buildRequestStatusCard(makeRequest(), TODAY)).includes('Intake note'));
  });

  it('shows the decline reason only when declined, and says when none was given', () => {
    const declined = visibleText(buildRequestStatusCard(makeRequest({ state: 'declined', declineReason: 'I did not ask' }), TODAY));
    assert.ok(declined.includes('Reason for declining: \nI did not ask'));
    assert.ok(visibleText(buildRequestStatusCard(makeRequest({ state: 'declined' }), TODAY)).includes('None given'));
    assert.ok(!visibleText(buildRequestStatusCard(makeRequest({ state: 'confirmed', declineReason: 'x' }), TODAY)).includes('Reason for declining'));
  });

  it('shows the failing source and reason only when failed', () => {
    const failure = { source: 'hr-system', reason: 'Timed out after 3 attempts' };
    const text = visibleText(buildRequestStatusCard(makeRequest({ state: 'failed', failure }), TODAY));
    assert.ok(text.includes('hr-system') && text.includes('Timed out after 3 attempts'));
    assert.ok(!visibleText(buildRequestStatusCard(makeRequest({ state: 'confirmed', failure }), TODAY)).includes('hr-system'));
  });

  it('never carries a download link or any action, whatever the state', () => {
    for (const state of ALL_STATES) {
      const card = buildRequestStatusCard(makeRequest({ state, package: SAMPLE_PACKAGE }), TODAY);
      assert.deepEqual(allActions(card), [], state);
      assert.deepEqual(stringFields(card).filter((f) => /https?:|www\.|blob/i.test(f.value)), [], state);
    }
  });
});
