import assert from 'node:assert/strict';
import { alreadyAnsweredSentence, buildLapsedNoticeCard } from '../../cards/subjectNotices';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { escapeText } from '../../cards/adaptiveCard';
import { buildConfirmationCard, buildConfirmationOutcomeCard, buildDeadlineExtendedCard, buildPackageReadyCard } from '../../cards';
import { CardVerb, DECLINE_REASON_INPUT } from '../../cards/cardVerbs';
import { formatInstantForPeople } from '../../cards/packageReadyCard';
import { CONFIRMATION_CARD_TEXT } from '../../cards/text/confirmationCard.text';
import { CONFIRMATION_OUTCOME_CARD_TEXT } from '../../cards/text/confirmationOutcomeCard.text';
import { DEADLINE_EXTENDED_CARD_TEXT } from '../../cards/text/deadlineExtendedCard.text';
import { PACKAGE_READY_CARD_TEXT } from '../../cards/text/packageReadyCard.text';
import { formatForPeople } from '../../domain/deadlines/calendarDate';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { allActions, isMarkdownField, isTextRun, stringFields, visibleText } from './support/cardTree';
import { HOSTILE_NAME, makeRequest, SAMPLE_LINK, SAMPLE_PACKAGE, SUBJECT_MAIL, SUBJECT_UPN, TODAY, withPreferredLanguage } from './support/fixtures';

const EXTENSION = {
  dueOn: '2026-04-30',
  extensions: [{ amount: 2, unit: 'months' as const, reason: 'Large volume of data across systems', at: '2026-02-10T10:00:00Z' }],
};

/** The confirmation card's actions as its JSON has them: Approve, then Decline's ShowCard holding the reason input. */
type ConfirmationActions = [
  approve: { type: string; title: string },
  decline: { type: string; title: string; card: { body: Array<Record<string, unknown>>; actions: Array<Record<string, unknown>> } },
  ...rest: unknown[],
];

/** Every subject card, for a subject whose directory entry says `preferredLanguage`. */
function subjectCards(preferredLanguage: string | undefined, requesterName = 'Alex Wilber') {
  const as = (overrides: Partial<ExportRequest> = {}) => withPreferredLanguage(makeRequest(overrides), preferredLanguage);
  return {
    confirmation: buildConfirmationCard(as(), requesterName, TODAY),
    approved: buildConfirmationOutcomeCard(as({ state: 'confirmed' })),
    declined: buildConfirmationOutcomeCard(as({ state: 'declined' })),
    packageReady: buildPackageReadyCard(as({ state: 'ready', package: SAMPLE_PACKAGE }), SAMPLE_LINK, 'Europe/Berlin'),
    deadlineExtended: buildDeadlineExtendedCard(as(EXTENSION), '2026-02-28'),
  };
}

/** The English fixed strings of a text table, where they differ from the other language's. */
function englishOnly<T extends object>(table: { en: T; de: T; fr: T }, lang: 'de' | 'fr'): string[] {
  return Object.entries(table.en)
    .filter(([key, value]) => typeof value === 'string' && value !== (table[lang] as Record<string, unknown>)[key])
    .map(([, value]) => value as string);
}

function fieldValues(card: AdaptiveCard): string[] {
  return stringFields(card).map((f) => f.value);
}

function executeActions(card: AdaptiveCard) {
  return allActions(card)
    .filter((a) => a.type === 'Action.Execute')
    .map((a) => ({ verb: a.verb, data: a.data }));
}

describe('cards: a data subject reads their cards in their preferred language', () => {
  describe('German (de-DE)', () => {
    const cards = subjectCards('de-DE');

    it('confirmation: German heading, buttons, facts, dates and law', () => {
      const card = cards.confirmation;
      const text = visibleText(card);
      for (const expected of [
        'Möchten Sie eine Kopie Ihrer personenbezogenen Daten?',
        'Alex Wilber',
        ' aus dem Datenschutzteam hat eine Kopie der personenbezogenen Daten beantragt',
        'Aktenzeichen',
        'DSR-2026-0007',
        'Antrag nach',
        'DSGVO (Art. 15 Auskunft, Art. 20 Datenübertragbarkeit)',
        'Do., 26. Feb. 2026',
        'Do., 26. März 2026 · noch 24 Tage',
        'Wenn Sie zustimmen',
        'Wenn Sie ablehnen',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      // The law the request is made under is not the legal basis of processing (Art. 6), which the letter names per source.
      assert.ok(!text.includes('Rechtsgrundlage'), 'the law is labelled as a legal basis');
      const [approve, decline] = card.actions as ConfirmationActions;
      assert.equal(approve!.title, 'Zustimmen');
      assert.equal(decline!.title, 'Ablehnen');
      assert.equal(decline!.card.actions[0].title, 'Anfrage ablehnen');
      assert.equal(decline!.card.body[0].label, 'Ihre Begründung (optional)');
    });

    it('confirmation: the CCPA in the cover letter’s German', () => {
      const card = buildConfirmationCard(withPreferredLanguage(makeRequest({ regime: 'ccpa' }), 'de-DE'), 'Alex Wilber', TODAY);
      assert.ok(visibleText(card).includes('CCPA (Recht auf Auskunft)'));
    });

    it('outcome: German heading and sentence, and a German state label for any other state', () => {
      assert.ok(visibleText(cards.approved).includes('Sie haben dieser Anfrage zugestimmt.'));
      assert.ok(visibleText(cards.declined).includes('Sie haben diese Anfrage abgelehnt. Sie ist damit geschlossen, und es wurden keine Daten exportiert.'));
      assert.ok(visibleText(cards.declined).includes('Beschwerde bei einer Aufsichtsbehörde einzulegen (Art. 77 DSGVO'));
      assert.ok(visibleText(cards.declined).includes('Ihre Anfrage zum Datenexport'));
      const cancelled = buildConfirmationOutcomeCard(withPreferredLanguage(makeRequest({ state: 'cancelled' }), 'de-DE'));
      assert.ok(visibleText(cancelled).includes('Storniert'));
    });

    it('package ready: German text, button, expiry and size', () => {
      const text = visibleText(cards.packageReady);
      for (const expected of [
        'Ihre Daten sind bereit',
        'Dieser Link ist privat',
        'Mo., 9. März 2026, 11:00 MEZ',
        '7 Dateien, 1,2 MB',
        'manifest.json',
        'DSR-2026-0007',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      assert.deepEqual(allActions(cards.packageReady), [
        { type: 'Action.OpenUrl', title: 'Ihre Daten herunterladen', url: SAMPLE_LINK.url, style: 'positive' },
      ]);
    });

    it('deadline extended: German heading and dates; the admin’s reason as written', () => {
      const text = visibleText(cards.deadlineExtended);
      assert.ok(text.includes('Wir benötigen mehr Zeit für Ihre Anfrage'));
      assert.ok(text.includes('Wir antworten spätestens am Do., 30. Apr. 2026 (bisher: Sa., 28. Feb. 2026).'), text);
      assert.ok(text.includes('Large volume of data across systems'));
    });
  });

  describe('French (fr-FR)', () => {
    const cards = subjectCards('fr-FR');

    it('confirmation: French heading, buttons, facts, dates and law', () => {
      const card = cards.confirmation;
      const text = visibleText(card);
      for (const expected of [
        'Souhaitez-vous une copie de vos données personnelles\u00A0?',
        'Alex Wilber',
        ', de l’équipe de protection des données, a demandé une copie des données personnelles',
        'Référence',
        'Demande au titre du',
        'RGPD (art. 15 accès, art. 20 portabilité)',
        'jeu. 26 févr. 2026',
        'jeu. 26 mars 2026 · 24 jours restants',
        'Si vous acceptez',
        'Si vous refusez',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      assert.ok(!/base juridique/i.test(text), 'the law is labelled as a legal basis');
      const [approve, decline] = card.actions as ConfirmationActions;
      assert.equal(approve!.title, 'Accepter');
      assert.equal(decline!.title, 'Refuser');
      assert.equal(decline!.card.actions[0].title, 'Refuser la demande');
    });

    it('outcome, package ready and deadline extended: French', () => {
      assert.ok(visibleText(cards.approved).includes('Vous avez accepté cette demande.'));
      assert.ok(visibleText(cards.declined).includes('Vous avez refusé cette demande : elle est donc clôturée et aucune donnée n’a été exportée.'));
      assert.ok(visibleText(cards.declined).includes('introduire une réclamation auprès d’une autorité de contrôle (art. 77 RGPD'));
      const ready = visibleText(cards.packageReady);
      for (const expected of ['Vos données sont prêtes', 'Ce lien est privé', 'lun. 9 mars 2026, 11:00', '7 fichiers, 1,2 Mo']) {
        assert.ok(ready.includes(expected), `missing: ${expected}\n${ready}`);
      }
      assert.equal(allActions(cards.packageReady)[0]!.title, 'Télécharger vos données');
      const extended = visibleText(cards.deadlineExtended);
      assert.ok(extended.includes('Nous avons besoin de plus de temps pour votre demande'));
      assert.ok(extended.includes('au plus tard le jeu. 30 avr. 2026 (au lieu du sam. 28 févr. 2026)'), extended);
    });
  });

  for (const lang of ['de', 'fr'] as const) {
    it(`${lang}: no English fixed string is left on any subject card`, () => {
      const cards = subjectCards(`${lang}-${lang.toUpperCase()}`);
      const checks: Array<[AdaptiveCard, string[]]> = [
        [cards.confirmation, englishOnly(CONFIRMATION_CARD_TEXT, lang)],
        [cards.approved, englishOnly(CONFIRMATION_OUTCOME_CARD_TEXT, lang)],
        [cards.declined, englishOnly(CONFIRMATION_OUTCOME_CARD_TEXT, lang)],
        [cards.packageReady, englishOnly(PACKAGE_READY_CARD_TEXT, lang)],
        [cards.deadlineExtended, englishOnly(DEADLINE_EXTENDED_CARD_TEXT, lang)],
      ];
      for (const [card, english] of checks) {
        assert.ok(english.length > 1, 'the table has English strings to look for');
        const values = fieldValues(card);
        for (const s of english) assert.ok(!values.includes(s), `English left on the ${lang} card: ${s}`);
      }
      assert.ok(!/ days left|Thu |Mar 2026/.test(visibleText(cards.confirmation)), 'English date or countdown');
    });
  }

  for (const [what, preferred] of [
    ['es-ES (a language we do not have)', 'es-ES'],
    ['no preferred language', undefined],
    ['an empty preferred language', ''],
  ] as const) {
    it(`${what}: English, exactly as for en-US`, () => {
      const cards = subjectCards(preferred);
      const english = subjectCards('en-US');
      for (const key of Object.keys(english) as Array<keyof typeof english>) assert.deepEqual(cards[key], english[key], key);
      assert.ok(visibleText(cards.confirmation).includes('Do you want a copy of your personal data?'));
      assert.equal((cards.confirmation.actions as Array<Record<string, unknown>>)[0]!.title, 'Approve');
      assert.ok(visibleText(cards.confirmation).includes('Thu 26 Mar 2026 · 24 days left'));
    });
  }

  it('reads the language as the cover letter does: "de", "DE-at" and "fr_CA" count too', () => {
    for (const [preferred, heading] of [
      ['de', CONFIRMATION_CARD_TEXT.de.heading],
      ['DE-at', CONFIRMATION_CARD_TEXT.de.heading],
      ['fr_CA', CONFIRMATION_CARD_TEXT.fr.heading],
    ] as const) {
      assert.ok(visibleText(subjectCards(preferred).confirmation).includes(heading), preferred);
    }
  });

  for (const preferred of ['en-US', 'de-DE', 'fr-FR']) {
    it(`${preferred}: the buttons keep their verbs and carry only the request id`, () => {
      const { confirmation } = subjectCards(preferred);
      const id = makeRequest().id;
      assert.deepEqual(executeActions(confirmation), [
        { verb: CardVerb.Approve, data: { requestId: id } },
        { verb: CardVerb.Decline, data: { requestId: id } },
      ]);
      const decline = (confirmation.actions as ConfirmationActions)[1];
      assert.equal(decline.card.body[0].id, DECLINE_REASON_INPUT);
    });

    it(`${preferred}: a hostile requester name shows literally, never as Markdown or an evaluated template`, () => {
      const { confirmation } = subjectCards(preferred, HOSTILE_NAME);
      const id = makeRequest().id;
      const fields = stringFields(confirmation);
      const runs = fields.filter((f) => isTextRun(f) && f.value.includes('evil'));
      assert.deepEqual(
        runs.map((f) => f.value),
        [HOSTILE_NAME],
      );
      for (const f of fields.filter((f) => f.value.includes('evil'))) assert.ok(isTextRun(f), `${f.path} holds the name outside a TextRun`);
      for (const f of fields.filter(isMarkdownField)) {
        assert.ok(!/\]\(|\*\*/.test(f.value), `${f.path}: Markdown link or bold: ${f.value}`);
        assert.ok(!f.value.includes(id), `${f.path}: a \${...} was evaluated into the request id`);
      }
    });

    it(`${preferred}: a hostile notice on the outcome card shows literally`, () => {
      const card = buildConfirmationOutcomeCard(withPreferredLanguage(makeRequest({ state: 'declined' }), preferred), HOSTILE_NAME);
      const withName = stringFields(card).filter((f) => f.value.includes('evil'));
      assert.deepEqual(
        withName.map((f) => [isTextRun(f), f.value]),
        [[true, HOSTILE_NAME]],
      );
      assert.ok(!JSON.stringify(card).includes(makeRequest().id));
    });

    it(`${preferred}: the admin's extension reason shows literally (escaped nowhere, evaluated never)`, () => {
      const request = withPreferredLanguage(makeRequest({ ...EXTENSION, extensions: [{ ...EXTENSION.extensions[0]!, reason: HOSTILE_NAME }] }), preferred);
      const withName = stringFields(buildDeadlineExtendedCard(request, '2026-02-28')).filter((f) => f.value.includes('evil'));
      assert.deepEqual(
        withName.map((f) => [isTextRun(f), f.value]),
        [[true, HOSTILE_NAME]],
      );
      assert.ok(!withName.some((f) => f.value.includes(escapeText(HOSTILE_NAME))));
    });

    it(`${preferred}: no UPN, mail or object id on any subject card; the link only in its button`, () => {
      const cards = subjectCards(preferred);
      const subject = makeRequest().subject;
      for (const [name, card] of Object.entries(cards)) {
        const json = JSON.stringify(card);
        for (const secret of [SUBJECT_UPN, SUBJECT_MAIL, subject.objectId]) assert.ok(!json.includes(secret), `${name}: carries ${secret}`);
      }
      const withUrl = stringFields(cards.packageReady).filter((f) => /https?:|blob\.core/i.test(f.value));
      assert.deepEqual(
        withUrl.map((f) => f.path),
        ['actions[0].url'],
      );
    });
  }

  it('formats dates in the locale asked for, and exactly as before without one', () => {
    assert.equal(formatForPeople('2026-09-03'), 'Thu 3 Sep 2026');
    assert.equal(formatForPeople('2026-09-03', 'en-GB'), 'Thu 3 Sep 2026');
    assert.equal(formatForPeople('2026-09-03', 'de-DE'), 'Do., 3. Sept. 2026');
    assert.equal(formatForPeople('2026-09-03', 'fr-FR'), 'jeu. 3 sept. 2026');
    const instant = new Date('2026-07-05T23:05:00Z');
    assert.equal(formatInstantForPeople(instant, 'Europe/London'), 'Mon 6 Jul 2026, 00:05 BST');
    assert.equal(formatInstantForPeople(instant, 'Europe/Berlin', 'de-DE'), 'Mo., 6. Juli 2026, 01:05 MESZ');
    assert.equal(formatInstantForPeople(instant, 'Not/AZone', 'fr-FR'), 'dim. 5 juil. 2026, 23:05 UTC');
  });

  describe('notices to the subject outside the templates', () => {
    it('says "already answered" and "closed as unconfirmed" in the subject’s language', () => {
      const de = withPreferredLanguage(makeRequest(), 'de-DE');
      const fr = withPreferredLanguage(makeRequest(), 'fr-FR');
      assert.match(alreadyAnsweredSentence(de), /wartet nicht mehr auf eine Antwort/);
      assert.match(alreadyAnsweredSentence(fr), /n’attend plus de réponse/);
      assert.match(alreadyAnsweredSentence(makeRequest()), /no longer waiting for an answer/);
      assert.match(visibleText(buildLapsedNoticeCard(de)), /Ihre Anfrage DSR-2026-0007 wurde geschlossen/);
      assert.match(visibleText(buildLapsedNoticeCard(fr)), /Votre demande DSR-2026-0007 a été clôturée/);
    });

    it('a lapsed request: the reason with its dates, that they can ask again, and where to complain, in their language', () => {
      const lapsed = { state: 'unconfirmed' as const, createdAt: '2026-02-02T09:00:00Z', answeredAt: '2026-03-01T23:30:00Z' };
      const route = { timeZone: 'Europe/Berlin', supervisoryAuthority: 'the Hamburg data protection authority' };
      const en = visibleText(buildLapsedNoticeCard(makeRequest(lapsed), route));
      for (const expected of [
        'We asked you on Mon 2 Feb 2026 to confirm this request for a copy of your personal data, and by Mon 2 Mar 2026 we had no confirmation from you. So no data was exported, and the request is closed.',
        'You can ask again at any time: type "export my data".',
        'you have the right to lodge a complaint with a supervisory authority (Art. 77 GDPR: the Hamburg data protection authority) and to seek a judicial remedy before the courts (Art. 79 GDPR).',
      ]) {
        assert.ok(en.includes(expected), expected);
      }
      const de = visibleText(buildLapsedNoticeCard(withPreferredLanguage(makeRequest(lapsed), 'de-DE'), route));
      assert.ok(de.includes('Wir haben Sie am Mo., 2. Feb. 2026 gebeten'), de);
      assert.ok(de.includes('einen gerichtlichen Rechtsbehelf einzulegen (Art. 79 DSGVO)'));
      const fr = visibleText(buildLapsedNoticeCard(withPreferredLanguage(makeRequest({ ...lapsed, regime: 'ccpa' }), 'fr-FR'), route));
      assert.ok(fr.includes('déposer une plainte auprès de la California Privacy Protection Agency (https://cppa.ca.gov/)'), fr);
      assert.ok(!fr.includes('Hamburg'), 'the GDPR authority has no place in a CCPA notice');
    });
  });
});
