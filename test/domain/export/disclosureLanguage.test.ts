import assert from 'node:assert/strict';
import type { SourceDisclosure } from '../../../domain/export/dataSource';
import { disclosureIn } from '../../../domain/export/disclosureLanguage';
import { recipientInEea, testDisclosure } from '../../helpers/exportFixtures';

const declared: SourceDisclosure = {
  ...testDisclosure,
  title: 'Profile',
  purposes: ['access', 'directory'],
  recipients: [
    recipientInEea('IT'),
    {
      name: 'Microsoft',
      transfer: {
        thirdCountry: true,
        destination: { country: 'US' },
        safeguards: ['adequacy-decision'],
        safeguardDetail: 'Data Privacy Framework',
        copyAvailableAt: 'https://example.com/dpa',
      },
    },
    {
      name: 'Agency',
      transfer: {
        thirdCountry: true,
        destination: { internationalOrganisation: 'World Agency' },
        safeguards: ['standard-contractual-clauses'],
        safeguardDetail: 'clauses',
        copyAvailableAt: 'on request from the privacy team',
      },
    },
  ],
  automatedDecisionMaking: { used: true, logic: 'a score', significance: 'ranks you', consequences: 'fewer shifts' },
  ccpa: { categories: ['identifiers'], sourceCategories: ['you'], businessPurposes: ['access'], disclosedTo: ['hosting'], soldTo: [], sharedWith: [] },
};

const complete = {
  title: 'Profil',
  purposes: ['Zugang', 'Verzeichnis'],
  categories: ['Testeinträge'],
  recipients: [
    { name: 'IT-Abteilung' },
    { name: 'Microsoft', safeguardDetail: 'Datenschutzrahmen' },
    { name: 'Behörde', destination: 'Weltbehörde', safeguardDetail: 'Klauseln', copyAvailableAt: 'auf Anfrage beim Datenschutzteam' },
  ],
  retention: 'bis zum Ende',
  legalBasis: 'Vertrag',
  origin: 'von Ihnen',
  automatedDecisionMaking: { logic: 'eine Punktzahl', significance: 'reiht Sie ein', consequences: 'weniger Schichten' },
  ccpa: { sourceCategories: ['Sie'], businessPurposes: ['Zugang'], disclosedTo: ['Hosting'] },
};

describe('a disclosure in a letter language', () => {
  it('is the disclosure itself in English, with nothing untranslated', () => {
    const result = disclosureIn({ ...declared, translations: { de: complete } }, 'en');
    assert.equal(result.disclosure.title, 'Profile');
    assert.deepEqual(result.untranslated, []);
  });

  it('substitutes every translated part, the CCPA texts and each recipient by position included', () => {
    const { disclosure: d, untranslated } = disclosureIn({ ...declared, translations: { de: complete } }, 'de');
    assert.deepEqual(untranslated, [], 'parts with nothing to say (nothing sold or shared) and addresses need no translation');
    assert.equal(d.title, 'Profil');
    assert.deepEqual(d.purposes, ['Zugang', 'Verzeichnis']);
    assert.deepEqual(
      d.recipients.map((r) => r.name),
      ['IT-Abteilung', 'Microsoft', 'Behörde'],
    );
    const [, microsoft, agency] = d.recipients;
    assert.deepEqual(
      microsoft?.transfer,
      { ...declared.recipients[1]!.transfer, safeguardDetail: 'Datenschutzrahmen' },
      'the country and the address stay as declared',
    );
    assert.ok(agency?.transfer.thirdCountry);
    assert.deepEqual(agency.transfer.destination, { internationalOrganisation: 'Weltbehörde' });
    assert.equal(agency.transfer.copyAvailableAt, 'auf Anfrage beim Datenschutzteam');
    assert.deepEqual(d.legalBasis, { article: '6(1)(b)', text: 'Vertrag' }, 'the article is kept, its words translated');
    assert.deepEqual(d.automatedDecisionMaking, { used: true, logic: 'eine Punktzahl', significance: 'reiht Sie ein', consequences: 'weniger Schichten' });
    assert.deepEqual(d.ccpa, {
      categories: ['identifiers'],
      sourceCategories: ['Sie'],
      businessPurposes: ['Zugang'],
      disclosedTo: ['Hosting'],
      soldTo: [],
      sharedWith: [],
    });
  });

  it('keeps English where a translation is missing or partial, and names those parts in English', () => {
    const partial = { title: 'Profil', recipients: [{ name: 'IT-Abteilung' }, { name: 'Microsoft' }], automatedDecisionMaking: { logic: 'eine Punktzahl' } };
    const { disclosure: d, untranslated } = disclosureIn({ ...declared, translations: { de: partial } }, 'de');
    assert.equal(d.title, 'Profil');
    assert.deepEqual(d.purposes, ['access', 'directory']);
    assert.deepEqual(
      d.recipients.map((r) => r.name),
      ['IT-Abteilung', 'Microsoft', 'Agency'],
    );
    assert.deepEqual(untranslated, [
      'purposes',
      'categories',
      'recipients',
      'transfers',
      'retention',
      'legalBasis',
      'origin',
      'automatedDecisionMaking',
      'ccpa.sourceCategories',
      'ccpa.businessPurposes',
      'ccpa.disclosedTo',
    ]);
  });

  it('names every part with something to say when the language has no translation at all', () => {
    const quiet: SourceDisclosure = { ...declared, recipients: [recipientInEea('IT')], automatedDecisionMaking: { used: false } };
    assert.deepEqual(disclosureIn(quiet, 'fr').untranslated, [
      'title',
      'purposes',
      'categories',
      'recipients',
      'retention',
      'legalBasis',
      'origin',
      'ccpa.sourceCategories',
      'ccpa.businessPurposes',
      'ccpa.disclosedTo',
    ]);
  });
});
