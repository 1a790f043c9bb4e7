import assert from 'node:assert/strict';
import { ADAPTIVE_CARD_VERSION } from '../../cards/adaptiveCard';
import { AdaptiveCards, cardProblems } from './support/adaptiveCardsLibrary';
import { everyCardVariant } from './support/allCards';
import { stringFields } from './support/cardTree';

describe('cards: schema validation with the adaptivecards library (target 1.5)', () => {
  it('the checker does find problems (so a pass below means something)', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Bogus' }, { type: 'TextBlock', text: 'x', color: 'purple' }, { type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }],
      actions: [{ type: 'Action.Nope' }],
    };
    const events = cardProblems(broken).map((p) => p.event);
    assert.deepEqual(new Set(events), new Set(['UnknownElementType', 'InvalidPropertyValue', 'UnknownActionType', 'DuplicateId']));
    // and it knows versions: Action.Execute did not exist before 1.4
    const execute = { type: 'AdaptiveCard', version: '1.3', body: [], actions: [{ type: 'Action.Execute', title: 'x', verb: 'v' }] };
    assert.equal(cardProblems(execute, AdaptiveCards.Versions.v1_3)[0]?.event, 'UnknownActionType');
  });

  for (const { name, card } of everyCardVariant()) {
    describe(name, () => {
      it('parses and validates at 1.5 with no events at all', () => {
        assert.deepEqual(cardProblems(card), []);
      });

      it('says version 1.5, has no refresh, and has no placeholder left unexpanded', () => {
        assert.equal(card.type, 'AdaptiveCard');
        assert.equal(card.version, ADAPTIVE_CARD_VERSION);
        const json = JSON.stringify(card);
        assert.ok(!/"refresh"/.test(json), 'refresh is ignored by the local Teams client: cards must not rely on it');
        const left = stringFields(card).filter((f) => f.value.includes('${') || f.key.startsWith('$'));
        assert.deepEqual(left, []);
      });

      it('stays well under the Teams card size limit (about 28 KB)', () => {
        assert.ok(Buffer.byteLength(JSON.stringify(card)) < 24_000);
      });
    });
  }
});
