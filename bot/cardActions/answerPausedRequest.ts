import { buildAnswerRefusedCard, buildAnswerSentCard, buildNoticeCard, buildSubjectAnsweredCard, CardVerb, SUBJECT_ANSWER_INPUT } from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { formatForPeople } from '../../domain/deadlines/calendarDate';
import { isRefusal } from '../../domain/refusal';
import { AnswerRefusal, type RequestService } from '../../domain/requests/requestService';
import type { CardActionHandler, CardActionTurn } from './cardAction';
import { nothingToShowCard } from './channelActions';

/**
 * "Send to the privacy team" on the pause notice: the subject's answer is recorded and passed on (see
 * RequestService.recordSubjectAnswer), and the notice is replaced by what was sent. Only the subject
 * may answer: anyone else is refused (audited) and changes nothing; someone with no part in the
 * request learns nothing about it, not even that it exists.
 */
export class AnswerPausedRequest implements CardActionHandler {
  readonly verb = CardVerb.Answer;
  constructor(private readonly requests: RequestService) {}

  async handle(turn: CardActionTurn): Promise<AdaptiveCard> {
    try {
      const { request, answer } = await this.requests.recordSubjectAnswer(turn.actor, turn.requestId, turn.inputs[SUBJECT_ANSWER_INPUT] ?? '');
      return buildAnswerSentCard(request, answer);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Only the subject gets an AnswerRefusal (anyone else is refused first): say it in their language.
      if (error instanceof AnswerRefusal) return buildAnswerRefusedCard(await this.requests.byId(error.requestId!), error.reason);
      // "Only … can answer" names the subject; an unknown id gets the same card as someone unrelated.
      if (!(await this.requests.visibleTo(turn.actor, turn.requestId))) return nothingToShowCard();
      return buildNoticeCard('Nothing was changed', error.sentence);
    }
  }
}

/**
 * "Resume the clock" on the card that brings an admin the subject's answer. Privacy admins only (the
 * domain checks); the answer is the same card again, with what happened on top and no button left
 * once the clock runs.
 */
export class ResumeFromCard implements CardActionHandler {
  readonly verb = CardVerb.Resume;
  constructor(
    private readonly requests: RequestService,
    private readonly timeZone: string,
  ) {}

  async handle(turn: CardActionTurn): Promise<AdaptiveCard> {
    const request = await this.requests.visibleTo(turn.actor, turn.requestId);
    if (!request) return nothingToShowCard();
    try {
      const resumed = await this.requests.resume(turn.actor, request.reference);
      return buildSubjectAnsweredCard(
        resumed,
        this.timeZone,
        `The clock for ${resumed.reference} is running again: now due ${formatForPeople(resumed.dueOn)}.`,
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // A non-admin here is the request's subject or requester: the refusal names neither the request nor its subject.
      if (!(await this.requests.isAdmin(turn.actor))) return buildNoticeCard('Nothing was changed', error.sentence);
      return buildSubjectAnsweredCard(await this.requests.byId(request.id), this.timeZone, error.sentence);
    }
  }
}
