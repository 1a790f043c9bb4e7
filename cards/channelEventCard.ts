import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { RequestMoment } from '../domain/delivery/notification';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { REGIME_LABEL } from '../domain/requests/regime';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import { describeDue } from './requestText';
import template from './channelEventCard.json';

/** One headline per moment; a Record so a new RequestMoment fails to compile until it has one. */
export const CHANNEL_HEADLINE: Record<RequestMoment, string> = {
  filed: 'New export request filed',
  confirmed: 'The data subject approved the export',
  declined: 'The data subject declined the export',
  ready: 'Export package ready',
  delivered: 'Download link delivered to the data subject',
  failed: 'Export failed',
  cancelled: 'Request cancelled by the privacy team',
  reached_by_mail: 'The data subject could not be reached in Teams and was e-mailed instead',
};

/** Container styles that make the moments that need someone's attention stand out in a busy channel. */
const HEADLINE_STYLE: Record<RequestMoment, 'default' | 'good' | 'attention' | 'warning' | 'emphasis'> = {
  filed: 'emphasis',
  confirmed: 'emphasis',
  declined: 'warning',
  ready: 'good',
  delivered: 'good',
  failed: 'attention',
  cancelled: 'warning',
  reached_by_mail: 'warning',
};

/** The link normally goes to the subject; say so when it went to the filing admin instead. */
const DELIVERED_TO_REQUESTER = 'Download link delivered to the filing admin (the subject’s account is disabled)';

const SOURCE_NOT_RECORDED = 'Not recorded';

/**
 * Where a moment has words behind it (the subject's reason, the admin's, the failure detail), the card
 * says where to read them rather than quoting them to the whole team. The sentence is the same whether
 * or not anything was written, so the card tells nobody that a subject explained themselves.
 */
export const KEPT_WITH_REQUEST: Partial<Record<RequestMoment, string>> = {
  declined: 'Any reason the data subject gave is kept with the request: ask me in our 1:1 chat.',
  cancelled: 'The reason is kept with the request: ask me in our 1:1 chat.',
  failed: 'What went wrong is kept with the request: ask me in our 1:1 chat.',
};

interface ChannelEventCardData {
  headline: string;
  headlineStyle: string;
  reference: string;
  /** Through plainText: it sits in a TextRun. */
  subjectName: string;
  regime: string;
  due: string;
  isFailed: boolean;
  /** Through plainText: a TextRun (a source id comes from configuration, so it is not ours to trust). */
  failureSource: string;
  hasKeptNote: boolean;
  keptNote: string;
}

/**
 * A post in the privacy team's channel. Everyone in the team reads it, so by design it carries only
 * the reference and the subject's display name: no UPN or mail, no intake note, no decline reason,
 * no cancellation reason, no failure message (it may quote exported data), and never a link. No
 * actions and no request id either: nothing on it is worth forwarding.
 */
export function buildChannelEventCard(request: ExportRequest, moment: RequestMoment, today: CalendarDate): AdaptiveCard {
  const source = request.failure?.source?.trim();
  const data: ChannelEventCardData = {
    headline: moment === RequestMoment.Delivered && request.deliverTo === 'requester' ? DELIVERED_TO_REQUESTER : CHANNEL_HEADLINE[moment],
    headlineStyle: HEADLINE_STYLE[moment],
    reference: request.reference,
    subjectName: plainText(request.subject.displayName),
    regime: REGIME_LABEL[request.regime],
    due: describeDue(request, today),
    isFailed: moment === RequestMoment.Failed,
    failureSource: source ? plainText(source) : SOURCE_NOT_RECORDED,
    hasKeptNote: KEPT_WITH_REQUEST[moment] !== undefined,
    keptNote: KEPT_WITH_REQUEST[moment] ?? '',
  };
  return renderTemplate(template, data);
}
