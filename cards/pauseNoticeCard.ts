import type { ExportRequest } from '../domain/requests/exportRequest';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import { CardVerb, SUBJECT_ANSWER_INPUT, SUBJECT_ANSWER_MAX_LENGTH, type RequestActionData } from './cardVerbs';
import template from './pauseNoticeCard.json';
import { PAUSED_REQUEST_TEXT, type PausedRequestText } from './text/pausedRequest.text';
import { subjectLanguage } from './text/subjectLanguage';

/** Every `${...}` in pauseNoticeCard.json, typed. */
interface PauseNoticeCardData {
  text: PausedRequestText;
  paused: string;
  /** The admin's words, through plainText: a TextRun. */
  reason: string;
  answerInputId: string;
  answerMaxLength: number;
  answerVerb: string;
  actionData: RequestActionData;
}

/**
 * The data subject's notice that the clock on their request is paused: what the privacy team needs, in
 * the admin's words (shown as written, never as Markdown), and how to answer — the box and "Send to the
 * privacy team" on the card, or a reply in the chat. In the subject's language. The button carries only
 * the request id; who clicked is read from the activity, and only the subject may answer.
 */
export function buildPauseNoticeCard(request: ExportRequest): AdaptiveCard {
  if (!request.pause) throw new Error(`Request ${request.id} is not paused: there is nothing to ask the subject.`);
  const text = PAUSED_REQUEST_TEXT[subjectLanguage(request)];
  const data: PauseNoticeCardData = {
    text,
    paused: text.paused(request.reference),
    reason: plainText(request.pause.reason),
    answerInputId: SUBJECT_ANSWER_INPUT,
    answerMaxLength: SUBJECT_ANSWER_MAX_LENGTH,
    answerVerb: CardVerb.Answer,
    actionData: { requestId: request.id },
  };
  return renderTemplate(template, data);
}
