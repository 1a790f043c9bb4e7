import type { ExportRequest } from '../requests/exportRequest';
import { REGIME_LABEL } from '../requests/regime';
import type { DataSource } from './dataSource';
import { dataFile, MANIFEST_FILE } from './packageLayout';

export interface CoverLetterInput {
  readonly request: ExportRequest;
  readonly sources: ReadonlyArray<{ source: DataSource; records: number }>;
  readonly generatedAt: Date;
  readonly controller: ControllerDetails;
}

/** Who the controller is and where to complain: configured once for the organisation. */
export interface ControllerDetails {
  readonly name: string;
  readonly contact: string;
  readonly supervisoryAuthority: string;
}

const RIGHTS = [
  'to have inaccurate personal data rectified (Art. 16 GDPR)',
  'to have your personal data erased (Art. 17 GDPR)',
  'to restrict processing (Art. 18 GDPR)',
  'to object to processing (Art. 21 GDPR)',
  'to receive data you provided in a portable format (Art. 20 GDPR) — the datasets marked portable below',
  'to lodge a complaint with a supervisory authority (Art. 77 GDPR)',
];

const CCPA_RIGHTS = [
  'to know what personal information is collected, used and disclosed',
  'to delete personal information, with some exceptions',
  'to correct inaccurate personal information',
  'to opt out of the sale or sharing of personal information',
  'to limit the use of sensitive personal information',
  'not to be discriminated against for exercising these rights',
];

interface Section {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly items?: readonly string[];
}

/**
 * The letter that makes the package stand on its own (Art. 15(1) GDPR, or the CCPA right to know):
 * what was processed, why, by whom, for how long, from where, and what the person can do about it.
 * Built once as sections, then rendered as Markdown and HTML.
 */
export function coverLetterSections(input: CoverLetterInput): Section[] {
  const { request, controller } = input;
  const sections: Section[] = [
    {
      heading: `Your personal data — ${request.reference}`,
      paragraphs: [
        `Dear ${request.subject.displayName},`,
        `This package answers the request received on ${request.receivedOn} under ${REGIME_LABEL[request.regime]}. It was generated on ${input.generatedAt.toISOString()} by ${controller.name}.`,
        `Each dataset is in the data/ folder as JSON, and as CSV where the records are tabular. ${MANIFEST_FILE} lists every file with its record count and SHA-256 checksum, so you can check nothing was altered.`,
      ],
    },
  ];
  for (const { source, records } of input.sources) {
    const d = source.disclosure;
    sections.push({
      heading: d.title,
      paragraphs: [`Files: ${dataFile(source.id, 'json')}${source.tabular ? `, ${dataFile(source.id, 'csv')}` : ''} (${records} records).`],
      items: [
        `Purposes: ${d.purposes.join('; ')}`,
        `Categories of personal data: ${d.categories.join('; ')}`,
        `Recipients: ${d.recipients.join('; ')}`,
        `Retention: ${d.retention}`,
        `Legal basis: ${d.legalBasis}`,
        `Source of the data: ${d.origin}`,
        `Automated decision-making, including profiling: ${d.automatedDecisionMaking ?? 'none'}`,
        `Portable under Art. 20: ${d.portable ? 'yes' : 'no'}`,
      ],
    });
  }
  sections.push({
    heading: 'Your rights',
    paragraphs: ['You have the right:'],
    items: request.regime === 'ccpa' ? CCPA_RIGHTS : RIGHTS,
  });
  sections.push({
    heading: 'Contact and complaints',
    paragraphs: [
      `Questions about this package or your data: ${controller.contact}.`,
      `You may lodge a complaint with ${controller.supervisoryAuthority}.`,
    ],
  });
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

export function renderHtml(sections: readonly Section[]): string {
  const body = sections
    .map((s, i) => {
      const tag = i === 0 ? 'h1' : 'h2';
      const paragraphs = s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
      const items = s.items ? `<ul>\n${s.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}\n</ul>` : '';
      return `<${tag}>${escapeHtml(s.heading)}</${tag}>\n${paragraphs}\n${items}`;
    })
    .join('\n');
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(sections[0]?.heading ?? 'Your personal data')}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Names come from the directory; a name must never turn into a link or a heading in the letter. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!<>|~])/g, '\\$1');
}
