import assert from 'node:assert/strict';
import { escapeText } from '../../cards/adaptiveCard';
import {
  buildConfirmationCard,
  buildLinkWithdrawnCard,
  buildLinkWithdrawnNoticeCard,
  buildPackageReadyCard,
  buildRequestStatusCard,
  StatusAudience,
} from '../../cards';
import { CardVerb, DECLINE_REASON_INPUT } from '../../cards/cardVerbs';
import { useCardPage } from './support/cardPage';
import { HOSTILE_NAME, makeRequest, SAMPLE_LINK, SAMPLE_PACKAGE, TODAY, withSubjectName } from './support/fixtures';

/**
 * Renders cards with the adaptivecards browser bundle in a real headless Chromium, as a Teams-like
 * host would, and reads what a person sees. The page (and its Markdown stand-in) comes from
 * useCardPage in support/cardPage.ts; the control tests below show the stand-in does turn a raw
 * Markdown name into a link, so the absence of links on our cards is not an accident of "no
 * Markdown at all" (useCardPage also checks this before every suite that uses the page).
 */
const SCREENSHOTS = {
  confirmation: '/tmp/cards-confirmation.png',
  decline: '/tmp/cards-confirmation-decline.png',
  packageReady: '/tmp/cards-package-ready.png',
  linkWithdrawn: '/tmp/cards-link-withdrawn.png',
  status: '/tmp/cards-status.png',
};

describe('cards rendered in headless Chromium (adaptivecards browser bundle, Teams-like host config)', function () {
  this.timeout(60_000);
  const { page, render, executed, links, buttons } = useCardPage();

  describe('controls: the page really renders Markdown in TextBlocks', () => {
    it('a raw Markdown name in a TextBlock becomes a link and bold text', async () => {
      await render({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: HOSTILE_NAME, wrap: true }] });
      assert.equal(await links().count(), 1);
      assert.equal(await links().first().getAttribute('href'), 'https://evil.example');
      assert.equal(await page.locator('#bubble strong').count(), 1);
    });

    it('the same name through escapeText shows literally, with no link', async () => {
      const text = await render({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: escapeText(HOSTILE_NAME), wrap: true }] });
      assert.equal(await links().count(), 0);
      assert.ok(text.includes(HOSTILE_NAME), text);
    });
  });

  describe('confirmation card (hostile requester name)', () => {
    const request = withSubjectName(makeRequest(), HOSTILE_NAME);
    const card = buildConfirmationCard(request, HOSTILE_NAME, TODAY);

    it('shows the subject-facing sentences and the Approve and Decline buttons', async () => {
      const text = await render(card);
      for (const expected of [
        'Do you want a copy of your personal data?',
        "filed a request for a copy of the personal data that Privacy Desk's configured sources hold about you",
        'GDPR (Art. 15 access, Art. 20 portability)',
        'DSR-2026-0007',
        'If you approve',
        'We gather the export and send you a private download link here, in this chat.',
        'If you decline',
        'Nothing is exported.',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.deepEqual(await buttons(), ['Approve', 'Decline']);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.confirmation });
    });

    it('shows the hostile name as literal text, with no link made from it', async () => {
      const text = await render(card);
      assert.ok(text.includes(`${HOSTILE_NAME}, a privacy admin, filed a request`), text);
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
    });

    it('Approve sends Action.Execute with the approve verb and only the request id', async () => {
      await render(card);
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      assert.deepEqual(await executed(), [{ type: 'Action.Execute', verb: CardVerb.Approve, data: { requestId: request.id } }]);
    });

    it('Decline opens the reason box; sending it carries the decline verb, the id and the reason', async () => {
      await render(card);
      await page.getByRole('button', { name: 'Decline', exact: true }).click();
      const reason = page.locator('#bubble textarea');
      assert.equal(await reason.getAttribute('maxlength'), '500');
      assert.equal(await reason.getAttribute('placeholder'), 'For example: I did not ask for this');
      await reason.fill('I did not ask for this');
      assert.deepEqual(await buttons(), ['Approve', 'Decline', 'Decline the request']);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.decline });
      await page.getByRole('button', { name: 'Decline the request', exact: true }).click();
      assert.deepEqual(await executed(), [
        { type: 'Action.Execute', verb: CardVerb.Decline, data: { requestId: request.id, [DECLINE_REASON_INPUT]: 'I did not ask for this' } },
      ]);
    });
  });

  describe('package ready card', () => {
    const card = buildPackageReadyCard(makeRequest({ state: 'ready', package: SAMPLE_PACKAGE }), SAMPLE_LINK, 'Europe/Berlin');

    it('shows what the subject needs, the download button, and not the URL itself', async () => {
      const text = await render(card);
      for (const expected of [
        'Your data is ready',
        'This link is private',
        "Don't forward it",
        'Mon 9 Mar 2026, 11:00 CET',
        '7 files, 1.2 MB',
        'manifest.json',
        'cover letter',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.deepEqual(await buttons(), ['Download your data']);
      assert.ok(!text.includes('blob.core.windows.net'));
      assert.equal(await links().count(), 0);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.packageReady });
    });

    it('the button opens the link', async () => {
      await render(card);
      // The library gives Action.OpenUrl buttons role="link" (they navigate); it is still a <button>.
      await page.locator('#bubble button', { hasText: 'Download your data' }).click();
      assert.deepEqual(await executed(), [{ type: 'Action.OpenUrl', url: SAMPLE_LINK.url }]);
    });
  });

  describe('link withdrawn card (a download card after revoke, updated in place)', () => {
    const request = makeRequest({ state: 'delivered', package: SAMPLE_PACKAGE });

    it('says the link was withdrawn and what happens next, with no button and no link', async () => {
      const text = await render(buildLinkWithdrawnCard(request));
      for (const expected of [
        'This download link was withdrawn',
        'The privacy team withdrew the download link for your request DSR-2026-0007.',
        'What happens next',
        'If you still need your data, the privacy team can send you a new link: contact them and quote DSR-2026-0007.',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.deepEqual(await buttons(), []);
      assert.equal(await links().count(), 0);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.linkWithdrawn });
    });

    it('the short notice, when the card is gone: the same, no button, no link', async () => {
      const text = await render(buildLinkWithdrawnNoticeCard(request));
      assert.ok(text.includes('Your download link for DSR-2026-0007 was withdrawn'), text);
      assert.deepEqual(await buttons(), []);
      assert.equal(await links().count(), 0);
    });
  });

  describe('status card (hostile subject name in a FactSet value, escaped)', () => {
    it('shows the name literally, with no link', async () => {
      const text = await render(
        buildRequestStatusCard(
          withSubjectName(makeRequest({ intakeNote: HOSTILE_NAME }), HOSTILE_NAME),
          TODAY,
          `${HOSTILE_NAME} approved DSR-2026-0007`,
          StatusAudience.Admin,
        ),
      );
      assert.equal(text.split(HOSTILE_NAME).length - 1, 3, text);
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.status });
    });
  });
});
