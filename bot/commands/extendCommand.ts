import type { DialogSet } from 'botbuilder-dialogs';
import { normalizeReference } from '../../domain/requests/reference';
import { EXTEND_DEADLINE_DIALOG, type ExtendDeadlineOptions } from '../../dialogs/extendDeadlineDialog';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain, startOver } from './replies';

/** `extend <reference>`: starts the short extension dialog (length, reason, confirm). */
export class ExtendCommand implements CommandHandler {
  readonly title = 'extend';
  readonly usage = 'extend <reference>';
  readonly startsDialog = EXTEND_DEADLINE_DIALOG;
  readonly description = 'Extend a deadline, with the reason the subject reads (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^extend(?:\s+(.+))?$/i;

  constructor(private readonly dialogs: DialogSet) {}

  async handle(turn: CommandTurn): Promise<void> {
    const reference = turn.argument ? normalizeReference(turn.argument) : undefined;
    if (!reference) {
      await replyPlain(turn.context, 'Which request? Type "extend" and its reference, for example "extend DSR-2026-0001".');
      return;
    }
    const dc = await this.dialogs.createContext(turn.context);
    const options: ExtendDeadlineOptions = { reference };
    await startOver(dc);
    await dc.beginDialog(EXTEND_DEADLINE_DIALOG, options);
  }
}
