import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { normalizeReference } from '../../domain/requests/reference';
import type { CommandHandler, CommandScope, CommandTurn } from './command';
import { replyPlain, replyUnlessRefused, replyWithCard } from './replies';

/** What a reference command answers: a sentence, or a card. */
export type CommandReply = { readonly text: string } | { readonly card: AdaptiveCard; readonly summary: string };

/**
 * The shape every `<command> DSR-YYYY-NNNN` shares: read the reference, act on it, answer — and
 * turn a refusal into its sentence. Subclasses say only what the command does.
 */
export abstract class ReferenceCommand implements CommandHandler {
  abstract readonly title: string;
  abstract readonly description: string;
  abstract readonly scopes: readonly CommandScope[];
  abstract readonly pattern: RegExp;
  /** Said when the reference is missing or malformed, after the example. */
  protected readonly hint: string = '';

  protected abstract act(turn: CommandTurn, reference: string): Promise<CommandReply>;

  async handle(turn: CommandTurn): Promise<void> {
    const reference = turn.argument ? normalizeReference(turn.argument) : undefined;
    if (!reference) {
      await replyPlain(turn.context, `Which request? Type "${this.title}" and its reference, for example "${this.title} DSR-2026-0001".${this.hint}`);
      return;
    }
    await replyUnlessRefused(turn.context, async () => {
      const reply = await this.act(turn, reference);
      if ('card' in reply) await replyWithCard(turn.context, reply.card, reply.summary);
      else await replyPlain(turn.context, reply.text);
    });
  }
}
