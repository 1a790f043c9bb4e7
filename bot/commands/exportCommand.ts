import type { DialogSet } from 'botbuilder-dialogs';
import { EXPORT_REQUEST_DIALOG, type ExportRequestDialogOptions } from '../../dialogs/exportRequestDialog';
import type { CommandHandler, CommandTurn } from './command';
import { startOver } from './replies';

/**
 * `export` / `export <UPN, mail or objectId>`: starts the admin's guided filing. Personal scope only:
 * the subject's details are for the admin's eyes; the channel gets the reference and a name.
 */
export class ExportCommand implements CommandHandler {
  readonly title = 'export';
  readonly usage = 'export <UPN, e-mail or objectId>';
  readonly startsDialog = EXPORT_REQUEST_DIALOG;
  readonly description = 'File an export request for a data subject (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^export(?:\s+(?!my data\b)(.+))?$/i;

  constructor(private readonly dialogs: DialogSet) {}

  async handle(turn: CommandTurn): Promise<void> {
    const dc = await this.dialogs.createContext(turn.context);
    const options: ExportRequestDialogOptions = turn.argument ? { query: turn.argument } : {};
    await startOver(dc);
    await dc.beginDialog(EXPORT_REQUEST_DIALOG, options);
  }
}
