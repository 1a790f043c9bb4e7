import type { DialogSet } from 'botbuilder-dialogs';
import type { RequestService } from '../../domain/requests/requestService';
import { lawNamed, replyFiledForSelf, SELF_SERVICE_LAW_DIALOG } from '../../dialogs/selfServiceLawDialog';
import type { CommandHandler, CommandTurn } from './command';
import { replyUnlessRefused, startOver } from './replies';

/**
 * Self-service: the authenticated person asks for their own data; no confirmation card needed. Without
 * a law it asks which one (decision 0019); `export my data gdpr` / `… ccpa` files at once.
 */
export class ExportMyDataCommand implements CommandHandler {
  readonly title = 'export my data';
  readonly usage = 'export my data [gdpr | ccpa]';
  readonly description = 'Export your own personal data';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^export\s+my\s+data(?:\s+(.+))?$/i;
  readonly startsDialog = SELF_SERVICE_LAW_DIALOG;

  constructor(
    private readonly requests: RequestService,
    private readonly dialogs: DialogSet,
  ) {}

  async handle(turn: CommandTurn): Promise<void> {
    const dc = await this.dialogs.createContext(turn.context);
    if (!turn.argument) {
      await startOver(dc);
      await dc.beginDialog(SELF_SERVICE_LAW_DIALOG);
      return;
    }
    // An unknown word goes to the domain as typed, which refuses it: only the laws it knows are filed under.
    const law = lawNamed(turn.argument) ?? turn.argument;
    await replyUnlessRefused(turn.context, async () => {
      const request = await this.requests.fileForSelf(turn.actor, law);
      // Filed: the question this command asked earlier, if it still waits, has been answered.
      if (dc.activeDialog?.id === SELF_SERVICE_LAW_DIALOG) await dc.cancelAllDialogs();
      await replyFiledForSelf(turn.context, request);
    });
  }
}
