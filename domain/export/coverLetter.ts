import type { ExportRequest } from '../requests/exportRequest';
import { LETTER_TEXT, letterLanguage, type LetterLanguage } from './coverLetterText';
import type { DataSource } from './dataSource';
import { dataFile, MANIFEST_FILE } from './packageLayout';

export interface CoverLetterInput {
  readonly request: ExportRequest;
  /** `dataFiles`: the source's JSON and CSV paths in the package (more than two when it is split into parts). */
  readonly sources: ReadonlyArray<{ source: DataSource; records: number; dataFiles?: readonly string[] }>;
  readonly generatedAt: Date;
  readonly controller: ControllerDetails;
}

/** Who the controller is and where to complain: configured once for the organisation. */
export interface ControllerDetails {
  readonly name: string;
  readonly contact: string;
  readonly supervisoryAuthority: string;
}

interface Section {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly items?: readonly string[];
}

/**
 * The letter that makes the package stand on its own (Art. 15(1) GDPR, or the CCPA right to know):
 * what was processed, why, by whom, for how long, from where, and what the person can do about it.
 * Written in the subject's preferred language where a translation exists (English, German, French),
 * built once as sections, then rendered as Markdown and HTML.
 */
export function coverLetterSections(input: CoverLetterInput): Section[] {
  const { request, controller } = input;
  const t = LETTER_TEXT[letterLanguage(request.subject.preferredLanguage)];
  const sections: Section[] = [
    {
      heading: t.title(request.reference),
      paragraphs: [
        t.greeting(request.subject.displayName),
        t.answers(request.receivedOn, t.regime[request.regime], input.generatedAt.toISOString(), controller.name),
        t.howToRead(MANIFEST_FILE),
        ...(t.sourcesAsDeclared ? [t.sourcesAsDeclared] : []),
      ],
    },
  ];
  for (const { source, records, dataFiles } of input.sources) {
    const d = source.disclosure;
    const files = dataFiles ?? [dataFile(source.id, 'json'), ...(source.tabular ? [dataFile(source.id, 'csv')] : [])];
    sections.push({
      heading: d.title,
      paragraphs: [t.files(files.join(', '), records)],
      items: [
        `${t.purposes}: ${d.purposes.join('; ')}`,
        `${t.categories}: ${d.categories.join('; ')}`,
        `${t.recipients}: ${d.recipients.join('; ')}`,
        `${t.retention}: ${d.retention}`,
        `${t.legalBasis}: ${d.legalBasis}`,
        `${t.origin}: ${d.origin}`,
        `${t.automatedDecisionMaking}: ${d.automatedDecisionMaking ?? t.none}`,
        `${t.portable}: ${d.portable ? t.yes : t.no}`,
      ],
    });
  }
  sections.push({ heading: t.rightsHeading, paragraphs: [t.rightsIntro], items: request.regime === 'ccpa' ? t.ccpaRights : t.gdprRights });
  sections.push({ heading: t.contactHeading, paragraphs: [t.contact(controller.contact), t.complaint(controller.supervisoryAuthority)] });
  return sections;
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

/** Names come from the directory; a name must never turn into a link or a heading in the letter. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!<>|~])/g, '\\$1');
}
