import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import type { Actor } from '../../domain/actor';

export interface CardActionTurn {
  readonly context: TurnContext;
  /** The clicker, from the authenticated activity — never from the card's data. */
  readonly actor: Actor;
  /** The request the card names; existence is not yet checked. */
  readonly requestId: string;
  /** Input values from the card (e.g. a decline reason), already type-checked as strings. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** One card verb (Action.Execute), answered with the card that replaces the clicked one. */
export interface CardActionHandler {
  readonly verb: string;
  handle(turn: CardActionTurn): Promise<AdaptiveCard>;
}
