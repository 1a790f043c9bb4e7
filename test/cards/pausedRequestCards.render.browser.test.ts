import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildAnswerSentCard, buildPauseNoticeCard, buildSubjectAnsweredCard, buildSubjectAnsweredChannelCard } from '../../cards';
import { CardVerb, SUBJECT_ANSWER_INPUT } from '../../cards/cardVerbs';
import { MAX_SUBJECT_ANSWER } from '../../domain/requests/requestService';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../support/chromium';
import { ANSWERS, answeredRequest, PAUSE, pausedRequest } from './support/allCards';
import { HOSTILE_NAME, makeRequest, TODAY } from './support/fixtures';
import { TEAMS_CSS, TEAMS_HOST_CONFIG } from './support/teamsHostConfig';

/**
 * The paused-request cards rendered with the adaptivecards browser bundle in Debian's headless
 * Chromium, as in render.browser.test.ts: what a person reads, that nothing the subject or an admin
 * wrote becomes a link, bold text or a mention, and what the buttons send.
 */
const BUNDLE = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const STYLESHEET = require.resolve('adaptivecards/dist/adaptivecards.css');
const SCREENSHOTS = { notice: '/tmp/cards-pause-notice.png', answered: '/tmp/cards-subject-answered.png' };

/** Installs a small Markdown stand-in (escapes, [text](url), **bold**, bare links), as render.browser.test.ts does. */
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
      window.executed.push(JSON.parse(JSON.stringify({ type: action.getJsonTypeName(), verb: action.verb, data: action.data })));
    };
    card.parse(json);
    const bubble = document.getElementById('bubble');
    bubble.innerHTML = '';
    bubble.appendChild(card.render());
    return bubble.innerText;
  };
`;

const HOSTILE = `${HOSTILE_NAME} <at>Alex Wilber</at>`;

describe('paused-request cards rendered in headless Chromium', function () {
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

  const render = (card: unknown): Promise<string> => page.evaluate(([json, hostConfig]) => (window as any).renderCard(json, hostConfig) as string, [card, TEAMS_HOST_CONFIG] as const);
  const executed = () => page.evaluate(() => (window as any).executed as Array<{ type: string; verb?: string; data?: Record<string, unknown> }>);
  const links = () => page.locator('#bubble a');
  const buttons = () => page.locator('#bubble button:visible').allInnerTexts();

  describe('the pause notice (the admin’s words hostile)', () => {
    const request = pausedRequest({ pause: { ...PAUSE, reason: HOSTILE } });
    const card = buildPauseNoticeCard(request);

    it('reads: paused, what is needed (literally), how to answer; a bounded box and one button', async () => {
      const text = await render(card);
      for (const expected of ['We need something from you', 'The clock on your request DSR-2026-0007 is paused because the privacy team needs:', HOSTILE, 'or just reply here in this chat']) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
      assert.equal(await page.locator('#bubble textarea').getAttribute('maxlength'), String(MAX_SUBJECT_ANSWER));
      assert.deepEqual(await buttons(), ['Send to the privacy team']);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.notice });
    });

    it('an empty box is not sent; a written one sends the verb, the request id and the answer', async () => {
      await render(card);
      await page.getByRole('button', { name: 'Send to the privacy team', exact: true }).click();
      assert.deepEqual(await executed(), [], 'the required box stops an empty answer in the client');
      await page.locator('#bubble textarea').fill('Here is my ID: 1234');
      await page.getByRole('button', { name: 'Send to the privacy team', exact: true }).click();
      assert.deepEqual(await executed(), [{ type: 'Action.Execute', verb: CardVerb.Answer, data: { requestId: request.id, [SUBJECT_ANSWER_INPUT]: 'Here is my ID: 1234' } }]);
    });
  });

  it('the subject’s "sent" card shows their hostile answer literally, with no button', async () => {
    const text = await render(buildAnswerSentCard(answeredRequest(), { at: ANSWERS[0].at, text: HOSTILE }));
    assert.ok(text.includes('Sent to the privacy team'));
    assert.ok(text.includes(HOSTILE), text);
    assert.equal(await links().count(), 0);
    assert.equal(await page.locator('#bubble strong').count(), 0);
    assert.deepEqual(await buttons(), []);
  });

  describe('the admin’s card (hostile answer)', () => {
    const request = answeredRequest({ subjectAnswers: [{ at: ANSWERS[0].at, text: HOSTILE }, ANSWERS[1]] });

    it('shows the answers literally and offers "Resume the clock", which sends only the request id', async () => {
      const text = await render(buildSubjectAnsweredCard(request, 'Europe/Berlin'));
      for (const expected of ['Megan Bowen answered about DSR-2026-0007', PAUSE.reason, HOSTILE, 'Sun 1 Mar 2026, 15:05 CET', 'resume DSR-2026-0007']) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
      assert.deepEqual(await buttons(), ['Resume the clock']);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.answered });
      await page.getByRole('button', { name: 'Resume the clock', exact: true }).click();
      assert.deepEqual(await executed(), [{ type: 'Action.Execute', verb: CardVerb.Resume, data: { requestId: makeRequest().id } }]);
    });
  });

  it('the channel post reads without the answer', async () => {
    const text = await render(buildSubjectAnsweredChannelCard(answeredRequest({ subjectAnswers: [{ at: ANSWERS[0].at, text: HOSTILE }] }), TODAY));
    assert.ok(text.includes('The data subject answered; the clock stays paused'));
    assert.ok(text.includes('Their answer is not shown here'));
    assert.ok(!text.includes('evil') && !text.includes('Alex Wilber'), text);
    assert.deepEqual(await buttons(), []);
  });
});
