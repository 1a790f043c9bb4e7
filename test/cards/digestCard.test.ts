import assert from 'node:assert/strict';
import { buildDigestCard } from '../../cards/digestCard';
import { DIGEST_ROWS_PER_GROUP, digestOf, type Digest, type DigestGroup } from '../../domain/deadlines/deadlineWatch';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { allActions, elementsOfType, visibleText } from './support/cardTree';
import { makeRequest, TODAY, withSubjectName } from './support/fixtures';

/** What Microsoft documents a bot's message may carry, card included. */
const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;
const NOTHING = { count: 0, mostUrgent: [] } satisfies DigestGroup;

function digest(groups: Partial<Omit<Digest, 'date'>>): Digest {
  return { date: TODAY, overdue: NOTHING, dueThisWeek: NOTHING, awaitingConfirmation: NOTHING, failed: NOTHING, ...groups };
}

/** `count` open requests, all awaiting confirmation, due from 20 days ago onwards, one a day in turn. */
function openRequests(count: number): ExportRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const due = new Date(Date.parse(`${TODAY}T00:00:00Z`) + ((i % 40) - 20) * 24 * 3600_000).toISOString().slice(0, 10);
    return makeRequest({
      id: `req-${i}`,
      reference: `DSR-2026-${String(i + 1).padStart(4, '0')}`,
      dueOn: due,
      state: i % 10 === 9 ? 'failed' : 'awaiting_confirmation',
    });
  });
}

describe('cards/digestCard', () => {
  it('reads as it always has while every request fits: heading, each list with its count, one line per request', () => {
    const overdue = withSubjectName(makeRequest({ id: 'req-1', reference: 'DSR-2026-0001', dueOn: '2026-02-27', state: 'failed' }), 'Adele Vance');
    const soon = makeRequest({ id: 'req-2', reference: 'DSR-2026-0002', dueOn: '2026-03-03' });
    const card = buildDigestCard(
      digest({ overdue: { count: 1, mostUrgent: [overdue] }, dueThisWeek: { count: 1, mostUrgent: [soon] }, failed: { count: 1, mostUrgent: [overdue] } }),
    );
    assert.equal(
      visibleText(card),
      [
        'Privacy Desk — Mon 2 Mar 2026',
        'Overdue (1)',
        'DSR-2026-0001  ',
        'Adele Vance',
        '  · due Fri 27 Feb 2026, overdue by 3 days',
        'Due within 7 days (1)',
        'DSR-2026-0002  ',
        'Megan Bowen',
        '  · due Tue 3 Mar 2026, 1 day left',
        'Export failed (1)',
        'DSR-2026-0001  ',
        'Adele Vance',
        '  · due Fri 27 Feb 2026, overdue by 3 days',
      ].join('\n'),
    );
    assert.deepEqual(allActions(card), []);
  });

  it('says when there is nothing to report', () => {
    assert.equal(
      visibleText(buildDigestCard(digest({}))),
      'Privacy Desk — Mon 2 Mar 2026\nNothing is overdue, due this week, waiting for a subject or failed.',
    );
  });

  it('counts what it does not show and says where the full list is', () => {
    const shown = [makeRequest({ id: 'req-1', reference: 'DSR-2026-0001' }), makeRequest({ id: 'req-2', reference: 'DSR-2026-0002' })];
    const text = visibleText(buildDigestCard(digest({ awaitingConfirmation: { count: 1_502, mostUrgent: shown } })));
    assert.ok(text.includes('Awaiting the subject’s confirmation (1,502)'), text);
    assert.ok(text.includes('…and 1,500 more. Type "register" in our 1:1 chat for every request as a CSV file.'), text);
    assert.equal(elementsOfType(buildDigestCard(digest({ awaitingConfirmation: { count: 1_502, mostUrgent: shown } })), 'RichTextBlock').length, 2);
  });

  it('stays one Teams message with ten thousand open requests, every list counted in full', () => {
    const open = openRequests(10_000);
    const built = digestOf(open, TODAY);
    const card = buildDigestCard(built);
    const bytes = Buffer.byteLength(JSON.stringify(card));
    assert.ok(bytes < TEAMS_MESSAGE_LIMIT_BYTES, `${bytes} bytes`);

    const text = visibleText(card);
    const overdue = open.filter((r) => r.dueOn < TODAY).length;
    const failed = open.filter((r) => r.state === 'failed').length;
    for (const [title, count] of [
      ['Overdue', overdue],
      ['Awaiting the subject’s confirmation', open.length - failed],
      ['Export failed', failed],
    ] as const) {
      assert.ok(text.includes(`${title} (${count.toLocaleString('en-US')})`), `${title}: ${text}`);
      assert.ok(text.includes(`…and ${(count - DIGEST_ROWS_PER_GROUP).toLocaleString('en-US')} more.`), `${title}: ${text}`);
    }
    const sections = Object.values(built)
      .filter((group): group is DigestGroup => typeof group === 'object')
      .filter((group) => group.count > 0).length;
    assert.equal(elementsOfType(card, 'RichTextBlock').length, sections * DIGEST_ROWS_PER_GROUP);
  });
});
