import type { ExportRequest } from '../domain/requests/exportRequest';
import { plainText, renderTemplate, type AdaptiveCard } from './adaptiveCard';
import { checkedDownloadUrl, describePackage, formatInstantForPeople } from './packageReadyCard';
import template from './packageForRequesterCard.json';

/**
 * The download card for the admin who filed a request whose subject cannot receive it in Teams
 * (a disabled account). Sent only when the request records that choice; the link is in the action only.
 */
export function buildPackageForRequesterCard(request: ExportRequest, link: { url: string; expiresAt: Date }, timeZone: string): AdaptiveCard {
  return renderTemplate(template, {
    reference: request.reference,
    subjectName: plainText(request.subject.displayName),
    expiresAt: formatInstantForPeople(link.expiresAt, timeZone),
    hasPackage: request.package !== undefined,
    packageSummary: request.package ? describePackage(request.package) : '',
    url: checkedDownloadUrl(link.url),
  });
}
