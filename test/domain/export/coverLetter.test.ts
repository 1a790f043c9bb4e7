import assert from 'node:assert/strict';
import { coverLetterSections, renderHtml, renderMarkdown } from '../../../domain/export/coverLetter';
import { letterLanguage } from '../../../domain/export/coverLetterText';
import type { DataSource } from '../../../domain/export/dataSource';
import type { ExportRequest } from '../../../domain/requests/exportRequest';

const source: DataSource = {
  id: 'app-telemetry',
  tabular: true,
  disclosure: { title: 'Telemetry', purposes: ['keeping the app working'], categories: ['usage events'], recipients: ['product team'], retention: '13 months', legalBasis: 'Art. 6(1)(f)', origin: 'the app', portable: true },
  records: async function* () {},
};

function request(preferredLanguage: string | undefined, regime: 'gdpr' | 'ccpa' = 'gdpr'): ExportRequest {
  return {
    id: 'r', reference: 'DSR-2026-0001', version: 1, state: 'exporting', regime, deliverTo: 'subject',
    subject: { objectId: 'o', displayName: 'Adele <b>Vance</b> [x](https://evil.example)', userPrincipalName: 'adelev@example.com', ...(preferredLanguage ? { preferredLanguage } : {}) },
    requesterId: 'a', selfService: false, receivedOn: '2026-11-30', dueOn: '2026-12-30', exportAttempts: 1, createdAt: '', updatedAt: '',
  };
}

const letter = (r: ExportRequest) =>
  coverLetterSections({ request: r, sources: [{ source, records: 3 }], generatedAt: new Date('2026-12-01T10:00:00Z'), controller: { name: 'Contoso', contact: 'privacy@example.com', supervisoryAuthority: 'the DPA' } });

describe('the cover letter', () => {
  it('picks the subject’s language where a translation exists, else English', () => {
    assert.equal(letterLanguage('de-DE'), 'de');
    assert.equal(letterLanguage('fr'), 'fr');
    assert.equal(letterLanguage('FR-ca'), 'fr');
    assert.equal(letterLanguage('es-ES'), 'en');
    assert.equal(letterLanguage(undefined), 'en');
  });

  const expectations: Array<[string | undefined, string[]]> = [
    [undefined, ['Your personal data — DSR-2026-0001', 'Purposes: keeping the app working', 'Retention: 13 months', 'to have your personal data erased', 'lodge a complaint', 'Portable under Art. 20: yes']],
    ['de-DE', ['Ihre personenbezogenen Daten — DSR-2026-0001', 'Zwecke: keeping the app working', 'Speicherdauer: 13 months', 'auf Löschung Ihrer Daten', 'Beschwerde bei einer Aufsichtsbehörde', 'Übertragbar nach Art. 20: ja']],
    ['fr-FR', ['Vos données personnelles — DSR-2026-0001', 'Finalités: keeping the app working', 'Durée de conservation: 13 months', 'de faire effacer vos données', 'réclamation auprès d’une autorité de contrôle', 'Portable au titre de l’art. 20: oui']],
  ];
  for (const [language, phrases] of expectations) {
    it(`gives every Art. 15 item in ${language ?? 'English (no preference)'}`, () => {
      const markdown = renderMarkdown(letter(request(language)));
      for (const phrase of phrases) assert.ok(markdown.replace(/\\/g, '').includes(phrase), `missing "${phrase}"`);
    });
  }

  it('lists the CCPA rights for a CCPA request', () => {
    assert.match(renderMarkdown(letter(request('en', 'ccpa'))), /opt out of the sale or sharing/);
  });

  it('never lets a name become markup or a link', () => {
    const html = renderHtml(letter(request('de')), 'de');
    assert.match(html, /<html lang="de">/);
    assert.ok(html.includes('Adele &lt;b&gt;Vance&lt;/b&gt;'));
    assert.ok(!html.includes('<b>Vance</b>'));
    const markdown = renderMarkdown(letter(request(undefined)));
    assert.ok(markdown.includes('\\[x\\]\\(https://evil.example\\)'));
  });
});
