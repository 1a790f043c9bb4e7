import { calendarDateIn, formatForPeople, type CalendarDate } from '../deadlines/calendarDate';
import type { ExportRequest } from '../requests/exportRequest';
import { LETTER_TEXT, letterLanguage, type GdprDisclosurePart, type LetterLanguage, type LetterText } from './coverLetterText';
import { portableBasis, type DataSource, type LegalBasis, type Recipient, type SourceDisclosure } from './dataSource';
import { countOf, localisedFor, untranslatedSources, type LocalisedDisclosure } from './letterWording';
import { dataFile, MANIFEST_FILE } from './packageLayout';

export interface CoverLetterInput {
  readonly request: ExportRequest;
  /** `dataFiles`: the source's JSON and CSV paths in the package (more than two when it is split into parts). */
  readonly sources: ReadonlyArray<{ source: DataSource; records: number; dataFiles?: readonly string[] }>;
  readonly generatedAt: Date;
  readonly controller: ControllerDetails;
  /** The tenant's IANA zone: the generation day and time are told as people there lived them. */
  readonly timeZone: string;
}

/** Who the controller is and where to complain: configured once for the organisation. */
export interface ControllerDetails {
  readonly name: string;
  readonly contact: string;
  readonly supervisoryAuthority: string;
  /** Where a CCPA letter's covered period starts, when the sources file sets it (else 12 months before the request). */
  readonly ccpaCoveredSince?: CalendarDate;
}

export interface Section {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly items?: readonly string[];
}

/**
 * The letter that makes the package stand on its own (Art. 15(1) and (2) GDPR): what was processed,
 * why, by whom and where, for how long, on what legal basis, from where, whether decisions are
 * automated, what is portable, and what the person can do about it. Written in the subject's
 * preferred language where a translation exists (English, German, French), per-source texts included
 * where the configuration translated them; built once as sections, then rendered as Markdown and HTML.
 */
export function coverLetterSections(input: CoverLetterInput): Section[] {
  const { request, controller } = input;
  const language = letterLanguage(request.subject.preferredLanguage);
  const t = LETTER_TEXT[language];
  const { timeZone } = input;
  const sources = input.sources.map((entry) => ({ ...entry, ...localised(entry.source.disclosure, language) }));

  const untranslated = untranslatedSources(sources, t);
  const sections: Section[] = [
    {
      heading: t.title(request.reference),
      paragraphs: [
        t.greeting(request.subject.displayName),
        t.answers({
          receivedOn: formatForPeople(request.receivedOn, t.locale),
          law: t.requestUnder[request.regime],
          generatedOn: formatForPeople(calendarDateIn(input.generatedAt, timeZone), t.locale),
          generatedAt: new Intl.DateTimeFormat(t.locale, { hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'long' }).format(input.generatedAt),
          controller: controller.name,
        }),
        t.howToRead(MANIFEST_FILE),
        ...(untranslated.length > 0 ? [t.untranslated(untranslated.join(t.separator))] : []),
      ],
    },
  ];
  for (const { source, records, dataFiles, disclosure: d } of sources) {
    const files = dataFiles ?? [dataFile(source.id, 'json'), ...(source.tabular ? [dataFile(source.id, 'csv')] : [])];
    const label = (name: string, value: string) => `${name}${t.colon}${value}`;
    sections.push({
      heading: d.title,
      paragraphs: [t.files(files.join(', '), countOf(records, t))],
      items: [
        label(t.purposes, d.purposes.join(t.separator)),
        label(t.categories, d.categories.join(t.separator)),
        label(t.recipients, d.recipients.map((r) => r.name).join(t.separator)),
        label(t.retention, d.retention),
        label(t.legalBasis, legalBasisText(d.legalBasis, t)),
        label(t.origin, d.origin),
        label(
          t.automatedDecisionMaking,
          d.automatedDecisionMaking.used
            ? t.admUsed(d.automatedDecisionMaking.logic, d.automatedDecisionMaking.significance, d.automatedDecisionMaking.consequences)
            : t.admNotUsed,
        ),
        label(t.portability, portabilityText(d, t)),
      ],
    });
  }
  sections.push(transfersSection(sources, t));
  const consent = sources.some(({ disclosure: d }) => d.legalBasis.article === '6(1)(a)' || d.legalBasis.specialCategoryCondition === '9(2)(a)');
  const rights = request.regime === 'ccpa' ? t.ccpaRights : [...t.gdprRights, ...(consent ? [t.withdrawConsent] : [])];
  sections.push({ heading: t.rightsHeading, paragraphs: [t.rightsIntro], items: rights });
  sections.push({ heading: t.contactHeading, paragraphs: [t.contact(controller.contact), t.complaint(controller.supervisoryAuthority)] });
  return sections;
}

function localised(disclosure: SourceDisclosure, language: LetterLanguage): LocalisedDisclosure<GdprDisclosurePart> {
  // The CCPA block is the CCPA letter's business; this letter prints none of it.
  return localisedFor(disclosure, language, (part): part is GdprDisclosurePart => !part.startsWith('ccpa.'));
}

const ARTICLE_CODE = /^(\d+)\((\d+)\)\(([a-z])\)$/;

function citation(code: string, t: LetterText): string {
  const match = ARTICLE_CODE.exec(code);
  return match ? t.article(Number(match[1]), Number(match[2]), match[3]!) : code;
}

function legalBasisText(basis: LegalBasis, t: LetterText): string {
  const articles = [basis.article, ...(basis.specialCategoryCondition ? [basis.specialCategoryCondition] : [])].map((code) => citation(code, t));
  return `${articles.join(', ')} — ${basis.text}`;
}

/** Says why, when Art. 20 does not apply: the person learns which condition of Art. 20(1) is missing. */
function portabilityText(d: SourceDisclosure, t: LetterText): string {
  if (d.portable) return typeof d.providedBySubject === 'object' ? t.portableFields(d.providedBySubject.fields.join(', ')) : t.portableAll;
  if (!portableBasis(d.legalBasis)) return t.notPortableBasis;
  if (d.providedBySubject === 'none') return t.notPortableProvenance;
  return t.notPortable;
}

/**
 * Art. 15(2): each recipient outside the EEA once, with the sources it receives, where the data goes,
 * on which safeguards, and where a copy of them is; or a plain sentence that no data leaves the EEA.
 */
function transfersSection(sources: ReadonlyArray<{ source: DataSource; disclosure: SourceDisclosure }>, t: LetterText): Section {
  // Keyed by the declaration as configured, so one recipient named in several sources is listed once,
  // in the letter's language where any of those sources translated it.
  const byRecipient = new Map<string, { recipient: Recipient; translated: boolean; sources: string[] }>();
  for (const { source, disclosure } of sources) {
    disclosure.recipients.forEach((recipient, i) => {
      if (!recipient.transfer.thirdCountry) return;
      const declared = source.disclosure.recipients[i] ?? recipient;
      const key = JSON.stringify(declared);
      const translated = JSON.stringify(recipient) !== key;
      const entry = byRecipient.get(key) ?? { recipient, translated, sources: [] };
      if (translated && !entry.translated) Object.assign(entry, { recipient, translated });
      entry.sources.push(disclosure.title);
      byRecipient.set(key, entry);
    });
  }
  if (byRecipient.size === 0) return { heading: t.transfersHeading, paragraphs: [t.transfersNone] };
  const countries = new Intl.DisplayNames([t.locale], { type: 'region' });
  const items = [...byRecipient.values()].map(({ recipient, sources: titles }) => {
    const transfer = recipient.transfer;
    if (!transfer.thirdCountry) throw new Error('unreachable: only transfers are collected');
    const destination =
      'internationalOrganisation' in transfer.destination
        ? t.internationalOrganisation(transfer.destination.internationalOrganisation)
        : (countryName(countries, transfer.destination.country) ?? transfer.destination.country);
    return t.transfer({
      recipient: recipient.name,
      sources: titles.join(t.separator),
      destination,
      safeguards: transfer.safeguards.map((s) => t.safeguard[s]).join(t.separator),
      detail: transfer.safeguardDetail,
      ...(transfer.copyAvailableAt ? { copy: transfer.copyAvailableAt } : {}),
    });
  });
  return { heading: t.transfersHeading, paragraphs: [t.transfersIntro], items };
}

function countryName(names: Intl.DisplayNames, code: string): string | undefined {
  try {
    return names.of(code.toUpperCase());
  } catch {
    return undefined;
  }
}

export function renderMarkdown(sections: readonly Section[]): string {
  return sections
    .map((s, i) => {
      const lines = [`${i === 0 ? '#' : '##'} ${escapeMarkdown(s.heading)}`, '', ...s.paragraphs.map(escapeMarkdown).flatMap((p) => [p, ''])];
      if (s.items) lines.push(...s.items.map((item) => `- ${escapeMarkdown(item)}`), '');
      return lines.join('\n');
    })
    .join('\n');
}

export function renderHtml(sections: readonly Section[], language: LetterLanguage = 'en'): string {
  const body = sections
    .map((s, i) => {
      const tag = i === 0 ? 'h1' : 'h2';
      const paragraphs = s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
      const items = s.items ? `<ul>\n${s.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}\n</ul>` : '';
      return `<${tag}>${escapeHtml(s.heading)}</${tag}>\n${paragraphs}\n${items}`;
    })
    .join('\n');
  return `<!doctype html>\n<html lang="${language}">\n<head><meta charset="utf-8"><title>${escapeHtml(sections[0]?.heading ?? 'Your personal data')}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * One line of Markdown text that stays text: names come from the directory and descriptions from
 * configuration, and neither may add a heading, list, quote, table, HTML, link or emphasis to the
 * letter. Only characters that could do so are escaped, so the letter's own wording ("Art. 6(1)(b)")
 * reads as it is in the raw file. Checked against a GFM parser in the tests.
 */
export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replace(/^\s+/, '');
  const inline = oneLine
    // Backslash first, so the escapes added below are not themselves escaped.
    .replace(/[\\`*~[\]<>|]/g, '\\$&')
    // Intraword underscores (snake_case) cannot emphasise; others could.
    .replace(/_/g, (underscore, at: number, whole: string) => (/\w/.test(whole[at - 1] ?? '') && /\w/.test(whole[at + 1] ?? '') ? underscore : '\\_'))
    // A character reference would turn into the character it names.
    .replace(/&(?=#?[a-z0-9]+;)/gi, '\\&')
    // GFM makes links of bare URLs, www. addresses and e-mail addresses: break the pattern, keep the text.
    .replace(/\b(https?|ftp|mailto|xmpp)(?=:)/gi, '$1\\')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`)
    .replace(/@/g, '\\@');
  // At the start of a line: "#", ">", "-", "+", "=", "1." or "1)" would begin a block.
  return inline.replace(/^([#>+=-]|\d{1,9}(?=[.)]))/, (lead) => (/^\d/.test(lead) ? `${lead}\\` : `\\${lead}`));
}
