import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptiveCard';

export async function replyWithCard(context: TurnContext, card: AdaptiveCard, summary?: string): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), summary));
}

/** Plain text: nothing the person or the directory typed may render as Markdown. */
export async function replyPlain(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}
