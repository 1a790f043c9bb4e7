import { buildHelpCard } from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
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

  /**
   * The card depends only on the command list, the scope and whether the reader is an admin, so it
   * is expanded once per combination: expanding the template is most of a `help` turn's CPU
   * (bench/README.md, "Conversation benchmark"). Dropped if the command list is ever replaced.
   * Each is frozen, all the way down, and sent as it is: whatever handles the activity on its way out
   * cannot change the next person's card, and no copy is made per turn (a structuredClone was a
   * tenth of a `help` turn's CPU and garbage).
   */
  private readonly cards = new Map<string, AdaptiveCard>();
  private cardsFor?: readonly CommandHandler[];

  constructor(
    private readonly requests: RequestService,
    private readonly commands: () => readonly CommandHandler[],
  ) {}

  /** Every command, with how to type it: the ones that work here first, then the ones that work in the other place. */
  async handle(turn: CommandTurn): Promise<void> {
    const isAdmin = await this.requests.isAdmin(turn.actor);
    const commands = this.commands();
    if (this.cardsFor !== commands) {
      this.cards.clear();
      this.cardsFor = commands;
    }
    const key = `${turn.scope}:${isAdmin}:${commands.length}`;
    let card = this.cards.get(key);
    if (!card) this.cards.set(key, (card = deepFreeze(this.build(commands, turn.scope, isAdmin))));
    await replyWithCard(turn.context, card, 'Privacy Desk commands');
  }

  private build(commands: readonly CommandHandler[], scope: CommandTurn['scope'], isAdmin: boolean): AdaptiveCard {
    const entry = (c: CommandHandler): HelpEntry => ({ title: c.usage ?? c.title, description: c.description });
    const here = commands.filter((c) => c.scopes.includes(scope)).map(entry);
    const elsewhere = commands.filter((c) => !c.scopes.includes(scope)).map(entry);
    // `cancel` is not a command handler: it interrupts the filing dialog wherever it is.
    if (scope === 'personal') here.push(CANCEL_ENTRY);
    return buildHelpCard(here, { isAdmin, inChannel: scope === 'channel', elsewhere, timeZone: this.requests.timeZone });
  }
}

/** Freezes a card's every object and array, so nothing can change it once it is shared. */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  return Object.freeze(value);
}
