import { buildRequestListCard } from '../../cards';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { replyWithCard } from './replies';

export class RequestsCommand implements CommandHandler {
  readonly title = 'requests';
  readonly description = 'Requests you can see';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^(requests|list|my requests)$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    const { requests, scope } = await this.requests.list(turn.actor);
    await replyWithCard(turn.context, buildRequestListCard(requests, this.requests.today(), scope), scope === 'all' ? 'All requests' : 'Your requests');
  }
}
