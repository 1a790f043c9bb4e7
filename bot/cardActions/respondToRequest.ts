import { alreadyAnsweredSentence, buildConfirmationOutcomeCard, buildNoticeCard, CardVerb, DECLINE_REASON_INPUT } from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import type { ComplaintRoute } from '../../cards/subjectNotices';
import { isRefusal, RefusalCode } from '../../domain/refusal';
import { Decision, type RequestService } from '../../domain/requests/requestService';
import type { RequestStore } from '../../domain/requests/requestStore';
import type { Actor } from '../../domain/actor';
import type { CardActionHandler, CardActionTurn } from './cardAction';
import { nothingToShowCard } from './channelActions';

/**
 * Approve and Decline on the subject's confirmation card. A refusal answers with a card that says
 * why — the request's own card only for its subject, so nobody else learns what it is about — and
 * someone with no part in the request learns nothing at all, not even that it exists.
 */
abstract class RespondToRequest implements CardActionHandler {
  abstract readonly verb: string;
  protected abstract readonly decision: Decision;

  constructor(
    private readonly requests: RequestService,
    private readonly store: RequestStore,
    /** Where a subject may complain, as the controller configured it (named on the card after a decline). */
    private readonly complaints: ComplaintRoute = {},
  ) {}

  handle(turn: CardActionTurn): Promise<AdaptiveCard> {
    return answerConfirmation(
      { requests: this.requests, store: this.store, complaints: this.complaints },
      turn.actor,
      turn.requestId,
      this.decision,
      turn.inputs,
    );
  }
}

/**
 * The subject's answer on their confirmation card, wherever the card is (a chat, the tab): recorded by
 * RequestService.respond, answered with the card that replaces the clicked one. One place for both,
 * so the rule, the audit event and what the subject reads are the same.
 */
export async function answerConfirmation(
  deps: { readonly requests: RequestService; readonly store: RequestStore; readonly complaints?: ComplaintRoute },
  actor: Actor,
  requestId: string,
  decision: Decision,
  inputs: Readonly<Record<string, string>>,
): Promise<AdaptiveCard> {
  const { requests, store, complaints = {} } = deps;
  try {
    const reason = decision === Decision.Decline ? inputs[DECLINE_REASON_INPUT] : undefined;
    const request = await requests.respond(actor, requestId, decision, reason);
    return buildConfirmationOutcomeCard(request, undefined, complaints);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (error.code === RefusalCode.NotAwaitingConfirmation && error.requestId) {
      // Only the subject gets this far (anyone else is refused first): answer in their language.
      const current = await store.get(error.requestId);
      if (current) return buildConfirmationOutcomeCard(current, alreadyAnsweredSentence(current), complaints);
    }
    // The refusal names the subject ("Only … can answer"); an unknown id gets the same card as this.
    if (!(await requests.visibleTo(actor, requestId))) return nothingToShowCard();
    return buildNoticeCard('Nothing was changed', error.sentence);
  }
}

export class ApproveRequest extends RespondToRequest {
  readonly verb = CardVerb.Approve;
  protected readonly decision = Decision.Approve;
}

export class DeclineRequest extends RespondToRequest {
  readonly verb = CardVerb.Decline;
  protected readonly decision = Decision.Decline;
}
