import type { ExportRequest, SubjectAnswer } from '../domain/requests/exportRequest';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import template from './answerSentCard.json';
import { answerLimit } from './pausedRequestNotices';
import { PAUSED_REQUEST_TEXT, type PausedRequestText } from './text/pausedRequest.text';
import { subjectLanguage } from './text/subjectLanguage';

/** Every `${...}` in answerSentCard.json, typed. */
interface AnswerSentCardData {
  text: PausedRequestText;
  sent: string;
  truncated: boolean;
  truncatedNote: string;
  hasAsked: boolean;
  /** The admin's words, through plainText: a TextRun. */
  asked: string;
  /** The subject's words as kept, through plainText: a TextRun. */
  answer: string;
}

/**
 * What replaces the pause notice once the subject has sent their answer from it: sent to the privacy
 * team, the clock stays paused until they resume it, what was asked and what they answered (as kept:
 * cut with "…", and said so, when it was too long), and that a reply in the chat adds to it.
 */
export function buildAnswerSentCard(request: ExportRequest, answer: SubjectAnswer): AdaptiveCard {
  const language = subjectLanguage(request);
  const text = PAUSED_REQUEST_TEXT[language];
  const data: AnswerSentCardData = {
    text,
    sent: text.sent(request.reference),
    truncated: answer.truncated === true,
    truncatedNote: text.truncated(answerLimit(language)),
    hasAsked: request.pause !== undefined,
    asked: plainText(request.pause?.reason ?? ''),
    answer: plainText(answer.text),
  };
  return renderTemplate(template, data);
}
