import type * as AdaptiveCardsModule from 'adaptivecards';

/**
 * The adaptivecards package's `main` is ESM without file extensions, which plain Node cannot load;
 * its webpack bundle (dist/adaptivecards.js) loads without a DOM and can parse and validate. The
 * bundle ships no typings; it is the same API as the typed main entry, hence the cast.
 */
export const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

export interface CardProblem {
  phase: 'parse' | 'validate';
  event: string;
  message: string;
}

/**
 * Everything the library reports for a card at a target version (1.5 unless told): parse events
 * (unknown elements or actions, bad enum values, properties newer than the target) and validation
 * events (missing or duplicate ids, empty required collections, ...). Hints count too: the aim is
 * a card the library has nothing to say about.
 */
export function cardProblems(json: unknown, version = AdaptiveCards.Versions.v1_5): CardProblem[] {
  const context = new AdaptiveCards.SerializationContext(version);
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(json, context);
  const problems: CardProblem[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push({ phase: 'parse', event: AdaptiveCards.ValidationEvent[e.event], message: e.message });
  }
  for (const e of card.validateProperties().validationEvents) {
    problems.push({ phase: 'validate', event: AdaptiveCards.ValidationEvent[e.event], message: e.message });
  }
  return problems;
}
