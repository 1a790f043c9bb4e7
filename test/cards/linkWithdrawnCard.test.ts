import assert from 'node:assert/strict';
import { buildLinkWithdrawnCard, buildLinkWithdrawnNoticeCard } from '../../cards';
import { LINK_WITHDRAWN_CARD_TEXT, LINK_WITHDRAWN_FOR_REQUESTER_TEXT } from '../../cards/text/linkWithdrawnCard.text';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { allActions, stringFields, visibleText } from './support/cardTree';
import { makeRequest, SAMPLE_PACKAGE, SUBJECT_MAIL, SUBJECT_UPN, withPreferredLanguage } from './support/fixtures';

/** A delivered request carrying everything the privacy team wrote or was told that the subject must never read. */
const noted = makeRequest({
  state: 'delivered',
  package: SAMPLE_PACKAGE,
  intakeNote: 'Ticket 4711 from her lawyer',
  identityVerification: 'Passport checked by HR',
  assignee: { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', displayName: 'Patti Fernandez' },
  cancelReason: 'Duplicate of a mailed request',
  pause: { since: '2026-03-01', reason: 'her new postal address' },
  extensions: [{ amount: 1, unit: 'months', reason: 'Records in three systems', at: '2026-03-01T10:00:00Z' }],
});
const INTERNAL = ['Ticket 4711', 'Passport checked', 'Patti Fernandez', 'Duplicate of a mailed', 'postal address', 'three systems'];
const ADDRESSES = [SUBJECT_UPN, SUBJECT_MAIL, noted.subject.objectId, noted.id, SAMPLE_PACKAGE.blobName, SAMPLE_PACKAGE.sha256];
const URL_LIKE = /https?:|www\.|:\/\/|\.blob\.|@/i;

function assertCarriesNothingPrivate(card: AdaptiveCard, what: string): void {
  const json = JSON.stringify(card);
  for (const word of [...INTERNAL, ...ADDRESSES]) assert.ok(!json.includes(word), `${what}: carries ${word}`);
  assert.ok(!URL_LIKE.test(json), `${what}: looks like it carries a URL or address: ${json}`);
  assert.deepEqual(allActions(card), [], `${what}: no button at all, least of all a download`);
}

describe('cards/linkWithdrawnCard: what a download card becomes when its link is revoked', () => {
  const card = buildLinkWithdrawnCard(noted);

  it('says the privacy team withdrew the link, that the button is gone, and what happens next with the reference', () => {
    const text = visibleText(card);
    for (const expected of [
      'This download link was withdrawn',
      'The privacy team withdrew the download link for your request DSR-2026-0007.',
      'so this card no longer has a download button',
      'What happens next',
      'If you still need your data, the privacy team can send you a new link: contact them and quote DSR-2026-0007.',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
    }
  });

  it('has no action, no link, and nothing the privacy team noted (never why)', () => {
    assertCarriesNothingPrivate(card, 'subject card');
    assertCarriesNothingPrivate(buildLinkWithdrawnNoticeCard(noted), 'subject notice');
  });

  it('the short notice (when the card is gone) says the same in two sentences', () => {
    const text = visibleText(buildLinkWithdrawnNoticeCard(noted));
    assert.ok(text.includes('Your download link for DSR-2026-0007 was withdrawn'), text);
    assert.ok(text.includes('the download button on the earlier card no longer works'), text);
    assert.ok(text.includes('the privacy team can send you a new link: contact them and quote DSR-2026-0007'), text);
  });

  for (const [lang, preferred, heading, sentence] of [
    ['de', 'de-DE', 'Dieser Download-Link wurde zurückgezogen', 'Das Datenschutzteam hat den Download-Link zu Ihrer Anfrage DSR-2026-0007 zurückgezogen.'],
    [
      'fr',
      'fr-FR',
      'Ce lien de téléchargement a été retiré',
      'L’équipe de protection des données a retiré le lien de téléchargement de votre demande DSR-2026-0007.',
    ],
  ] as const) {
    it(`${lang}: in the subject's language, with no English fixed string left`, () => {
      const request = withPreferredLanguage(noted, preferred);
      const localized = buildLinkWithdrawnCard(request);
      const notice = buildLinkWithdrawnNoticeCard(request);
      assert.ok(visibleText(localized).includes(heading));
      assert.ok(visibleText(localized).includes(sentence));
      assert.ok(visibleText(notice).includes(LINK_WITHDRAWN_CARD_TEXT[lang].noticeTitle('DSR-2026-0007')));
      const values = [...stringFields(localized), ...stringFields(notice)].map((f) => f.value);
      const en = LINK_WITHDRAWN_CARD_TEXT.en;
      for (const english of [
        en.heading,
        en.nextHeading,
        en.withdrawn('DSR-2026-0007'),
        en.next('DSR-2026-0007'),
        en.noticeTitle('DSR-2026-0007'),
        en.noticeSentence('DSR-2026-0007'),
      ]) {
        assert.ok(!values.includes(english), `English left on the ${lang} card: ${english}`);
      }
      assertCarriesNothingPrivate(localized, lang);
      assertCarriesNothingPrivate(notice, `${lang} notice`);
    });
  }

  it('a language we do not have: English, exactly as for en-US', () => {
    assert.deepEqual(buildLinkWithdrawnCard(withPreferredLanguage(noted, 'es-ES')), buildLinkWithdrawnCard(withPreferredLanguage(noted, 'en-US')));
  });

  describe('for the filing admin who received the package in the subject’s place', () => {
    const forAdmin = { ...withPreferredLanguage(noted, 'de-DE'), deliverTo: 'requester' as const };

    it('follows the request’s recipient, in English, and says how to send a new link', () => {
      const text = visibleText(buildLinkWithdrawnCard(forAdmin));
      assert.ok(text.includes(LINK_WITHDRAWN_FOR_REQUESTER_TEXT.heading), text);
      assert.ok(text.includes('The download link for DSR-2026-0007 was withdrawn (revoke).'), text);
      assert.ok(text.includes('type "reissue DSR-2026-0007"'), text);
      assert.ok(visibleText(buildLinkWithdrawnNoticeCard(forAdmin)).includes('DSR-2026-0007: download link withdrawn'));
      assertCarriesNothingPrivate(buildLinkWithdrawnCard(forAdmin), 'admin card');
    });

    it('the subject’s variant can still be asked for explicitly', () => {
      assert.ok(visibleText(buildLinkWithdrawnCard(forAdmin, 'subject')).includes('Dieser Download-Link wurde zurückgezogen'));
    });
  });
});
