import { renderTemplate, type AdaptiveCard } from './adaptiveCard';
import { checkedDownloadUrl, formatInstantForPeople } from './packageReadyCard';
import template from './registerCard.json';

/** The request register (Art. 5(2) record) for an admin: a CSV behind a short-lived read-only link. */
export function buildRegisterCard(rows: number, link: { url: string; expiresAt: Date }, timeZone: string): AdaptiveCard {
  return renderTemplate(template, {
    summary: rows === 1 ? 'Every request Privacy Desk holds: 1 request, as CSV.' : `Every request Privacy Desk holds: ${rows} requests, as CSV.`,
    expiresAt: formatInstantForPeople(link.expiresAt, timeZone),
    url: checkedDownloadUrl(link.url),
  });
}
