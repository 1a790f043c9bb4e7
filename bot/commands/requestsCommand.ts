import { buildRequestListCard } from '../../cards';
import type { RequestService } from '../../domain/requests/requestService';
import { askInOneToOne, Disclosure, disclosureFor, type PrivacyChannelSource } from './channelScope';
import type { CommandHandler, CommandTurn } from './command';
import { replyWithCard } from './replies';

export class RequestsCommand implements CommandHandler {
  readonly title = 'requests';
  readonly readOnly = true;
  readonly description = 'Requests you can see';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^(requests|list|my requests)$/i;

  /** `privacyChannel` is where a channel may be answered; without it, channels are always sent to the 1:1 chat. */
  constructor(
    private readonly requests: RequestService,
    private readonly privacyChannel?: PrivacyChannelSource,
  ) {}

  /**
   * The list card holds only what the privacy channel's cards already show (reference, display name,
   * state, due date), so the same card answers there; anywhere else shared gets no list at all.
   */
  async handle(turn: CommandTurn): Promise<void> {
    if ((await disclosureFor(turn, (actor) => this.requests.isAdmin(actor), this.privacyChannel)) === Disclosure.None) {
      await askInOneToOne(turn.context);
      return;
    }
    const { requests, scope } = await this.requests.list(turn.actor);
    await replyWithCard(turn.context, buildRequestListCard(requests, this.requests.today(), scope), scope === 'all' ? 'All requests' : 'Your requests');
  }
}
