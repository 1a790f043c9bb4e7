import { formatForPeople } from '../../domain/deadlines/calendarDate';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain, replyUnlessRefused } from './replies';

/** Self-service: the authenticated person asks for their own data; no confirmation card needed. */
export class ExportMyDataCommand implements CommandHandler {
  readonly title = 'export my data';
  readonly description = 'Export your own personal data';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^export\s+my\s+data$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    await replyUnlessRefused(turn.context, async () => {
      const request = await this.requests.fileForSelf(turn.actor);
      await replyPlain(
        turn.context,
        `Your request ${request.reference} is filed and your export has started. I'll send you a private download link here when it is ready (at the latest by ${formatForPeople(request.dueOn)}).`,
      );
    });
  }
}
