import assert from 'node:assert/strict';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { coverLetterSections, renderHtml, renderMarkdown, type Section } from '../../../domain/export/coverLetter';
import { letterLanguage } from '../../../domain/export/coverLetterText';
import type { DataSource, SourceDisclosure } from '../../../domain/export/dataSource';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { recipientInEea, testDisclosure } from '../../helpers/exportFixtures';

const DPA = 'https://www.microsoft.com/licensing/docs/view/Microsoft-Products-and-Services-Data-Protection-Addendum-DPA';

const microsoft = {
  name: 'Microsoft Ireland Operations Ltd, as processor',
  transfer: {
    thirdCountry: true,
    destination: { country: 'US' },
    safeguards: ['adequacy-decision', 'standard-contractual-clauses'],
    safeguardDetail: 'EU–US Data Privacy Framework (Decision (EU) 2023/1795); SCCs (Decision (EU) 2021/914) as fallback',
    copyAvailableAt: DPA,
  },
} as const;

const telemetry: SourceDisclosure = {
  ...testDisclosure,
  title: 'Telemetry',
  purposes: ['keeping the app working'],
  categories: ['usage events'],
  recipients: [recipientInEea('product team'), microsoft],
  retention: '13 months',
  legalBasis: { article: '6(1)(f)', text: 'legitimate interest in a working app' },
  origin: 'the app',
  providedBySubject: 'all',
  portable: false,
};

const profile: SourceDisclosure = {
  ...testDisclosure,
  title: 'Directory profile',
  recipients: [recipientInEea('IT administration'), microsoft],
  legalBasis: { article: '6(1)(b)', text: 'performance of the employment contract' },
  providedBySubject: { fields: ['preferredLanguage', 'mobilePhone'] },
  portable: true,
  translations: {
    de: {
      title: 'Verzeichnisprofil',
      purposes: ['Tests'],
      categories: ['Testeinträge'],
      recipients: [
        { name: 'IT-Administration' },
        { name: 'Microsoft Ireland Operations Ltd als Auftragsverarbeiter', safeguardDetail: 'EU-US-Datenschutzrahmen' },
      ],
      retention: 'bis zum Ende des Tests',
      legalBasis: 'Erfüllung des Arbeitsvertrags',
      origin: 'von Ihnen',
    },
    fr: { title: 'Profil d’annuaire' },
  },
};

const source = (id: string, disclosure: SourceDisclosure): DataSource => ({ id, tabular: true, disclosure, records: async function* () {} });

const NAME = 'Adele <b>Vance</b>\n# [x](https://evil.example)\n- www.evil.example *bold* _em_ `code` | a | 1. @evil';

function request(preferredLanguage: string | undefined, regime: 'gdpr' | 'ccpa' = 'gdpr'): ExportRequest {
  return {
    id: 'r',
    reference: 'DSR-2026-0001',
    version: 1,
    state: 'exporting',
    regime,
    deliverTo: 'subject',
    subject: { objectId: 'o', displayName: NAME, userPrincipalName: 'adelev@example.com', ...(preferredLanguage ? { preferredLanguage } : {}) },
    requesterId: 'a',
    selfService: false,
    receivedOn: '2026-11-30',
    dueOn: '2026-12-30',
    exportAttempts: 1,
    createdAt: '',
    updatedAt: '',
  };
}

const controller = { name: 'Contoso', contact: 'privacy@example.com', supervisoryAuthority: 'the DPA' };

function letter(r: ExportRequest, sources: Array<[DataSource, number]> = [[source('app-telemetry', telemetry), 3]], timeZone = 'UTC'): Section[] {
  return coverLetterSections({
    request: r,
    sources: sources.map(([s, records]) => ({ source: s, records })),
    generatedAt: new Date('2026-12-01T10:00:00Z'),
    controller,
    timeZone,
  });
}

/** The letter as GitHub and every CommonMark viewer would show it. */
const asGfm = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('the cover letter', () => {
  it('picks the subject’s language where a translation exists, else English', () => {
    assert.equal(letterLanguage('de-DE'), 'de');
    assert.equal(letterLanguage('fr'), 'fr');
    assert.equal(letterLanguage('FR-ca'), 'fr');
    assert.equal(letterLanguage('es-ES'), 'en');
    assert.equal(letterLanguage(undefined), 'en');
  });

  const expectations: Array<[string | undefined, string[]]> = [
    [
      undefined,
      [
        'Your personal data — DSR-2026-0001',
        'Purposes: keeping the app working',
        'Retention: 13 months',
        'Legal basis of the processing: Art. 6(1)(f) GDPR — legitimate interest',
        'to have your personal data erased',
        'lodge a complaint',
        'Data portability (Art. 20 GDPR): no',
      ],
    ],
    [
      'de-DE',
      [
        'Ihre personenbezogenen Daten — DSR-2026-0001',
        'Zwecke: keeping the app working',
        'Speicherdauer: 13 months',
        'Rechtsgrundlage der Verarbeitung: Art. 6 Abs. 1 lit. f DSGVO',
        'Anfrage nach der Datenschutz-Grundverordnung',
        'auf Löschung Ihrer Daten',
        'Beschwerde bei einer Aufsichtsbehörde',
        'Datenübertragbarkeit (Art. 20 DSGVO): nein',
      ],
    ],
    [
      'fr-FR',
      [
        'Vos données personnelles — DSR-2026-0001',
        'Finalités\u00a0: keeping the app working',
        'Durée de conservation\u00a0: 13 months',
        'Base juridique du traitement\u00a0: article 6, paragraphe 1, point f), du RGPD',
        'au titre du règlement général sur la protection des données',
        'de faire effacer vos données',
        'réclamation auprès d’une autorité de contrôle',
        'Portabilité des données (art. 20 du RGPD)\u00a0: non',
      ],
    ],
  ];
  for (const [language, phrases] of expectations) {
    it(`gives every Art. 15 item in ${language ?? 'English (no preference)'}, the letter’s own wording unescaped`, () => {
      const markdown = renderMarkdown(letter(request(language)));
      for (const phrase of phrases) assert.ok(markdown.includes(phrase), `missing "${phrase}"`);
      assert.doesNotMatch(markdown, /\\[()]/, 'no backslash before a parenthesis: "Art. 6(1)(b)" reads as it is');
    });
  }

  it('lists the CCPA rights for a CCPA request', () => {
    assert.match(renderMarkdown(letter(request('en', 'ccpa'))), /opt out of the sale or sharing/);
  });

  describe('plain language (Art. 12(1))', () => {
    it('writes dates and the time as people read them, in the letter’s language and a named zone, never as ISO timestamps', () => {
      const cases: Array<[string, string[]]> = [
        ['en', ['received on Mon 30 Nov 2026', 'on Tue 1 Dec 2026 at 11:00 Central European Standard Time']],
        ['de', ['am Mo., 30. Nov. 2026 eingegangen', 'am Di., 1. Dez. 2026 um 11:00 Mitteleuropäische Normalzeit erstellt']],
        ['fr', ['reçue le lun. 30 nov. 2026', 'le mar. 1 déc. 2026 à 11:00 heure normale d’Europe centrale']],
      ];
      for (const [language, phrases] of cases) {
        const markdown = renderMarkdown(letter(request(language), undefined, 'Europe/Berlin'));
        for (const phrase of phrases) assert.ok(markdown.includes(phrase), `${language}: missing "${phrase}"`);
        assert.doesNotMatch(markdown, /\d{4}-\d{2}-\d{2}/, `${language}: no ISO date or timestamp`);
      }
      assert.match(renderMarkdown(letter(request('en'))), /at 10:00 Coordinated Universal Time/, 'UTC, named, when no zone is given');
    });

    it('counts records in the singular and plural of each language', () => {
      const counts: Array<[string, number, string]> = [
        ['en', 1, '(1 record)'],
        ['en', 0, '(0 records)'],
        ['en', 1234, '(1,234 records)'],
        ['de', 1, '(1 Eintrag)'],
        ['de', 3, '(3 Einträge)'],
        ['fr', 1, '(1 enregistrement)'],
        ['fr', 0, '(0 enregistrement)'],
        ['fr', 2, '(2 enregistrements)'],
      ];
      for (const [language, records, phrase] of counts) {
        const markdown = renderMarkdown(letter(request(language), [[source('app-telemetry', telemetry), records]]));
        assert.ok(markdown.includes(phrase), `${language} ${records}: missing "${phrase}"`);
      }
    });
  });

  describe('transfers (Art. 15(2))', () => {
    it('names each recipient outside the EEA once, with the sources it receives, destination, safeguards and where to get a copy', () => {
      const sections = letter(request('en'), [
        [source('app-telemetry', telemetry), 3],
        [source('directory-profile', profile), 1],
      ]);
      const transfers = sections.find((s) => s.heading === 'Transfers outside the European Economic Area');
      assert.ok(transfers, 'a transfers section');
      assert.equal(transfers.items?.length, 1, 'one entry for the recipient both sources name');
      const item = transfers.items[0]!;
      for (const part of [
        'Microsoft Ireland Operations Ltd, as processor',
        'Telemetry; Directory profile',
        'Destination: United States',
        'adequacy decision of the European Commission (Art. 45 GDPR)',
        'standard data protection clauses adopted by the European Commission (Art. 46(2)(c) GDPR)',
        '2023/1795',
        DPA,
      ]) {
        assert.ok(item.includes(part), `missing "${part}" in "${item}"`);
      }
      assert.ok(!item.includes('IT administration'), 'recipients inside the EEA are not transfers');
    });

    it('says plainly that nothing leaves the EEA when no recipient is outside it', () => {
      const inside = { ...telemetry, recipients: [recipientInEea('product team')] };
      const transfers = letter(request('en'), [[source('app-telemetry', inside), 3]]).find((s) => s.heading === 'Transfers outside the European Economic Area');
      assert.deepEqual(transfers?.paragraphs, [
        'None of the recipients named above receives your personal data in a country outside the European Economic Area (EEA) or as an international organisation.',
      ]);
      assert.equal(transfers?.items, undefined);
    });

    it('names the country in the letter’s language', () => {
      assert.match(renderMarkdown(letter(request('de'))), /Ziel: Vereinigte Staaten/);
      assert.match(renderMarkdown(letter(request('fr'))), /Destination\u00a0: États-Unis/);
    });
  });

  it('states automated decision-making per source from its declaration (Art. 15(1)(h))', () => {
    const used: SourceDisclosure = {
      ...telemetry,
      automatedDecisionMaking: {
        used: true,
        logic: 'a score from late deliveries',
        significance: 'it ranks drivers',
        consequences: 'a low score means fewer shifts',
      },
    };
    const markdown = renderMarkdown(
      letter(request('en'), [
        [source('app-telemetry', telemetry), 1],
        [source('scores', used), 1],
      ]),
    );
    assert.match(markdown, /Automated decision-making, including profiling: none: no decision about you is based solely on automated processing/);
    assert.match(
      markdown,
      /The logic involved: a score from late deliveries\. Its significance: it ranks drivers\. The envisaged consequences for you: a low score means fewer shifts\./,
    );
  });

  describe('Art. 20', () => {
    it('says per source what is portable, and why not where it is not', () => {
      const markdown = renderMarkdown(
        letter(request('en'), [
          [source('app-telemetry', telemetry), 1],
          [source('directory-profile', profile), 1],
          [source('notes', { ...testDisclosure, title: 'Notes' }), 1],
        ]),
      );
      assert.match(
        markdown,
        /## Telemetry[\s\S]*Data portability \(Art\. 20 GDPR\): no: Art\. 20 covers only data processed on the basis of your consent or of a contract/,
      );
      assert.match(
        markdown,
        /## Directory profile[\s\S]*Data portability \(Art\. 20 GDPR\): only the fields you provided yourself: preferredLanguage, mobilePhone\./,
      );
      assert.match(markdown, /## Notes[\s\S]*Data portability \(Art\. 20 GDPR\): yes/);
    });

    it('points the rights list up to the sources, which come before it, in every language', () => {
      const pointers: Array<[string, RegExp]> = [
        ['en', /\(Art\. 20 GDPR\): the data marked portable above/],
        ['de', /\(Art\. 20 DSGVO\): die oben als übertragbar angegebenen Daten/],
        ['fr', /\(art\. 20 RGPD\)\u00a0: les données indiquées comme portables ci-dessus/],
      ];
      for (const [language, pointer] of pointers) {
        const sections = letter(request(language));
        const rights = sections.findIndex((s) => s.items?.some((item) => pointer.test(item)));
        assert.ok(rights > 0, `${language}: the Art. 20 right points above`);
        assert.ok(rights > sections.findIndex((s) => s.heading === 'Telemetry'), `${language}: the sources come before the rights`);
      }
    });

    it('adds the right to withdraw consent only when a source is processed on consent', () => {
      assert.doesNotMatch(renderMarkdown(letter(request('en'))), /withdraw your consent/);
      const consented = { ...telemetry, legalBasis: { article: '6(1)(a)', text: 'your consent' } } as const;
      assert.match(
        renderMarkdown(letter(request('en'), [[source('app-telemetry', consented), 1]])),
        /to withdraw your consent at any time.*\(Art\. 7\(3\) GDPR\)/,
      );
    });
  });

  describe('per-source texts in the letter’s language', () => {
    it('prints the translated texts and names the parts and sources left in English', () => {
      const sources: Array<[DataSource, number]> = [
        [source('directory-profile', profile), 1],
        [source('app-telemetry', telemetry), 2],
      ];
      const german = renderMarkdown(letter(request('de'), sources));
      for (const phrase of [
        '## Verzeichnisprofil',
        'Zwecke: Tests',
        'Empfänger: IT-Administration; Microsoft Ireland Operations Ltd als Auftragsverarbeiter',
        'Art. 6 Abs. 1 lit. b DSGVO — Erfüllung des Arbeitsvertrags',
        'EU-US-Datenschutzrahmen',
      ]) {
        assert.ok(german.includes(phrase), `missing "${phrase}"`);
      }
      assert.ok(
        german.includes('Einige Angaben zu den Quellen wurden nur auf Englisch hinterlegt und stehen deshalb unten auf Englisch: „Telemetry“ (alle Angaben).'),
        german.split('\n').find((l) => l.startsWith('Einige')),
      );
      const french = renderMarkdown(letter(request('fr'), sources));
      assert.ok(
        french.includes(
          '«\u00a0Profil d’annuaire\u00a0» (finalités, catégories, destinataires, informations sur les transferts, durée de conservation, base juridique, source des données)\u00a0; «\u00a0Telemetry\u00a0» (toutes les informations)',
        ),
        french.split('\n').find((l) => l.startsWith('Certaines')),
      );
      assert.doesNotMatch(renderMarkdown(letter(request('en'), sources)), /only in English/, 'an English letter has nothing to say about English');
    });

    it('says nothing about English when every part is translated', () => {
      assert.doesNotMatch(renderMarkdown(letter(request('de'), [[source('directory-profile', profile), 1]])), /nur auf Englisch/);
    });
  });

  describe('names and configured text stay text', () => {
    it('in HTML', () => {
      const html = renderHtml(letter(request('de')), 'de');
      assert.match(html, /<html lang="de">/);
      assert.ok(html.includes('Adele &lt;b&gt;Vance&lt;/b&gt;'));
      assert.ok(!html.includes('<b>Vance</b>'));
    });

    for (const language of ['en', 'de', 'fr']) {
      it(`in Markdown as a GFM viewer shows it (${language}): no heading, list, link, emphasis, code or HTML from a name`, () => {
        const sections = letter(request(language), [
          [source('app-telemetry', { ...telemetry, title: '# Telemetry\n> quoted', purposes: ['[click](https://evil.example)', '<img src=x>'] }), 1],
        ]);
        const html = asGfm(renderMarkdown(sections));
        assert.equal(count(html, /<h1>/g), 1, 'only the letter’s title is a top heading');
        assert.equal(count(html, /<h2>/g), sections.length - 1, 'one heading per section');
        assert.equal(
          count(html, /<li>/g),
          sections.reduce((n, s) => n + (s.items?.length ?? 0), 0),
          'one list item per item',
        );
        for (const tag of ['<a ', '<em>', '<strong>', '<code>', '<blockquote>', '<table>', '<img', '<b>', '<ol']) assert.ok(!html.includes(tag), `no ${tag}`);
        assert.ok(
          html.includes('Adele &lt;b&gt;Vance&lt;/b&gt; # [x](https://evil.example) - www.evil.example *bold* _em_ `code` | a | 1. @evil'),
          'the name reads as it was, on one line',
        );
        assert.match(html, /\[click\]\(https:\/\/evil\.example\)\u00a0?; &lt;img src=x&gt;/, 'configured text reads as it was');
      });
    }
  });
});
