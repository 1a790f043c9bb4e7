import { ActivityTypes, CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { isRefusal } from '../../domain/refusal';

/** A card alone: `summary` is what notifications and the chat list show, not a second bubble of text. */
export function cardMessage(card: AdaptiveCard, summary?: string): Partial<Activity> {
  return { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)], ...(summary ? { summary } : {}) };
}

export async function replyWithCard(context: TurnContext, card: AdaptiveCard, summary?: string): Promise<void> {
  await context.sendActivity(cardMessage(card, summary));
}

/** Plain text: nothing the person or the directory typed may render as Markdown. */
export async function replyPlain(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}

/** Does `work`; a refusal becomes its sentence, in plain text, to the person. Anything else is an error. */
export async function replyUnlessRefused(context: TurnContext, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await replyPlain(context, error.sentence);
  }
}
