import { isValidTimeZone } from '../domain/deadlines/calendarDate';
import type { ExportRequest, PackageInfo } from '../domain/requests/exportRequest';
import { type AdaptiveCard, renderTemplate } from './adaptiveCard';
import template from './packageReadyCard.json';

/** Hosts for which a plain-http link is acceptable: Azurite in local mode. Anything else must be https. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Shown instead of a bad tenant setting: the instant is still right, and the zone name says which. */
const FALLBACK_TIME_ZONE = 'UTC';

interface PackageReadyCardData {
  reference: string;
  expiresAt: string;
  hasPackage: boolean;
  packageSummary: string;
  url: string;
}

/**
 * The subject's download card. The link appears only in the Action.OpenUrl, never in text (Teams
 * would show it, and a text link is easier to copy into the wrong place). It goes to the subject's
 * 1:1 chat only; the privacy team's channel never sees it.
 */
export function buildPackageReadyCard(
  request: ExportRequest,
  link: { url: string; expiresAt: Date },
  timeZone: string,
): AdaptiveCard {
  const data: PackageReadyCardData = {
    reference: request.reference,
    expiresAt: formatInstantForPeople(link.expiresAt, timeZone),
    hasPackage: request.package !== undefined,
    packageSummary: request.package ? describePackage(request.package) : '',
    url: checkedDownloadUrl(link.url),
  };
  return renderTemplate(template, data);
}

/**
 * The last check before a link reaches a person: an http(s) URL, and https unless it points at this
 * machine. A `javascript:` or other scheme, or plain http to a remote host, is a bug upstream.
 */
export function checkedDownloadUrl(url: string): string {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  const localHttp = parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  if (!secure && !localHttp) throw new Error('A download link must be https (plain http only to a loopback host).');
  return url;
}

/** "Thu 26 Feb 2026, 14:30 CET": the style of formatForPeople, plus the time in the tenant's zone. */
export function formatInstantForPeople(instant: Date, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : FALLBACK_TIME_ZONE;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

export function describePackage(pkg: PackageInfo): string {
  const files = pkg.fileCount === 1 ? '1 file' : `${pkg.fileCount} files`;
  return `${files}, ${formatSize(pkg.sizeBytes)}`;
}

/** Decimal (SI) units: 1 MB is 1,000,000 bytes. One decimal below 10 so small packages do not read as 0. */
function formatSize(bytes: number): string {
  if (bytes < 1000) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
