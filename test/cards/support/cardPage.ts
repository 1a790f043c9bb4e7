import assert from 'node:assert/strict';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { escapeText } from '../../../cards/adaptiveCard';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../../support/chromium';
import { HOSTILE_NAME } from './fixtures';
import { TEAMS_CSS, TEAMS_HOST_CONFIG } from './teamsHostConfig';

/**
 * The page the browser card tests render in: the adaptivecards browser bundle in Debian's headless
 * Chromium, with a Teams-like host config, reading what a person sees. Chromium comes from Debian
 * (`apt-get install -y chromium`), never from `npx playwright install`. CHROMIUM_PATH overrides
 * the location.
 */
const BUNDLE = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const STYLESHEET = require.resolve('adaptivecards/dist/adaptivecards.css');

/**
 * Runs in the page (a string, so the TypeScript loader adds nothing to it).
 *
 * Markdown: the library renders TextBlocks through whatever processor the host installs, and Teams
 * installs its own. markdown-it is not in this project, so the page installs a small stand-in with
 * the parts that matter here: backslash escapes (CommonMark), [text](url) links, **bold**, bare
 * https:// links. useCardPage's setup checks that it does turn a raw Markdown name into a link and
 * bold text (and an escaped one into neither) before any test runs, so "no link, no bold" on our
 * cards is not an accident of "no Markdown at all".
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

/** An action the card executed, as the page recorded it. */
export interface Executed {
  type: string;
  verb?: string;
  url?: string;
  data?: Record<string, unknown>;
}

/** What PAGE_SCRIPT adds to the page's window. */
interface CardPageWindow {
  renderCard(json: unknown, hostConfig: unknown): string;
  executed: Executed[];
}

/** The helpers are plain functions (not methods), so tests can destructure them. */
export interface CardPage {
  /** The current test's page (a fresh one per test); use it only inside a test or an each-hook. */
  page: Page;
  /** Renders a card into #bubble and returns the bubble's innerText. */
  render: (card: unknown) => Promise<string>;
  /** The actions executed on the page so far, in order. */
  executed: () => Promise<Executed[]>;
  /** The links in the rendered card. */
  links: () => Locator;
  /** The visible buttons' texts, in order. */
  buttons: () => Promise<string[]>;
}

async function openPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 560, height: 900 } });
  // No network at all: the page must render from what we inject.
  await page.route('**/*', (route) => route.abort());
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="bubble" class="bubble"></div></body></html>');
  await page.addStyleTag({ path: STYLESHEET });
  await page.addStyleTag({ content: TEAMS_CSS });
  await page.addScriptTag({ path: BUNDLE });
  await page.addScriptTag({ content: PAGE_SCRIPT });
  return page;
}

const renderOn = (page: Page, card: unknown): Promise<string> =>
  page.evaluate(([json, hostConfig]) => (window as unknown as CardPageWindow).renderCard(json, hostConfig), [card, TEAMS_HOST_CONFIG] as const);

/**
 * The control for every suite on this page: a raw Markdown name in a TextBlock must become a link
 * and bold text, and the same name through escapeText must show literally with neither. Without it,
 * a test's "no link, no bold" could pass only because the page renders no Markdown at all.
 */
async function assertPageRendersMarkdown(browser: Browser): Promise<void> {
  const page = await openPage(browser);
  try {
    const textBlock = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] });
    await renderOn(page, textBlock(HOSTILE_NAME));
    assert.equal(await page.locator('#bubble a').count(), 1, 'control: the page must turn a raw Markdown link into a link');
    assert.equal(await page.locator('#bubble a').first().getAttribute('href'), 'https://evil.example', 'control: the link must carry the Markdown URL');
    assert.equal(await page.locator('#bubble strong').count(), 1, 'control: the page must turn raw **bold** into bold text');
    const text = await renderOn(page, textBlock(escapeText(HOSTILE_NAME)));
    assert.equal(await page.locator('#bubble a').count(), 0, 'control: an escaped name must not become a link');
    assert.equal(await page.locator('#bubble strong').count(), 0, 'control: an escaped name must not become bold');
    assert.ok(text.includes(HOSTILE_NAME), `control: an escaped name must show literally\n---\n${text}`);
  } finally {
    await page.close();
  }
}

/**
 * Call inside a describe: registers the hooks that launch Chromium for the suite (and check, once,
 * that the page really renders Markdown), open a fresh page for each test and close both, and
 * returns the helpers the tests use. `page` always stands for the current test's page.
 */
export function useCardPage(): CardPage {
  let browser: Browser | undefined;
  let current: Page | undefined;

  before(async () => {
    requireChromium();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await assertPageRendersMarkdown(browser);
  });

  after(async () => {
    await browser?.close();
    browser = undefined;
  });

  beforeEach(async () => {
    assert.ok(browser, 'no browser: the before hook did not run or failed');
    current = await openPage(browser);
  });

  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  const currentPage = (): Page => {
    assert.ok(current, 'no card page: use it inside a test (each test gets a fresh page)');
    return current;
  };

  // Forwards to the current test's page, so tests can write `page.locator(...)` as on a Page.
  const page = new Proxy({} as Page, {
    get(_, key) {
      const target = currentPage();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

  return {
    page,
    render: (card) => renderOn(currentPage(), card),
    executed: () => currentPage().evaluate(() => (window as unknown as CardPageWindow).executed),
    links: () => currentPage().locator('#bubble a'),
    buttons: () => currentPage().locator('#bubble button:visible').allInnerTexts(),
  };
}
