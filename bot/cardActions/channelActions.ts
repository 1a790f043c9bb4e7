import {
  ASSIGNEE_INPUT,
  buildChannelAdminCard,
  buildChannelEventCard,
  buildNoticeCard,
  CANCEL_REASON_INPUT,
  CardVerb,
  EXTEND_LENGTH_INPUT,
  EXTEND_REASON_INPUT,
} from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { formatForPeople } from '../../domain/deadlines/calendarDate';
import { RequestMoment } from '../../domain/delivery/notification';
import { isRefusal } from '../../domain/refusal';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { RequestState } from '../../domain/requests/lifecycle';
import type { RequestService } from '../../domain/requests/requestService';
import type { CardActionHandler, CardActionTurn } from './cardAction';

/** The channel moment that best describes a state, for the read-only view. */
const MOMENT_OF: Record<RequestState, RequestMoment> = {
  filed: RequestMoment.Filed,
  awaiting_confirmation: RequestMoment.Filed,
  confirmed: RequestMoment.Confirmed,
  exporting: RequestMoment.Confirmed,
  ready: RequestMoment.Ready,
  delivered: RequestMoment.Delivered,
  completed: RequestMoment.Delivered,
  purged: RequestMoment.Delivered,
  declined: RequestMoment.Declined,
  unconfirmed: RequestMoment.Cancelled,
  cancelled: RequestMoment.Cancelled,
  failed: RequestMoment.Failed,
};

const NOTHING_TO_SHOW_TITLE = 'Nothing to show';
const NOTHING_TO_SHOW = 'Privacy Desk has nothing to show you for this card, and nothing was changed. If you think this is wrong, ask your privacy team.';

/**
 * The answer to someone with no part in a card's request (not its subject, its requester or a privacy
 * admin), and to an id that does not exist: the same card, so it says nothing about whether the request exists.
 */
export function nothingToShowCard(): AdaptiveCard {
  return buildNoticeCard(NOTHING_TO_SHOW_TITLE, NOTHING_TO_SHOW);
}

/**
 * Admin actions on a request's card in the privacy channel. Each re-checks, server-side, that the
 * clicker is a privacy admin and that the request allows it; the answer is the admin view again,
 * with what happened (or why not) on top.
 */
abstract class ChannelAction implements CardActionHandler {
  abstract readonly verb: string;
  constructor(protected readonly requests: RequestService) {}

  protected abstract act(turn: CardActionTurn, request: ExportRequest): Promise<{ request: ExportRequest; notice: string }>;

  async handle(turn: CardActionTurn): Promise<AdaptiveCard> {
    const request = await this.requests.visibleTo(turn.actor, turn.requestId);
    if (!request) return nothingToShowCard();
    try {
      const done = await this.act(turn, request);
      return buildChannelAdminCard(done.request, this.requests.today(), done.notice, await this.requests.knownAdmins());
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Here a non-admin is the request's subject or requester, refused for not being an admin: that
      // sentence names neither the request nor its subject.
      if (!(await this.requests.isAdmin(turn.actor))) return buildNoticeCard('Nothing was changed', error.sentence);
      return buildChannelAdminCard(await this.requests.byId(request.id), this.requests.today(), error.sentence, await this.requests.knownAdmins());
    }
  }
}

/**
 * The refresh: privacy admins get the actionable view, the request's subject and requester the
 * read-only channel card, anyone else nothing about it.
 */
export class ViewRequestAction implements CardActionHandler {
  readonly verb = CardVerb.View;
  constructor(private readonly requests: RequestService) {}

  async handle(turn: CardActionTurn): Promise<AdaptiveCard> {
    const request = await this.requests.visibleTo(turn.actor, turn.requestId);
    if (!request) return nothingToShowCard();
    const today = this.requests.today();
    return (await this.requests.isAdmin(turn.actor))
      ? buildChannelAdminCard(request, today, undefined, await this.requests.knownAdmins())
      : buildChannelEventCard(request, MOMENT_OF[request.state], today);
  }
}

export class ExtendFromChannel extends ChannelAction {
  readonly verb = CardVerb.Extend;
  protected async act(turn: CardActionTurn, request: ExportRequest) {
    const extended = await this.requests.extend(
      turn.actor,
      request.reference,
      Number(turn.inputs[EXTEND_LENGTH_INPUT]),
      turn.inputs[EXTEND_REASON_INPUT] ?? '',
    );
    return { request: extended, notice: `Extended: due ${formatForPeople(extended.dueOn)}. ${extended.subject.displayName} is being told, with the reason.` };
  }
}

export class CancelFromChannel extends ChannelAction {
  readonly verb = CardVerb.Cancel;
  protected async act(turn: CardActionTurn, request: ExportRequest) {
    const cancelled = await this.requests.cancel(turn.actor, request.id, turn.inputs[CANCEL_REASON_INPUT] ?? '');
    return { request: cancelled, notice: `${cancelled.reference} is cancelled; the reason is kept with it.` };
  }
}

export class RetryFromChannel extends ChannelAction {
  readonly verb = CardVerb.Retry;
  protected async act(turn: CardActionTurn, request: ExportRequest) {
    const retried = await this.requests.retry(turn.actor, request.reference);
    return { request: retried, notice: `${retried.reference} is queued for export again.` };
  }
}

export class AssignFromChannel extends ChannelAction {
  readonly verb = CardVerb.Assign;
  protected async act(turn: CardActionTurn, request: ExportRequest) {
    const chosen = turn.inputs[ASSIGNEE_INPUT];
    const assigned = await this.requests.assign(turn.actor, request.id, chosen || undefined);
    const toSelf = assigned.assignee?.objectId.toLowerCase() === turn.actor.objectId.toLowerCase();
    return {
      request: assigned,
      notice: toSelf ? `You have taken on ${assigned.reference}.` : `${assigned.reference} is assigned to ${assigned.assignee?.displayName}.`,
    };
  }
}
