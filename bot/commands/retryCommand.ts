import type { RequestService } from '../../domain/requests/requestService';
import type { CommandTurn } from './command';
import { ReferenceCommand, type CommandReply } from './referenceCommand';

/** `retry <reference>`: an admin sends a failed export back to the queue. */
export class RetryCommand extends ReferenceCommand {
  readonly title = 'retry';
  readonly usage = 'retry <reference>';
  readonly description = 'Run a failed export again (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^retry(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const request = await this.requests.retry(turn.actor, reference);
    return { text: `${request.reference} is queued for export again. You'll hear here when it is ready or if it fails again.` };
  }
}
