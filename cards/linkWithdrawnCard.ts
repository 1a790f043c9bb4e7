import type { DeliveryRecipient, ExportRequest } from '../domain/requests/exportRequest';
import { type AdaptiveCard, renderTemplate } from './adaptiveCard';
import template from './linkWithdrawnCard.json';
import { buildNoticeCard } from './noticeCard';
import { LINK_WITHDRAWN_CARD_TEXT, LINK_WITHDRAWN_FOR_REQUESTER_TEXT, type LinkWithdrawnCardText } from './text/linkWithdrawnCard.text';
import { subjectLanguage } from './text/subjectLanguage';

interface LinkWithdrawnCardData {
  text: { heading: string; withdrawn: string; nextHeading: string; next: string };
}

/** The subject's strings in their language; the filing admin's in English. */
function textFor(request: ExportRequest, recipient: DeliveryRecipient): LinkWithdrawnCardText {
  return recipient === 'requester' ? LINK_WITHDRAWN_FOR_REQUESTER_TEXT : LINK_WITHDRAWN_CARD_TEXT[subjectLanguage(request)];
}

/**
 * What a download card becomes when its link is revoked: it is updated in place to say the link was
 * withdrawn, with no download button, and what happens next. Only the reference is on it: no link,
 * no reason, no note of the privacy team's. `recipient`: whoever received the link (the subject by
 * default, the filing admin when the package goes to them).
 */
export function buildLinkWithdrawnCard(request: ExportRequest, recipient: DeliveryRecipient = request.deliverTo): AdaptiveCard {
  const t = textFor(request, recipient);
  const data: LinkWithdrawnCardData = {
    text: { heading: t.heading, withdrawn: t.withdrawn(request.reference), nextHeading: t.nextHeading, next: t.next(request.reference) },
  };
  return renderTemplate(template, data);
}

/** Sent once instead, when a card that carried a link cannot be changed in place (it is gone). */
export function buildLinkWithdrawnNoticeCard(request: ExportRequest, recipient: DeliveryRecipient = request.deliverTo): AdaptiveCard {
  const t = textFor(request, recipient);
  return buildNoticeCard(t.noticeTitle(request.reference), t.noticeSentence(request.reference));
}
