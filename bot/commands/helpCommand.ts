import { buildHelpCard } from '../../cards';
import type { RequestService } from '../../domain/requests/requestService';
import type { HelpEntry } from '../../cards/helpCard';
import type { CommandHandler, CommandTurn } from './command';
import { replyWithCard } from './replies';

const CANCEL_ENTRY: HelpEntry = { title: 'cancel', description: 'Leave the question I am asking; nothing is filed or changed' };

export class HelpCommand implements CommandHandler {
  readonly title = 'help';
  readonly readOnly = true;
  readonly description = 'What Privacy Desk can do';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^(help|\?|commands|what can you do\??)$/i;

  constructor(
    private readonly requests: RequestService,
    private readonly commands: () => readonly CommandHandler[],
  ) {}

  /** Every command, with how to type it: the ones that work here first, then the ones that work in the other place. */
  async handle(turn: CommandTurn): Promise<void> {
    const entry = (c: CommandHandler): HelpEntry => ({ title: c.usage ?? c.title, description: c.description });
    const here = this.commands().filter((c) => c.scopes.includes(turn.scope)).map(entry);
    const elsewhere = this.commands().filter((c) => !c.scopes.includes(turn.scope)).map(entry);
    // `cancel` is not a command handler: it interrupts the filing dialog wherever it is.
    if (turn.scope === 'personal') here.push(CANCEL_ENTRY);
    const card = buildHelpCard(here, { isAdmin: await this.requests.isAdmin(turn.actor), inChannel: turn.scope === 'channel', elsewhere, timeZone: this.requests.timeZone });
    await replyWithCard(turn.context, card, 'Privacy Desk commands');
  }
}
