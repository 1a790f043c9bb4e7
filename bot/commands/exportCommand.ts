import type { DialogSet } from 'botbuilder-dialogs';
import { EXPORT_REQUEST_DIALOG, type ExportRequestDialogOptions } from '../../dialogs/exportRequestDialog';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain } from './replies';

/** `export` / `export <UPN, mail or objectId>`: starts the admin's guided filing. */
export class ExportCommand implements CommandHandler {
  readonly title = 'export';
  readonly description = 'File an export request for a data subject (admins)';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^export(?:\s+(?!my data\b)(.+))?$/i;

  constructor(private readonly dialogs: DialogSet) {}

  async handle(turn: CommandTurn): Promise<void> {
    if (turn.scope === 'channel') {
      // The subject's details are for the admin's eyes; the channel gets the reference and a name.
      await replyPlain(turn.context, 'Let’s file it in our 1:1 chat, so the data subject’s details stay out of the channel. Open a chat with Privacy Desk and type "export".');
      return;
    }
    const dc = await this.dialogs.createContext(turn.context);
    const options: ExportRequestDialogOptions = turn.argument ? { query: turn.argument } : {};
    await dc.beginDialog(EXPORT_REQUEST_DIALOG, options);
  }
}
