import { buildRequestStatusCard } from '../../cards';
import { isRefusal } from '../../domain/refusal';
import { normalizeReference } from '../../domain/requests/reference';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain, replyWithCard } from './replies';

export class StatusCommand implements CommandHandler {
  readonly title = 'status';
  readonly description = 'Where a request stands: status DSR-2026-0001';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^status(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    const reference = turn.argument ? normalizeReference(turn.argument) : undefined;
    if (!reference) {
      await replyPlain(turn.context, 'Which request? Type "status" and its reference, for example "status DSR-2026-0001". "requests" lists the ones you can see.');
      return;
    }
    try {
      const request = await this.requests.status(turn.actor, reference);
      await replyWithCard(turn.context, buildRequestStatusCard(request, this.requests.today()), `${request.reference}`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(turn.context, error.sentence);
    }
  }
}
