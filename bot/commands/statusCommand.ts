import { buildRequestStatusCard } from '../../cards';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandTurn } from './command';
import { ReferenceCommand, type CommandReply } from './referenceCommand';

export class StatusCommand extends ReferenceCommand {
  readonly title = 'status';
  readonly description = 'Where a request stands: status DSR-2026-0001';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^status(?:\s+(.+))?$/i;
  protected override readonly hint = ' "requests" lists the ones you can see.';

  constructor(private readonly requests: RequestService) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const request = await this.requests.status(turn.actor, reference);
    return { card: buildRequestStatusCard(request, this.requests.today()), summary: request.reference };
  }
}
