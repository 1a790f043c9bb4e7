import assert from 'node:assert/strict';
import { buildNoticeCard } from '../../cards/noticeCard';
import { allActions, elementsOfType } from './support/cardTree';

describe('cards/noticeCard', () => {
  it('shows the title and the sentence, as TextRuns, with no actions', () => {
    const card = buildNoticeCard('Nothing was changed', 'This request is not waiting for your answer.');
    assert.deepEqual(
      elementsOfType(card, 'TextRun').map((r) => r.text),
      ['Nothing was changed', 'This request is not waiting for your answer.'],
    );
    assert.deepEqual(allActions(card), []);
  });

  it('further paragraphs, each its own block after the sentence, as plain TextRuns', () => {
    const card = buildNoticeCard('Closed', 'First.', ['Second.', 'Third *not bold*.']);
    assert.deepEqual(
      elementsOfType(card, 'TextRun').map((r) => r.text),
      ['Closed', 'First.', 'Second.', 'Third *not bold*.'],
    );
    assert.equal(elementsOfType(card, 'RichTextBlock').length, 4);
  });
});
