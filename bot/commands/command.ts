import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/actor';

export type CommandScope = 'personal' | 'channel';

/** Where a command was typed and by whom: all a handler needs besides its own services. */
export interface CommandTurn {
  readonly context: TurnContext;
  readonly actor: Actor;
  readonly scope: CommandScope;
  /** The command's argument, if its pattern captured one. */
  readonly argument?: string;
}

/** One command a person can type; the Teams manifest lists the same titles. */
export interface CommandHandler {
  /** As listed in the manifest's command list. */
  readonly title: string;
  readonly description: string;
  readonly scopes: readonly CommandScope[];
  /** Matched against the message text with the bot's @mention removed, trimmed. */
  readonly pattern: RegExp;
  handle(turn: CommandTurn): Promise<void>;
}
