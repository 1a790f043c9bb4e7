import { buildRegisterCard } from '../../cards';
import type { RequestRegister } from '../../domain/register/requestRegister';
import type { CommandHandler, CommandTurn } from './command';
import { replyUnlessRefused, replyWithCard } from './replies';

/** `register`: the admin gets every request as a CSV file, through a short-lived link (in the 1:1 chat only). */
export class RegisterCommand implements CommandHandler {
  readonly title = 'register';
  readonly description = 'Download the request register as CSV (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^register$/i;

  constructor(
    private readonly register: RequestRegister,
    private readonly timeZone: string,
  ) {}

  async handle(turn: CommandTurn): Promise<void> {
    await replyUnlessRefused(turn.context, async () => {
      const { link, rows } = await this.register.export(turn.actor);
      await replyWithCard(turn.context, buildRegisterCard(rows, link, this.timeZone), 'Request register');
    });
  }
}
