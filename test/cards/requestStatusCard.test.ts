import assert from 'node:assert/strict';
import { buildRequestStatusCard, CHANNEL_STATUS_NOTE, DEFAULT_STATUS_TITLE, INTERNAL_HEADING, StatusAudience } from '../../cards/requestStatusCard';
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

  it('where the working-day rule moved the due date, shows the date it produced and why', () => {
    const weekend = makeRequest({ dueOn: '2026-03-30', dueRule: { periodEndsOn: '2026-03-28', reason: 'weekend' } });
    assert.equal(
      facts(buildRequestStatusCard(weekend, TODAY)).Due,
      'Mon 30 Mar 2026 · 28 days left (the period ended on Sat 28 Mar 2026, a weekend, so it ends on the next working day)',
    );
    const holiday = makeRequest({
      dueOn: '2026-04-07',
      dueRule: { periodEndsOn: '2026-04-03', reason: 'holiday', holiday: 'Good Friday [Karfreitag](https://evil.example)' },
    });
    const due = facts(buildRequestStatusCard(holiday, TODAY)).Due;
    assert.ok(due.startsWith('Tue 7 Apr 2026 · 36 days left (the period ended on Fri 3 Apr 2026, a public holiday (Good Friday \\[Karfreitag\\]'), due);
    // The holiday's name comes from the calendar file, so it is escaped like any string we did not write.
    assert.ok(due.endsWith('\\(https\\:\\/\\/evil\\.example\\)), so it ends on the next working day)'), due);
  });

  it('uses the headline as its title when given', () => {
    const headline = 'Megan Bowen approved DSR-2026-0007';
    assert.equal(elementsOfType(buildRequestStatusCard(makeRequest(), TODAY, headline), 'TextRun')[0].text, headline);
    assert.equal(elementsOfType(buildRequestStatusCard(makeRequest(), TODAY), 'TextRun')[0].text, DEFAULT_STATUS_TITLE);
  });

  describe('audiences', () => {
    const INTERNAL = {
      intakeNote: 'Ticket 4711, phoned in by her manager',
      identityVerification: 'Passport checked by HR in person',
      assignee: { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', displayName: 'Patti Fernandez' },
    };
    const internalWords = ['Ticket 4711', 'Passport checked', 'Patti Fernandez', 'Intake note', 'Identity verification', 'Handled by', INTERNAL_HEADING];

    it('an admin sees the intake note, the identity verification and who handles it, marked as not shown to the subject', () => {
      const text = visibleText(buildRequestStatusCard(makeRequest(INTERNAL), TODAY, undefined, StatusAudience.Admin));
      assert.ok(text.includes(`${INTERNAL_HEADING}\nIntake note: \nTicket 4711, phoned in by her manager`), text);
      assert.ok(text.includes('Identity verification: \nPassport checked by HR in person'), text);
      assert.ok(text.includes('Handled by: \nPatti Fernandez'), text);
    });

    it('an admin sees no internal part when there is nothing internal', () => {
      const text = visibleText(buildRequestStatusCard(makeRequest(), TODAY, undefined, StatusAudience.Admin));
      for (const word of internalWords) assert.ok(!text.includes(word), word);
    });

    it('the subject sees none of it, and that is the default for callers that do not say who reads', () => {
      for (const card of [
        buildRequestStatusCard(makeRequest(INTERNAL), TODAY, undefined, StatusAudience.Subject),
        buildRequestStatusCard(makeRequest(INTERNAL), TODAY, 'Update'),
      ]) {
        const json = JSON.stringify(card);
        for (const word of internalWords) assert.ok(!json.includes(word), word);
      }
    });

    it('the subject still sees their own decline reason, progress and what went wrong', () => {
      assert.ok(
        visibleText(buildRequestStatusCard(makeRequest({ ...INTERNAL, state: 'declined', declineReason: 'I did not ask' }), TODAY)).includes('I did not ask'),
      );
      assert.ok(
        visibleText(
          buildRequestStatusCard(makeRequest({ ...INTERNAL, state: 'failed', failure: { source: 'hr-system', reason: 'Timed out' } }), TODAY),
        ).includes('Timed out'),
      );
      const paused = facts(buildRequestStatusCard(makeRequest({ ...INTERNAL, pause: { since: '2026-03-01', reason: 'your new address' } }), TODAY));
      assert.match(paused.Progress!, /your new address/);
    });

    it('the channel sees reference, display name, state and due date, and where to ask for the rest', () => {
      const channel = (overrides: Parameters<typeof makeRequest>[0]) =>
        buildRequestStatusCard(makeRequest({ ...INTERNAL, ...overrides }), TODAY, undefined, StatusAudience.Channel);
      assert.deepEqual(facts(channel({})), {
        Reference: 'DSR-2026-0007',
        'Data subject': 'Megan Bowen',
        State: STATE_LABEL.awaiting_confirmation,
        Due: 'Thu 26 Mar 2026 · 24 days left',
      });
      assert.ok(visibleText(channel({})).endsWith(CHANNEL_STATUS_NOTE));
      const cards = [
        channel({ state: 'declined', declineReason: 'I did not ask' }),
        channel({ state: 'cancelled', cancelReason: 'Duplicate of a mailed request' }),
        channel({ state: 'failed', failure: { source: 'hr-system', reason: 'Row 12 is malformed' } }),
        channel({ state: 'exporting', pause: { since: '2026-03-01', reason: 'her new postal address' } }),
        channel({ extensions: [{ amount: 1, unit: 'months', reason: 'Records in three systems', at: '2026-03-01T10:00:00Z' }] }),
      ];
      for (const card of cards) {
        const json = JSON.stringify(card);
        for (const word of [
          ...internalWords,
          'I did not ask',
          'Duplicate',
          'hr-system',
          'Row 12',
          'postal address',
          'three systems',
          'Reason',
          'Regime',
          'Received',
        ]) {
          assert.ok(!json.includes(word), `${word} in ${json}`);
        }
      }
    });
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
      assert.deepEqual(
        stringFields(card).filter((f) => /https?:|www\.|blob/i.test(f.value)),
        [],
        state,
      );
    }
  });
});
