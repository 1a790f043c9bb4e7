import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import { daysLeft, describeDaysLeft } from '../domain/deadlines/dueDate';
import type { DeadlineAlert } from '../domain/delivery/notification';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { STATE_LABEL } from '../domain/requests/lifecycle';
import { escapeText, renderTemplate, type AdaptiveCard } from './adaptiveCard';
import template from './deadlineAlertCard.json';

const ALERT: Record<DeadlineAlert, { headline: string; style: 'warning' | 'attention'; advice: string }> = {
  unanswered: {
    headline: 'The data subject has not answered yet',
    style: 'warning',
    advice: 'They have been reminded. Consider reaching them another way; the request closes as unconfirmed if nobody answers.',
  },
  due_soon: {
    headline: 'A request is due soon',
    style: 'warning',
    advice: 'If more time is needed and the first period has not ended, "extend" the deadline and give the subject the reason.',
  },
  overdue: {
    headline: 'A request is overdue',
    style: 'attention',
    advice: 'The statutory deadline has passed. Finish the request now and record why it was late.',
  },
  lapsed: {
    headline: 'Closed: the data subject did not confirm in time',
    style: 'warning',
    advice: 'Nothing was exported. The subject has been told; a new request can be filed if they come back.',
  },
};

/** A deadline alert for the privacy channel: reference and display name only, like every channel card. */
export function buildDeadlineAlertCard(request: ExportRequest, alert: DeadlineAlert, today: CalendarDate): AdaptiveCard {
  const a = ALERT[alert];
  return renderTemplate(template, {
    headline: a.headline,
    headlineStyle: a.style,
    reference: request.reference,
    subjectName: escapeText(request.subject.displayName),
    state: STATE_LABEL[request.state],
    due: `${formatForPeople(request.dueOn)} · ${describeDaysLeft(daysLeft(request.dueOn, today))}`,
    advice: a.advice,
  });
}
