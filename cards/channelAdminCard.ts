import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import { daysLeft, describeDaysLeft } from '../domain/deadlines/dueDate';
import { allowedExtensions, describeExtension, EXTENSION_RULES } from '../domain/deadlines/extension';
import { computeDueDate } from '../domain/deadlines/dueDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { canTake, isOpen, RequestEvent, RequestState, STATE_LABEL } from '../domain/requests/lifecycle';
import { ADAPTIVE_CARD_VERSION, plainText, type AdaptiveCard } from './adaptiveCard';
import { ASSIGNEE_INPUT, CANCEL_REASON_INPUT, CardVerb, DECLINE_REASON_MAX_LENGTH, EXTEND_LENGTH_INPUT, EXTEND_REASON_INPUT } from './cardVerbs';

/**
 * A request's card in the privacy channel as a privacy admin sees it (the refreshed view): where it
 * stands, who has it, and what can be done — extend, cancel with a reason, retry, take it on. Only
 * the actions the request allows right now are shown; the server checks everything again.
 * Built in code: which actions appear depends on the request.
 */
export function buildChannelAdminCard(
  request: ExportRequest,
  today: CalendarDate,
  notice?: string,
  admins: ReadonlyArray<{ objectId: string; displayName: string }> = [],
): AdaptiveCard {
  const data = { requestId: request.id };
  const body: unknown[] = [
    ...(notice
      ? [
          {
            type: 'Container',
            style: 'emphasis',
            items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: plainText(notice), weight: 'Bolder' }] }],
          },
        ]
      : []),
    { type: 'TextBlock', text: `${request.reference} — admin view`, weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: plainText(request.subject.displayName), weight: 'Bolder' },
        {
          type: 'TextRun',
          text: ` · ${STATE_LABEL[request.state]} · due ${formatForPeople(request.dueOn)}${isOpen(request.state) ? `, ${describeDaysLeft(daysLeft(request.dueOn, today))}` : ''}`,
        },
      ],
    },
    {
      type: 'RichTextBlock',
      inlines: [
        {
          type: 'TextRun',
          text: request.assignee ? `Handled by ${plainText(request.assignee.displayName)}` : 'Nobody has taken this request on yet.',
          isSubtle: true,
        },
      ],
    },
  ];
  const actions: unknown[] = [];
  const rule = EXTENSION_RULES[request.regime];
  // Offered only while the service would accept it: not once the due date has passed (decision 0017); before any
  // extension the first period ends on the due date itself, as the working-day rule produced it.
  const firstPeriodDueOn = request.extensions?.length ? computeDueDate(request.regime, request.receivedOn) : request.dueOn;
  const lengths =
    isOpen(request.state) && !(today > request.dueOn && !request.pause)
      ? allowedExtensions(request.regime, firstPeriodDueOn, request.extensions ?? [], today)
      : [];
  if (lengths.length > 0) {
    actions.push({
      type: 'Action.ShowCard',
      title: 'Extend',
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.ChoiceSet',
            id: EXTEND_LENGTH_INPUT,
            label: 'By how much',
            isRequired: true,
            value: String(lengths[0]),
            choices: lengths.map((l) => ({ title: describeExtension(l, rule.unit), value: String(l) })),
          },
          {
            type: 'Input.Text',
            id: EXTEND_REASON_INPUT,
            label: 'Reason (the data subject reads it)',
            isRequired: true,
            isMultiline: true,
            maxLength: DECLINE_REASON_MAX_LENGTH,
          },
        ],
        actions: [{ type: 'Action.Execute', title: 'Extend the deadline', verb: CardVerb.Extend, data }],
      },
    });
  }
  if (request.state === RequestState.Failed) actions.push({ type: 'Action.Execute', title: 'Retry', verb: CardVerb.Retry, data });
  if (canTake(request.state, RequestEvent.Cancel)) {
    actions.push({
      type: 'Action.ShowCard',
      title: 'Cancel',
      card: {
        type: 'AdaptiveCard',
        body: [
          { type: 'Input.Text', id: CANCEL_REASON_INPUT, label: 'Why cancel? (kept with the request)', isRequired: true, maxLength: DECLINE_REASON_MAX_LENGTH },
        ],
        actions: [{ type: 'Action.Execute', title: 'Cancel the request', verb: CardVerb.Cancel, data, style: 'destructive' }],
      },
    });
  }
  if (isOpen(request.state)) {
    actions.push({ type: 'Action.Execute', title: 'Take it on', verb: CardVerb.Assign, data });
    if (admins.length > 1) {
      actions.push({
        type: 'Action.ShowCard',
        title: 'Assign to…',
        card: {
          type: 'AdaptiveCard',
          body: [
            {
              type: 'Input.ChoiceSet',
              id: ASSIGNEE_INPUT,
              label: 'Privacy admin',
              isRequired: true,
              choices: admins.map((a) => ({ title: plainText(a.displayName), value: a.objectId })),
            },
          ],
          actions: [{ type: 'Action.Execute', title: 'Assign', verb: CardVerb.Assign, data }],
        },
      });
    }
  }
  return { type: 'AdaptiveCard', version: ADAPTIVE_CARD_VERSION, body, ...(actions.length ? { actions } : {}) };
}
