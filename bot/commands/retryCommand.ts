import { isRefusal } from '../../domain/refusal';
import { normalizeReference } from '../../domain/requests/reference';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain } from './replies';

/** `retry <reference>`: an admin sends a failed export back to the queue. */
export class RetryCommand implements CommandHandler {
  readonly title = 'retry';
  readonly description = 'Run a failed export again (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^retry(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    const reference = turn.argument ? normalizeReference(turn.argument) : undefined;
    if (!reference) {
      await replyPlain(turn.context, 'Which request? Type "retry" and its reference, for example "retry DSR-2026-0001".');
      return;
    }
    try {
      const request = await this.requests.retry(turn.actor, reference);
      await replyPlain(turn.context, `${request.reference} is queued for export again. You'll hear here when it is ready or if it fails again.`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(turn.context, error.sentence);
    }
  }
}
