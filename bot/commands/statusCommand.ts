import { buildRequestStatusCard, StatusAudience } from '../../cards';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { RequestService } from '../../domain/requests/requestService';
import { askInOneToOne, Disclosure, disclosureFor, type PrivacyChannelSource } from './channelScope';
import type { CommandTurn } from './command';
import { ReferenceCommand, type CommandReply } from './referenceCommand';

export class StatusCommand extends ReferenceCommand {
  readonly title = 'status';
  readonly usage = 'status <reference>';
  readonly readOnly = true;
  readonly description = 'Where a request stands: status DSR-2026-0001';
  readonly scopes = ['personal', 'channel'] as const;
  readonly pattern = /^status(?:\s+(.+))?$/i;
  protected override readonly hint = ' "requests" lists the ones you can see.';

  /** `privacyChannel` is where a channel may be answered; without it, channels are always sent to the 1:1 chat. */
  constructor(
    private readonly requests: RequestService,
    private readonly privacyChannel?: PrivacyChannelSource,
  ) {
    super();
  }

  /** Outside the privacy channel nothing is looked up, so the answer cannot differ by request. */
  override async handle(turn: CommandTurn): Promise<void> {
    if ((await disclosureFor(turn, (actor) => this.requests.isAdmin(actor), this.privacyChannel)) === Disclosure.None) {
      await askInOneToOne(turn.context);
      return;
    }
    await super.handle(turn);
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const request = await this.requests.status(turn.actor, reference);
    return { card: buildRequestStatusCard(request, this.requests.today(), undefined, await this.audienceFor(turn, request)), summary: request.reference };
  }

  /**
   * handle() lets a channel turn through only in the privacy channel, from an admin. In the 1:1 chat the
   * subject gets the subject's view even when they are an admin too: the notes are about them.
   */
  private async audienceFor(turn: CommandTurn, request: ExportRequest): Promise<StatusAudience> {
    if (turn.scope !== 'personal') return StatusAudience.Channel;
    if (request.subject.objectId.toLowerCase() === turn.actor.objectId.toLowerCase()) return StatusAudience.Subject;
    return (await this.requests.isAdmin(turn.actor)) ? StatusAudience.Admin : StatusAudience.Subject;
  }
}
