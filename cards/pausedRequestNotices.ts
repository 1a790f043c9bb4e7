import type { ExportRequest, SubjectAnswer } from '../domain/requests/exportRequest';
import { MAX_ANSWERS_PER_PAUSE, MAX_SUBJECT_ANSWER, type AnswerRefusalReason } from '../domain/requests/requestService';
import type { AdaptiveCard } from './adaptiveCard';
import { buildNoticeCard } from './noticeCard';
import { PAUSED_REQUEST_TEXT } from './text/pausedRequest.text';
import { DATE_LOCALE, subjectLanguage, type SubjectLanguage } from './text/subjectLanguage';

/**
 * What Privacy Desk says to a data subject about a paused request outside its two cards, in their
 * language: the notice's summary, the reply to a typed answer, and why an answer was not taken.
 * Built only from references and our own words: the subject's answer is never quoted back here.
 */

/** The longest answer passed on, as a number reads in the language (1,000 · 1.000 · 1 000). */
export function answerLimit(language: SubjectLanguage): string {
  return new Intl.NumberFormat(DATE_LOCALE[language]).format(MAX_SUBJECT_ANSWER);
}

/** The pause notice's summary (activity feed, chat list). */
export function pauseNoticeSummary(request: ExportRequest): string {
  return PAUSED_REQUEST_TEXT[subjectLanguage(request)].summary(request.reference);
}

/** The reply to an answer typed in the chat: sent, the clock stays paused, and whether it was cut. */
export function answerSentSentence(request: ExportRequest, answer: SubjectAnswer): string {
  const language = subjectLanguage(request);
  const text = PAUSED_REQUEST_TEXT[language];
  return answer.truncated ? `${text.sentTyped(request.reference)} ${text.truncated(answerLimit(language))}` : text.sentTyped(request.reference);
}

/** Why an answer was not taken, in the subject's language. */
export function answerRefusedSentence(request: ExportRequest, reason: AnswerRefusalReason): string {
  const text = PAUSED_REQUEST_TEXT[subjectLanguage(request)];
  switch (reason) {
    case 'not_waiting':
      return text.notWaiting(request.reference);
    case 'empty':
      return text.empty;
    case 'too_many':
      return text.tooMany(request.reference, MAX_ANSWERS_PER_PAUSE);
  }
}

/** The card that replaces the pause notice when an answer from it was not taken. */
export function buildAnswerRefusedCard(request: ExportRequest, reason: AnswerRefusalReason): AdaptiveCard {
  return buildNoticeCard(PAUSED_REQUEST_TEXT[subjectLanguage(request)].nothingSentTitle, answerRefusedSentence(request, reason));
}

/** Several requests wait for the subject's answer: which one is it? In the language of the first. */
export function whichRequestSentence(waiting: readonly ExportRequest[]): string {
  const first = waiting[0];
  if (!first) throw new Error('whichRequestSentence needs the requests that are waiting');
  const language = subjectLanguage(first);
  const references = new Intl.ListFormat(DATE_LOCALE[language], { type: 'conjunction' }).format(waiting.map((r) => r.reference));
  return PAUSED_REQUEST_TEXT[language].whichRequest(references, first.reference);
}

/** A message that named the request and nothing else. */
export function answerMissingSentence(request: ExportRequest): string {
  return PAUSED_REQUEST_TEXT[subjectLanguage(request)].answerMissing(request.reference);
}

/** A message with files or pictures and no words: nothing is passed on. */
export function filesNotPassedSentence(request: ExportRequest): string {
  return PAUSED_REQUEST_TEXT[subjectLanguage(request)].filesNotPassed;
}
