import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { isOpen, STATE_LABEL } from '../domain/requests/lifecycle';
import { MAX_SUBJECT_ANSWER } from '../domain/requests/requestService';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import { CardVerb, type RequestActionData } from './cardVerbs';
import { formatInstantForPeople } from './packageReadyCard';
import template from './subjectAnsweredCard.json';

/** Every `${...}` in subjectAnsweredCard.json, typed. */
interface SubjectAnsweredCardData {
  hasNotice: boolean;
  /** Through plainText: a TextRun (a refusal sentence may quote a reference someone typed). */
  notice: string;
  /** Through plainText: a TextRun. */
  subjectName: string;
  reference: string;
  hasAsked: boolean;
  /** The admin's words, through plainText: a TextRun. */
  asked: string;
  answersHeading: string;
  /** Each answer's words through plainText: TextRuns. */
  answers: Array<{ receivedAt: string; text: string; truncated: boolean; truncatedNote: string }>;
  clock: string;
  paused: boolean;
  resumeCommand: string;
  resumeVerb: string;
  actionData: RequestActionData;
}

const TRUNCATED_NOTE = `They wrote more than ${MAX_SUBJECT_ANSWER.toLocaleString('en-GB')} characters; the rest was not kept (they were told).`;

/**
 * For a privacy admin following a paused request, in their 1:1 chat: the subject answered, with what
 * was asked and what they wrote (the answers the request keeps, oldest first, each shown as written:
 * TextRuns, never Markdown, no mention or link made from them), and — while the clock is still paused
 * — "Resume the clock" (admins only; the server checks) and the typed command. Never sent to a
 * channel: it quotes the subject. `notice` goes on top when the card answers a click.
 */
export function buildSubjectAnsweredCard(request: ExportRequest, timeZone: string, notice?: string): AdaptiveCard {
  const answers = request.subjectAnswers ?? [];
  const paused = request.pause !== undefined && isOpen(request.state);
  const data: SubjectAnsweredCardData = {
    hasNotice: Boolean(notice),
    notice: plainText(notice ?? ''),
    subjectName: plainText(request.subject.displayName),
    reference: request.reference,
    hasAsked: paused,
    asked: plainText(request.pause?.reason ?? ''),
    answersHeading: answers.length === 1 ? 'Their answer' : answers.length === 0 ? 'Their answer is no longer kept' : 'Their answers, oldest first',
    answers: answers.map((a) => ({
      receivedAt: formatInstantForPeople(new Date(a.at), timeZone),
      text: plainText(a.text),
      truncated: a.truncated === true,
      truncatedNote: TRUNCATED_NOTE,
    })),
    clock: paused
      ? 'The clock stays paused until an admin resumes it. When you have what you need, resume it: the days it stood still are added to the due date.'
      : isOpen(request.state)
        ? `The clock is running again: due ${formatForPeople(request.dueOn)}.`
        : `${request.reference} is closed (${STATE_LABEL[request.state].toLowerCase()}).`,
    paused,
    resumeCommand: `resume ${request.reference}`,
    resumeVerb: CardVerb.Resume,
    actionData: { requestId: request.id },
  };
  return renderTemplate(template, data);
}
