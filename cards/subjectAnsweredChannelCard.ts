import type { CalendarDate } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { isOpen } from '../domain/requests/lifecycle';
import { REGIME_LABEL } from '../domain/requests/regime';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import { describeDue } from './requestText';
import template from './subjectAnsweredChannelCard.json';

/** Every `${...}` in subjectAnsweredChannelCard.json, typed. */
interface SubjectAnsweredChannelCardData {
  headline: string;
  reference: string;
  /** Through plainText: a TextRun. */
  subjectName: string;
  regime: string;
  due: string;
  note: string;
}

/**
 * The post in a request's channel thread when its subject answered a paused request. The channel's
 * rule holds: reference, display name, regime and due date — never what the subject wrote, nor what
 * they were asked. It says where the answer is (the 1:1 chats of the admins following the request)
 * and how to resume. No actions and no request id.
 */
export function buildSubjectAnsweredChannelCard(request: ExportRequest, today: CalendarDate): AdaptiveCard {
  const paused = request.pause !== undefined && isOpen(request.state);
  const data: SubjectAnsweredChannelCardData = {
    headline: paused ? 'The data subject answered; the clock stays paused' : 'The data subject answered',
    reference: request.reference,
    subjectName: plainText(request.subject.displayName),
    regime: REGIME_LABEL[request.regime],
    due: describeDue(request, today),
    note: paused
      ? `Their answer is not shown here: the admins following ${request.reference} have it in their 1:1 chat with me. When you have what you need, type "resume ${request.reference}" in our 1:1 chat.`
      : 'Their answer is not shown here: the admins following this request have it in their 1:1 chat with me.',
  };
  return renderTemplate(template, data);
}
