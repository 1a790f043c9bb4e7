import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../support/chromium';
import { escapeText } from '../../cards/adaptiveCard';
import { buildConfirmationCard, buildLinkWithdrawnCard, buildLinkWithdrawnNoticeCard, buildPackageReadyCard, buildRequestStatusCard, StatusAudience } from '../../cards';
import { CardVerb, DECLINE_REASON_INPUT } from '../../cards/cardVerbs';
import { HOSTILE_NAME, makeRequest, SAMPLE_LINK, SAMPLE_PACKAGE, TODAY, withSubjectName } from './support/fixtures';
import { TEAMS_CSS, TEAMS_HOST_CONFIG } from './support/teamsHostConfig';

/**
 * Renders cards with the adaptivecards browser bundle in a real headless Chromium, as a Teams-like
 * host would, and reads what a person sees. Chromium comes from Debian (`apt-get install -y
 * chromium`), never from `npx playwright install`. CHROMIUM_PATH overrides the location.
 */
const BUNDLE = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const STYLESHEET = require.resolve('adaptivecards/dist/adaptivecards.css');
const SCREENSHOTS = {
  confirmation: '/tmp/cards-confirmation.png',
  decline: '/tmp/cards-confirmation-decline.png',
  packageReady: '/tmp/cards-package-ready.png',
  linkWithdrawn: '/tmp/cards-link-withdrawn.png',
  status: '/tmp/cards-status.png',
};

/**
 * Runs in the page (a string, so the TypeScript loader adds nothing to it).
 *
 * Markdown: the library renders TextBlocks through whatever processor the host installs, and Teams
 * installs its own. markdown-it is not in this project, so the page installs a small stand-in with
 * the parts that matter here: backslash escapes (CommonMark), [text](url) links, **bold**, bare
 * https:// links. A control test below shows it does turn a raw Markdown name into a link, so the
 * absence of links on our cards is not an accident of "no Markdown at all".
 */
const PAGE_SCRIPT = String.raw`
  window.executed = [];
  function escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function standInMarkdown(text) {
    const escaped = [];
    let t = text.replace(/\\([!-\/:-@\[-\x60{-~])/g, function (_, c) { escaped.push(c); return '\u0000' + (escaped.length - 1) + '\u0000'; });
    t = escapeHtml(t);
    t = t.replace(/\[([^\]\u0000]*)\]\(([^)\s\u0000]*)\)/g, '<a href="$2">$1</a>');
    t = t.replace(/\*\*([^*\u0000]+)\*\*/g, '<strong>$1</strong>');
    t = t.split(/(<a [^>]*>.*?<\/a>)/).map(function (part) {
      return part.startsWith('<a ') ? part : part.replace(/https?:\/\/[^\s<\u0000]+/g, function (u) { return '<a href="' + u + '">' + u + '</a>'; });
    }).join('');
    t = t.replace(/\u0000(\d+)\u0000/g, function (_, i) { return escapeHtml(escaped[Number(i)]); });
    return '<p>' + t + '</p>';
  }
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
    result.outputHtml = standInMarkdown(text);
    result.didProcess = true;
  };
  window.renderCard = function (json, hostConfig) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    card.onExecuteAction = function (action) {
      // Through JSON, so absent properties stay absent on the Node side.
      window.executed.push(JSON.parse(JSON.stringify({ type: action.getJsonTypeName(), verb: action.verb, url: action.url, data: action.data })));
    };
    card.parse(json);
    const bubble = document.getElementById('bubble');
    bubble.innerHTML = '';
    bubble.appendChild(card.render());
    return bubble.innerText;
  };
`;

interface Executed {
  type: string;
  verb?: string;
  url?: string;
  data?: Record<string, unknown>;
}

describe('cards rendered in headless Chromium (adaptivecards browser bundle, Teams-like host config)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    requireChromium();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 560, height: 900 } });
    // No network at all: the page must render from what we inject.
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="bubble" class="bubble"></div></body></html>');
    await page.addStyleTag({ path: STYLESHEET });
    await page.addStyleTag({ content: TEAMS_CSS });
    await page.addScriptTag({ path: BUNDLE });
    await page.addScriptTag({ content: PAGE_SCRIPT });
  });

  afterEach(async () => {
    await page?.close();
  });

  const render = (card: unknown): Promise<string> =>
    page.evaluate(([json, hostConfig]) => (window as any).renderCard(json, hostConfig) as string, [card, TEAMS_HOST_CONFIG] as const);
  const executed = (): Promise<Executed[]> => page.evaluate(() => (window as any).executed as Executed[]);
  const links = () => page.locator('#bubble a');
  const buttons = () => page.locator('#bubble button:visible').allInnerTexts();

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
      for (const expected of ['Your data is ready', 'This link is private', "Don't forward it", 'Mon 9 Mar 2026, 11:00 CET', '7 files, 1.2 MB', 'manifest.json', 'cover letter']) {
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
      const text = await render(buildRequestStatusCard(withSubjectName(makeRequest({ intakeNote: HOSTILE_NAME }), HOSTILE_NAME), TODAY, `${HOSTILE_NAME} approved DSR-2026-0007`, StatusAudience.Admin));
      assert.equal(text.split(HOSTILE_NAME).length - 1, 3, text);
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.status });
    });
  });
});
