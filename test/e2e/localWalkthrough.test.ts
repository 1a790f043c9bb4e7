// End to end, as a newcomer walks local mode: Privacy Desk in-process (Azurite in memory, demo data,
// anonymous local mode), one Agents Playground per person (Alex the privacy admin, Megan the data
// subject), both pages driven in headless Chromium. Alex files an export for Megan through the
// dialog; Megan approves on her card; the export runs; Megan downloads the ZIP; Alex is told.
//
// Needs /usr/bin/chromium (apt-get install -y chromium). The browser may only talk to 127.0.0.1.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../support/chromium';
import { loadConfig } from '../../app/config';
import { createPrivacyDesk, type PrivacyDesk } from '../../app/createPrivacyDesk';
import { startAzurite, type AzuriteInstance } from '../../local/azurite/startAzurite';
import { seedDemoData } from '../../local/demo/seedDemoData';
import { startPlayground, type RunningPlayground } from '../../local/playground/startPlayground';

const silent = () => undefined;
const logger = { info: silent, warn: silent, error: silent, debug: silent, trace: silent, fatal: silent, child: () => logger } as never;

/** Records window.open calls (how the Playground follows an Action.OpenUrl) instead of opening a tab. */
const RECORD_WINDOW_OPEN = `
  window.__opened = [];
  window.open = function (url) { window.__opened.push(String(url)); return null; };
`;

async function openPlayground(context: BrowserContext, playground: RunningPlayground): Promise<Page> {
  const page = await context.newPage();
  await page.goto(playground.url);
  await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('[contenteditable="true"][role="textbox"]');
  await box.click();
  await box.pressSequentially(text);
  await page.keyboard.press('Enter');
}

/** Clicks the newest button with this title (older questions' buttons stay on the page). */
async function click(page: Page, title: string): Promise<void> {
  const button = page.getByRole('button', { name: title, exact: true }).last();
  await button.waitFor();
  await button.click();
}

/** The last element in the chat pane showing this text (the chat list previews messages too, so take the last). */
function shown(page: Page, text: string | RegExp): Locator {
  return page.getByText(text).last();
}

describe('Local mode walkthrough in the Agents Playground: Alex files, Megan approves and downloads', function () {
  this.timeout(180_000);
  let dataDir: string;
  let profileDir: string;
  let azurite: AzuriteInstance | undefined;
  let desk: PrivacyDesk | undefined;
  let alex: RunningPlayground | undefined;
  let megan: RunningPlayground | undefined;
  let context: BrowserContext | undefined;
  let alexPage: Page;
  let meganPage: Page;

  before(async function () {
    requireChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'pd-e2e-'));
    profileDir = mkdtempSync(join(tmpdir(), 'pd-e2e-chromium-'));
    azurite = await startAzurite();
    await seedDemoData(azurite.connectionString);
    const config = loadConfig({
      PORT: '0',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      PRIVACY_DESK_DATA_DIR: dataDir,
      POLL_INTERVAL_MS: '100',
      LOG_LEVEL: 'silent',
    });
    assert.equal(config.mode, 'local');
    desk = await createPrivacyDesk(config, { logger });
    const botEndpoint = `${desk.server.url}/api/messages`;
    const workDir = join(dataDir, 'playground');
    alex = await startPlayground({ botEndpoint, user: 'alexw', workDir });
    megan = await startPlayground({ botEndpoint, user: 'meganb', workDir });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    await context.addInitScript(RECORD_WINDOW_OPEN);
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      return url.hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient');
    });
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await megan?.stop();
    await alex?.stop();
    await desk?.stop();
    await azurite?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await alexPage?.screenshot({ path: '/tmp/e2e-fail-alex.png', fullPage: true }).catch(() => undefined);
      await meganPage?.screenshot({ path: '/tmp/e2e-fail-megan.png', fullPage: true }).catch(() => undefined);
    }
  });

  it('walks the export from request to download', async () => {
    // Megan first: her page's conversationUpdate gives the bot her 1:1 conversation reference.
    meganPage = await openPlayground(context!, megan!);
    alexPage = await openPlayground(context!, alex!);
    await alexPage.getByRole('treeitem', { name: 'Personal Chat' }).click();

    // Alex files the request through the dialog.
    await say(alexPage, 'export meganb@example.com');
    await shown(alexPage, /I found Megan Bowen/).waitFor();
    await shown(alexPage, /Is this the data subject\?/).waitFor();
    // The questions' buttons, clicked as a person would (the Playground cannot send imBack suggestions).
    await click(alexPage, 'Yes');
    await shown(alexPage, /Under which law/).waitFor();
    await click(alexPage, 'GDPR (default)');
    await shown(alexPage, /When was the request received\?/).waitFor();
    await say(alexPage, 'today');
    await shown(alexPage, /Any reference/).waitFor();
    await say(alexPage, 'skip');
    await shown(alexPage, /File this request\?/).waitFor();
    await click(alexPage, 'Yes');
    const filed = shown(alexPage, /Filed DSR-/);
    await filed.waitFor();
    const filedText = await filed.innerText();
    const reference = /(DSR-[A-Za-z0-9-]+)/.exec(filedText)?.[1];
    assert.ok(reference, `a reference in: ${filedText}`);
    assert.match(filedText, /Due \w{3} \d{1,2} \w{3} \d{4}/, `a due date in: ${filedText}`);

    // Megan's confirmation card arrives proactively on HER page.
    await meganPage.getByRole('treeitem', { name: 'Personal Chat' }).click();
    await shown(meganPage, 'Do you want a copy of your personal data?').waitFor({ timeout: 15_000 });
    await shown(meganPage, 'Alex Wilber').waitFor();
    await shown(meganPage, reference!).waitFor();
    const approve = meganPage.getByRole('button', { name: 'Approve', exact: true });
    const decline = meganPage.getByRole('button', { name: 'Decline', exact: true });
    await approve.waitFor();
    await decline.waitFor();
    await approve.click();
    // The invoke response replaces the card in place: no buttons left, the approved outcome shown.
    await shown(meganPage, /You approved this request/).waitFor();
    await approve.waitFor({ state: 'detached' });
    assert.equal(await meganPage.getByText('Do you want a copy of your personal data?').count(), 0, 'the confirmation card was replaced');

    // The export runs in the background; the download card arrives.
    await shown(meganPage, 'Your data is ready').waitFor({ timeout: 45_000 });
    // The Playground renders an Action.OpenUrl as <button role="link" title="URL">; clicking calls window.open.
    const download = meganPage.getByRole('link', { name: 'Download your data', exact: true }).last();
    await download.waitFor();
    await download.click();
    await meganPage.waitForFunction(() => ((window as unknown as { __opened: string[] }).__opened ?? []).length > 0, undefined, { timeout: 10_000 });
    const opened = await meganPage.evaluate(() => (window as unknown as { __opened: string[] }).__opened);
    const link = opened.at(-1)!;
    assert.equal(await download.getAttribute('title'), link, 'the button shows the URL it opens');
    assert.match(link, /^https?:\/\//, `a download URL: ${link}`);
    const res = await fetch(link);
    assert.equal(res.status, 200, `GET ${link}`);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', 'the package is a ZIP');

    // Alex is told that Megan received the link.
    await shown(alexPage, /received the download link/).waitFor({ timeout: 30_000 });
    await shown(alexPage, /Megan Bowen/).waitFor();

    await alexPage.screenshot({ path: '/tmp/e2e-alex.png', fullPage: true });
    await meganPage.screenshot({ path: '/tmp/e2e-megan.png', fullPage: true });
  });
});
