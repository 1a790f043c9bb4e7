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
  /** How to type it, as help shows it (defaults to the title): e.g. `status <reference>`. */
  readonly usage?: string;
  /**
   * Only shows something (help, status, lists). Typed while a dialog waits for an answer it runs and the
   * question is asked again; any other command is refused then ("answer or cancel first"), so a command
   * is never taken as an answer.
   */
  readonly readOnly?: boolean;
  /** The dialog it begins: typed while that same dialog waits, it starts it over instead of being refused. */
  readonly startsDialog?: string;
  /**
   * A message no command matched may still be meant for this one (a subject's reply to a paused
   * request): true when it took the message. Asked in list order, after every pattern failed.
   */
  tryAnswer?(turn: CommandTurn): Promise<boolean>;
  handle(turn: CommandTurn): Promise<void>;
}
