import { isValidTimeZone, PEOPLE_LOCALE } from '../domain/deadlines/calendarDate';
import type { ExportRequest, PackageInfo } from '../domain/requests/exportRequest';
import { type AdaptiveCard, renderTemplate } from './adaptiveCard';
import template from './packageReadyCard.json';
import { PACKAGE_READY_CARD_TEXT } from './text/packageReadyCard.text';
import { DATE_LOCALE, type SubjectLanguage, subjectLanguage } from './text/subjectLanguage';

/** Hosts for which a plain-http link is acceptable: Azurite in local mode. Anything else must be https. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Shown instead of a bad tenant setting: the instant is still right, and the zone name says which. */
const FALLBACK_TIME_ZONE = 'UTC';

/** The card's fixed strings in the subject's language, with the reference already in its sentences. */
interface PackageReadyCardStrings {
  heading: string;
  intro: string;
  privateHeading: string;
  privateWarning: string;
  expiresTitle: string;
  packageTitle: string;
  insideHeading: string;
  insideData: string;
  insideManifest: string;
  insideCoverLetter: string;
  expired: string;
  downloadButton: string;
}

interface PackageReadyCardData {
  text: PackageReadyCardStrings;
  expiresAt: string;
  hasPackage: boolean;
  packageSummary: string;
  url: string;
}

/**
 * The subject's download card. The link appears only in the Action.OpenUrl, never in text (Teams
 * would show it, and a text link is easier to copy into the wrong place). It goes to the subject's
 * 1:1 chat only; the privacy team's channel never sees it. Written in the subject's preferred language.
 */
export function buildPackageReadyCard(request: ExportRequest, link: { url: string; expiresAt: Date }, timeZone: string): AdaptiveCard {
  const language = subjectLanguage(request);
  const t = PACKAGE_READY_CARD_TEXT[language];
  const data: PackageReadyCardData = {
    text: {
      heading: t.heading,
      intro: t.intro(request.reference),
      privateHeading: t.privateHeading,
      privateWarning: t.privateWarning,
      expiresTitle: t.expiresTitle,
      packageTitle: t.packageTitle,
      insideHeading: t.insideHeading,
      insideData: t.insideData,
      insideManifest: t.insideManifest,
      insideCoverLetter: t.insideCoverLetter,
      expired: t.expired(request.reference),
      downloadButton: t.downloadButton,
    },
    expiresAt: formatInstantForPeople(link.expiresAt, timeZone, DATE_LOCALE[language]),
    hasPackage: request.package !== undefined,
    packageSummary: request.package ? describePackage(request.package, language) : '',
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

/**
 * "Thu 26 Feb 2026, 14:30 CET": the style of formatForPeople, plus the time in the tenant's zone.
 * Another locale gets the same parts in its own order: "Mo., 9. März 2026, 11:00 MEZ".
 */
export function formatInstantForPeople(instant: Date, timeZone: string, locale: string = PEOPLE_LOCALE): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : FALLBACK_TIME_ZONE;
  const format = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  if (locale !== PEOPLE_LOCALE) return format.format(instant);
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** "7 files, 1.2 MB"; in German "7 Dateien, 1,2 MB", in French "7 fichiers, 1,2 Mo". */
export function describePackage(pkg: PackageInfo, language: SubjectLanguage = 'en'): string {
  const text = PACKAGE_READY_CARD_TEXT[language];
  return `${text.files(pkg.fileCount)}, ${formatSize(pkg.sizeBytes, language)}`;
}

/** Decimal (SI) units: 1 MB is 1,000,000 bytes. One decimal below 10 so small packages do not read as 0. */
function formatSize(bytes: number, language: SubjectLanguage): string {
  const text = PACKAGE_READY_CARD_TEXT[language];
  if (bytes < 1000) return text.bytes(bytes);
  const units = text.units;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0).replace('.', text.decimalSeparator)} ${units[unit]}`;
}
