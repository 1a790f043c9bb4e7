import assert from 'node:assert/strict';
import { buildRequestListCard, MAX_LIST_ROWS } from '../../cards/requestListCard';
import { STATE_LABEL } from '../../domain/requests/lifecycle';
import { allActions, elementsOfType, visibleText } from './support/cardTree';
import { makeRequest, TODAY, withSubjectName } from './support/fixtures';

/** Row ColumnSets: every ColumnSet after the header. */
function rows(card: { body: unknown[] }): Array<string[]> {
  const sets = elementsOfType(card.body, 'ColumnSet').slice(1);
  return sets.map((set) => (set.columns as unknown[]).map((column) => visibleText(column)));
}

describe('cards/requestListCard', () => {
  const requests = [
    makeRequest(),
    withSubjectName(makeRequest({ id: 'req-2', reference: 'DSR-2026-0008', state: 'delivered', regime: 'ccpa', dueOn: '2026-04-10' }), 'Adele Vance'),
  ];

  it('titles the list by scope', () => {
    assert.ok(visibleText(buildRequestListCard(requests, TODAY, 'all')).startsWith('All requests (2)'));
    assert.ok(visibleText(buildRequestListCard(requests, TODAY, 'own')).startsWith('Your requests (2)'));
  });

  it('has a header and one row per request: reference, subject, state, due + days left (or state once closed)', () => {
    const card = buildRequestListCard(requests, TODAY, 'all');
    const header = elementsOfType(card.body, 'ColumnSet')[0];
    assert.equal(visibleText(header), 'Reference\nData subject\nState\nDue');
    assert.deepEqual(rows(card), [
      ['DSR-2026-0007', 'Megan Bowen', STATE_LABEL.awaiting_confirmation, 'Thu 26 Mar 2026\n24 days left'],
      ['DSR-2026-0008', 'Adele Vance', STATE_LABEL.delivered, `Fri 10 Apr 2026\n${STATE_LABEL.delivered}`],
    ]);
    assert.deepEqual(allActions(card), []);
  });

  it('says so when there is nothing to list, with no header', () => {
    const all = buildRequestListCard([], TODAY, 'all');
    assert.ok(visibleText(all).includes('There are no requests yet.'));
    assert.deepEqual(elementsOfType(all, 'ColumnSet'), []);
    assert.ok(visibleText(buildRequestListCard([], TODAY, 'own')).includes('You have no requests yet.'));
  });

  it(`shows at most ${MAX_LIST_ROWS} rows and says how many were left out`, () => {
    const many = Array.from({ length: MAX_LIST_ROWS + 5 }, (_, i) => makeRequest({ reference: `DSR-2026-${String(i + 1).padStart(4, '0')}` }));
    const card = buildRequestListCard(many, TODAY, 'all');
    assert.equal(rows(card).length, MAX_LIST_ROWS);
    assert.ok(visibleText(card).includes(`Showing the first ${MAX_LIST_ROWS} of ${MAX_LIST_ROWS + 5}`));
    assert.ok(!visibleText(buildRequestListCard(requests, TODAY, 'all')).includes('Showing the first'));
  });
});
