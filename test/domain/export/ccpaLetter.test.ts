import assert from 'node:assert/strict';
import { CCPA_EARLIEST_COVERED_DATE, ccpaLetterSections, coveredPeriod } from '../../../domain/export/ccpaLetter';
import { ATTORNEY_GENERAL_CCPA, CPPA_COMPLAINT_FORM, CPPA_WEBSITE, STATUTORY_CATEGORY_NAMES } from '../../../domain/export/ccpaLetterText';
import { renderHtml, renderMarkdown, type ControllerDetails, type CoverLetterInput, type Section } from '../../../domain/export/coverLetter';
import type { LetterLanguage } from '../../../domain/export/coverLetterText';
import type { CcpaDisclosure, DataSource, SourceDisclosure } from '../../../domain/export/dataSource';
import { letterSections } from '../../../domain/export/letterForRegime';
import type { ExportRequest } from '../../../domain/requests/exportRequest';

/** Every GDPR-only field says "GDPR" or "Art. 20", so a letter that printed one of them would show it. */
const gdprOnly = {
  purposes: ['GDPR purpose'],
  categories: ['GDPR category'],
  recipients: [{ name: 'EU recipient under the GDPR', transfer: { thirdCountry: false } }],
  retention: 'GDPR retention',
  legalBasis: { article: '6(1)(b)', text: 'GDPR contract' },
  origin: 'GDPR origin',
  providedBySubject: 'all',
  portable: true,
  automatedDecisionMaking: { used: false },
} as const satisfies Partial<SourceDisclosure>;

function disclosure(title: string, ccpa: Partial<CcpaDisclosure> = {}, translations?: SourceDisclosure['translations']): SourceDisclosure {
  return {
    title,
    ...gdprOnly,
    ccpa: {
      categories: ['identifiers', 'professional-information'],
      sourceCategories: ['You, when you joined', 'Your manager'],
      businessPurposes: ['Managing your employment'],
      disclosedTo: [],
      soldTo: [],
      sharedWith: [],
      ...ccpa,
    },
    ...(translations ? { translations } : {}),
  };
}

function source(id: string, d: SourceDisclosure, tabular = true): DataSource {
  return { id, tabular, disclosure: d, records: async function* () {} };
}

const profile = source(
  'directory-profile',
  disclosure(
    'Directory profile',
    { disclosedTo: ['Cloud hosting providers'] },
    {
      de: {
        title: 'Verzeichnisprofil',
        ccpa: {
          sourceCategories: ['Sie, bei Ihrem Eintritt', 'Ihre Führungskraft'],
          businessPurposes: ['Verwaltung Ihres Arbeitsverhältnisses'],
          disclosedTo: ['Cloud-Hosting-Anbieter'],
        },
      },
      fr: { title: 'Profil d’annuaire' },
    },
  ),
);
const telemetry = source(
  'app-telemetry',
  disclosure('App telemetry', {
    categories: ['internet-activity', 'identifiers'],
    sourceCategories: ['The app, as you use it'],
    businessPurposes: ['Keeping the app working'],
  }),
  false,
);

const controller: ControllerDetails = { name: 'Contoso', contact: 'privacy@contoso.example', supervisoryAuthority: 'the Irish Data Protection Commission' };

function request(overrides: Partial<ExportRequest> & { language?: string } = {}): ExportRequest {
  const { language, ...rest } = overrides;
  return {
    id: 'r',
    reference: 'DSR-2026-0042',
    version: 1,
    state: 'exporting',
    regime: 'ccpa',
    deliverTo: 'subject',
    subject: { objectId: 'o', displayName: 'Adele Vance', userPrincipalName: 'adelev@example.com', ...(language ? { preferredLanguage: language } : {}) },
    requesterId: 'a',
    selfService: false,
    receivedOn: '2026-11-30',
    dueOn: '2027-01-14',
    exportAttempts: 1,
    createdAt: '',
    updatedAt: '',
    ...rest,
  };
}

function input(more: Partial<CoverLetterInput> & { language?: string; requestOverrides?: Partial<ExportRequest> } = {}): CoverLetterInput {
  const { language, requestOverrides, ...rest } = more;
  return {
    request: request({ ...requestOverrides, ...(language ? { language } : {}) }),
    sources: [
      { source: profile, records: 1 },
      { source: telemetry, records: 1234 },
    ],
    generatedAt: new Date('2026-12-05T10:00:00Z'),
    controller,
    timeZone: 'UTC',
    ...rest,
  };
}

/** The letter as a person reads it: the Markdown without its escapes. */
const text = (sections: Section[]) => renderMarkdown(sections).replace(/\\/g, '');
const section = (sections: Section[], heading: string) => {
  const found = sections.find((s) => s.heading === heading);
  assert.ok(found, `no section "${heading}" in ${sections.map((s) => s.heading).join(' | ')}`);
  return found;
};

const LANGUAGES: LetterLanguage[] = ['en', 'de', 'fr'];
const GDPR_WORDS =
  /GDPR|DSGVO|RGPD|legal basis|Rechtsgrundlage|base juridique|Art\.\s?20|article 20|portab|übertragbar|supervisory authority|Aufsichtsbehörde|autorité de contrôle|Europe|Irish Data Protection/i;

describe('the CCPA letter', () => {
  it('gives, per source, the specific pieces and every §1798.110/115 item, categories by their statutory names', () => {
    const sections = ccpaLetterSections(input());
    const p = section(sections, 'Directory profile');
    assert.deepEqual(p.paragraphs, ['Files: data/directory-profile.json, data/directory-profile.csv (1 record).']);
    assert.deepEqual(p.items, [
      'Categories of personal information: Identifiers; Professional or employment-related information',
      'Categories of sources: You, when you joined; Your manager',
      'Business or commercial purposes: Managing your employment',
      'Disclosed for a business purpose to: Cloud hosting providers',
      'Sold: not sold',
      'Shared for cross-context behavioral advertising: not shared',
    ]);
    const t = section(sections, 'App telemetry');
    assert.deepEqual(t.paragraphs, ['Files: data/app-telemetry.json (1,234 records).']);
    assert.equal(t.items![0], 'Categories of personal information: Internet or other electronic network activity information; Identifiers');
    assert.equal(t.items![3], 'Disclosed for a business purpose to: not disclosed to third parties');
  });

  it('names the files the package holds when the source was split into parts', () => {
    const sections = ccpaLetterSections(
      input({ sources: [{ source: telemetry, records: 2, dataFiles: ['data/app-telemetry.part-0001.json', 'data/app-telemetry.part-0002.json'] }] }),
    );
    assert.deepEqual(section(sections, 'App telemetry').paragraphs, [
      'Files: data/app-telemetry.part-0001.json, data/app-telemetry.part-0002.json (2 records).',
    ]);
  });

  it('covers the 12 months before the request up to the day the package was prepared, in dates people read, and offers the earlier data back to 2022', () => {
    const letter = text(ccpaLetterSections(input()));
    assert.ok(
      letter.includes(
        'It covers the 12 months before we received your request, up to the day we prepared this package: from Sun 30 Nov 2025 to Sat 5 Dec 2026.',
      ),
      letter,
    );
    assert.ok(letter.includes('received on Mon 30 Nov 2026'));
    assert.ok(
      letter.includes('If you want this answer to cover personal information we collected before Sun 30 Nov 2025 too (as far back as Sat 1 Jan 2022), tell us'),
    );
    assert.doesNotMatch(letter, /\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/, 'no ISO dates or timestamps');
  });

  it('covers a configured earlier period, never before 1 January 2022, and never less than the 12 months', () => {
    assert.deepEqual(coveredPeriod('2026-11-30', '2026-12-05', '2024-07-01'), { since: '2024-07-01', until: '2026-12-05', basis: 'configured' });
    assert.deepEqual(coveredPeriod('2026-11-30', '2026-12-05', '2019-03-01'), { since: CCPA_EARLIEST_COVERED_DATE, until: '2026-12-05', basis: 'configured' });
    assert.deepEqual(coveredPeriod('2026-11-30', '2026-12-05', '2026-06-01'), { since: '2025-11-30', until: '2026-12-05', basis: 'twelve-months' });
    assert.deepEqual(coveredPeriod('2024-02-29', '2024-03-01'), { since: '2023-02-28', until: '2024-03-01', basis: 'twelve-months' });

    const letter = text(ccpaLetterSections(input({ controller: { ...controller, ccpaCoveredSince: '2020-05-01' } })));
    assert.ok(letter.includes('It covers more than the 12 months before we received your request: from Sat 1 Jan 2022 to Sat 5 Dec 2026'), letter);
    assert.ok(!letter.includes('If you want this answer to cover'), 'nothing earlier to offer');
  });

  it('says plainly that nothing was sold or shared when no source was', () => {
    const summary = section(ccpaLetterSections(input()), 'Sale, sharing and disclosure of your personal information');
    assert.equal(
      summary.paragraphs[0],
      'From Sun 30 Nov 2025 to Sat 5 Dec 2026, we did not sell your personal information, nor share it for cross-context behavioral advertising.',
    );
    assert.deepEqual(summary.items, [
      'Disclosed for a business purpose to Cloud hosting providers: Identifiers; Professional or employment-related information',
    ]);
  });

  it('lists what was sold or shared by category of third party, with the categories of personal information, once across sources', () => {
    const broker = source(
      'crm',
      disclosure('CRM', { categories: ['commercial-information', 'identifiers'], soldTo: ['Data brokers'], disclosedTo: ['Cloud hosting providers'] }),
    );
    const sections = ccpaLetterSections(
      input({
        sources: [
          { source: profile, records: 1 },
          { source: broker, records: 2 },
        ],
      }),
    );
    assert.equal(section(sections, 'CRM').items![4], 'Sold: yes, to Data brokers');
    const summary = section(sections, 'Sale, sharing and disclosure of your personal information');
    assert.deepEqual(summary.paragraphs, [
      'From Sun 30 Nov 2025 to Sat 5 Dec 2026, we did not share your personal information for cross-context behavioral advertising.',
      'By category of third party, the categories of personal information concerned:',
    ]);
    assert.deepEqual(summary.items, [
      'Sold to Data brokers: Identifiers; Commercial information',
      'Disclosed for a business purpose to Cloud hosting providers: Identifiers; Commercial information; Professional or employment-related information',
    ]);
  });

  it('gives the CCPA rights, non-discrimination, the contact and where to complain (CPPA, Attorney General)', () => {
    const sections = ccpaLetterSections(input());
    const rights = section(sections, 'Your rights under the CCPA').items!.join('\n');
    for (const right of [
      /to know .*§§1798\.110, 1798\.115/,
      /deleted.*§1798\.105/,
      /corrected.*§1798\.106/,
      /opt out of the sale or sharing.*§1798\.120/,
      /limit .*sensitive personal information.*§1798\.121/,
      /not to be discriminated.*§1798\.125/,
    ]) {
      assert.match(rights, right);
    }
    const contact = section(sections, 'Contact and complaints').paragraphs.join('\n');
    assert.match(contact, /We will not deny you goods or services/);
    assert.ok(contact.includes('privacy@contoso.example'));
    for (const address of [CPPA_WEBSITE, CPPA_COMPLAINT_FORM, ATTORNEY_GENERAL_CCPA]) assert.ok(contact.includes(address), address);
  });

  for (const language of LANGUAGES) {
    it(`has no GDPR words, legal bases, Art. 20 lines or EU authorities (${language})`, () => {
      const sections = ccpaLetterSections(input({ language }));
      assert.doesNotMatch(renderMarkdown(sections), GDPR_WORDS);
      assert.doesNotMatch(renderHtml(sections, language), GDPR_WORDS);
      assert.match(text(sections), /California Privacy Protection Agency/);
    });
  }

  it('writes German with the authoritative English statutory names beside the translation, and the configured translations', () => {
    const sections = ccpaLetterSections(input({ language: 'de-DE' }));
    const p = section(sections, 'Verzeichnisprofil');
    assert.deepEqual(p.paragraphs, ['Dateien: data/directory-profile.json, data/directory-profile.csv (1 Eintrag).']);
    assert.equal(
      p.items![0],
      'Kategorien personenbezogener Informationen: Kennungen („Identifiers“); Berufliche oder beschäftigungsbezogene Informationen („Professional or employment-related information“)',
    );
    assert.equal(p.items![1], 'Kategorien von Quellen: Sie, bei Ihrem Eintritt; Ihre Führungskraft');
    assert.equal(section(sections, 'App telemetry').paragraphs[0], 'Dateien: data/app-telemetry.json (1.234 Einträge).');
    const letter = text(sections);
    assert.ok(letter.includes('vom So., 30. Nov. 2025 bis zum Sa., 5. Dez. 2026'), letter);
    assert.ok(letter.includes('in Klammern steht jeweils ihre maßgebliche englische Bezeichnung'));
    assert.ok(
      letter.includes(
        'Einige Angaben zu den Quellen wurden nur auf Englisch hinterlegt und stehen deshalb unten auf Englisch: „App telemetry“ (alle Angaben).',
      ),
      letter,
    );
    assert.ok(!letter.includes('„Verzeichnisprofil“ ('), 'a fully translated source is not named');
  });

  it('writes French, names the parts left in English, and counts 0 and 1 as singular', () => {
    const sections = ccpaLetterSections(
      input({
        language: 'fr',
        sources: [
          { source: profile, records: 0 },
          { source: telemetry, records: 2 },
        ],
      }),
    );
    assert.equal(
      section(sections, 'Profil d’annuaire').paragraphs[0],
      'Fichiers\u00a0: data/directory-profile.json, data/directory-profile.csv (0 enregistrement).',
    );
    assert.equal(section(sections, 'App telemetry').paragraphs[0], 'Fichiers\u00a0: data/app-telemetry.json (2 enregistrements).');
    const letter = text(sections);
    assert.ok(
      letter.includes(
        '«\u00a0Profil d’annuaire\u00a0» (catégories de sources, finalités professionnelles ou commerciales, tiers auxquels elles ont été communiquées)',
      ),
      letter,
    );
    assert.ok(
      letter.includes(`Identifiants («\u00a0${STATUTORY_CATEGORY_NAMES.identifiers}\u00a0»)\u00a0; Informations professionnelles`),
      'French spacing in lists',
    );
  });

  it('says how the request was verified, without the privacy team’s own note of it', () => {
    assert.match(text(ccpaLetterSections(input())), /that sign-in is how we verified that the request is yours/);
    const byTeam = text(ccpaLetterSections(input({ requestOverrides: { deliverTo: 'requester', identityVerification: 'passport no. X1234 seen' } })));
    assert.match(byTeam, /our privacy team verified your identity in another way/);
    assert.doesNotMatch(byTeam, /X1234|sign-in is how/);
  });

  it('keeps names and configured texts from adding headings, lists or links', async () => {
    const { micromark } = await import('micromark');
    const { gfm, gfmHtml } = await import('micromark-extension-gfm');
    const hostile = source('hostile', disclosure('# Heading [click](https://evil.example)', { sourceCategories: ['- a list item', '<b>bold</b>'] }));
    const sections = ccpaLetterSections(
      input({
        sources: [{ source: hostile, records: 1 }],
        requestOverrides: { subject: { objectId: 'o', displayName: '[Adele](https://evil.example)', userPrincipalName: 'a@example.com' } },
      }),
    );
    const html = micromark(renderMarkdown(sections), { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    assert.equal((html.match(/<h[1-6]>/g) ?? []).length, sections.length);
    assert.doesNotMatch(html, /<a |<b>/);
    assert.equal((html.match(/<ul>/g) ?? []).length, sections.filter((s) => s.items).length);
  });
});

describe('the letter for a request’s law', () => {
  it('is the CCPA answer for a CCPA request and the Art. 15 letter for a GDPR request', () => {
    assert.deepEqual(letterSections(input()), ccpaLetterSections(input()));
    const gdpr = renderMarkdown(letterSections(input({ requestOverrides: { regime: 'gdpr' } })));
    assert.match(gdpr, /GDPR/);
    assert.doesNotMatch(gdpr, /California Privacy Protection Agency/);
  });
});
