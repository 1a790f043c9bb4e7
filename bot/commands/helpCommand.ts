import { buildHelpCard } from '../../cards';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { replyWithCard } from './replies';

const CANCEL_ENTRY = { title: 'cancel', description: 'Leave the current conversation step' };

export class HelpCommand implements CommandHandler {
  readonly title = 'help';
  readonly description = 'What Privacy Desk can do';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^(help|\?|commands|what can you do\??)$/i;

  constructor(
    private readonly requests: RequestService,
    private readonly commands: () => readonly CommandHandler[],
  ) {}

  async handle(turn: CommandTurn): Promise<void> {
    const listed: Array<{ title: string; description: string }> = this.commands().filter((c) => c.scopes.includes(turn.scope));
    // `cancel` is not a command handler: it interrupts the filing dialog wherever it is.
    if (turn.scope === 'personal') listed.push(CANCEL_ENTRY);
    const card = buildHelpCard(listed, { isAdmin: await this.requests.isAdmin(turn.actor), inChannel: turn.scope === 'channel' });
    await replyWithCard(turn.context, card, 'Privacy Desk commands');
  }
}
