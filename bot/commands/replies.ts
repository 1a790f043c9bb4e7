import { ActivityTypes, CardFactory, type Activity, type TurnContext } from 'botbuilder';
import { withoutInvisibleControls, type AdaptiveCard } from '../../cards/adaptiveCard';
import type { DialogContext } from 'botbuilder-dialogs';
import { isRefusal } from '../../domain/refusal';

/** A card alone: `summary` is what notifications and the chat list show, not a second bubble of text. */
export function cardMessage(card: AdaptiveCard, summary?: string): Partial<Activity> {
  // The summary is shown as is in notifications and the chat list: no override may reorder it.
  return { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)], ...(summary ? { summary: withoutInvisibleControls(summary) } : {}) };
}

export async function replyWithCard(context: TurnContext, card: AdaptiveCard, summary?: string): Promise<void> {
  await context.sendActivity(cardMessage(card, summary));
}

/**
 * Plain text: nothing the person or the directory typed may render as Markdown, and no bidirectional
 * override in a display name may reorder the words after it.
 */
export async function replyPlain(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity(plainMessage(text));
}

export function plainMessage(text: string): Partial<Activity> {
  return { type: ActivityTypes.Message, text: withoutInvisibleControls(text), textFormat: 'plain' };
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

/**
 * Before a command begins its dialog while that dialog already waits (the admin typed "export X"
 * again): the old one is dropped, and the person is told. Called only once the command's own checks
 * passed, so a typo never throws away a dialog in progress.
 */
export async function startOver(dc: DialogContext): Promise<void> {
  if (!dc.activeDialog) return;
  await dc.cancelAllDialogs();
  await replyPlain(dc.context, 'Starting over.');
}
