import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../../app/projectRoot';
import { userActor } from '../../../domain/actor';
import { buildTabWeb } from '../../../scripts/buildTab';
import { createPrivacyDesk, type PrivacyDesk } from '../../../app/createPrivacyDesk';
import { loadConfig } from '../../../app/config';
import { DEMO_DIRECTORY_FILE } from '../../helpers/domainFixture';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../../helpers/harness';
import { CapturingLogger } from '../../support/capturingLogger';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../../support/chromium';
import { startEntraStandIn, type EntraStandIn } from '../../support/entraTokens';

/** The page's background in each Teams theme: Fluent UI's colorNeutralBackground1 of teamsLight/Dark/HighContrastTheme. */
const THEME_BACKGROUND: Record<string, string> = { default: 'rgb(255, 255, 255)', dark: 'rgb(41, 41, 41)', contrast: 'rgb(0, 0, 0)' };
/** The screenshots people look at; test output, not compared. */
const SCREENSHOTS = join(PROJECT_ROOT, '.tmp/screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Where the test page that plays Teams is served (routed by the browser, never fetched): a Teams origin teams-js trusts. */
const TEAMS_HOST = 'https://teams.microsoft.com';

/**
 * The Teams client as teams-js sees it from inside the tab's iframe: it answers initialize (a content
 * frame in Teams on the web), getContext (who, which tenant, which theme and language) and
 * authentication.getAuthToken (the SSO token, here signed by the local Entra key set).
 */
function teamsHostPage(tabUrl: string, context: Record<string, unknown>, token: string): string {
  const runtime = {
    apiVersion: 4,
    supports: { app: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teams: { fullTrust: {} } },
  };
  return `<!doctype html><html><body style="margin:0">
<iframe id="tab" src="${tabUrl}" style="width:100%;height:100vh;border:0" title="Privacy Desk"></iframe>
<script>
  window.unanswered = [];
  window.addEventListener('message', (event) => {
    const frame = document.getElementById('tab').contentWindow;
    const message = event.data;
    if (event.source !== frame || !message || typeof message.func !== 'string') return;
    const answer = (args) => frame.postMessage({ id: message.id, args }, '*');
    if (message.func === 'initialize') answer(['content', 'web', ${JSON.stringify(JSON.stringify(runtime))}, '2.58.0']);
    else if (message.func === 'getContext') answer([${JSON.stringify(context)}]);
    else if (message.func === 'authentication.getAuthToken') answer([true, ${JSON.stringify(token)}]);
    else window.unanswered.push(message.func);
  });
</script></body></html>`;
}

/** What both suites need: Chromium, the page bundled into a folder of its own, and the integration tests' world. */
interface TabWorld {
  readonly world: World;
  readonly built: string;
  readonly browser: Browser;
  stop(): Promise<void>;
}

async function startTabWorld(): Promise<TabWorld> {
  requireChromium();
  const built = mkdtempSync(join(tmpdir(), 'privacy-desk-tab-'));
  const [world, browser] = await Promise.all([startWorld(), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }), buildTabWeb(built)]);
  return {
    world,
    built,
    browser,
    stop: async () => {
      await browser.close();
      await world.stop();
      rmSync(built, { recursive: true, force: true });
    },
  };
}

describe('the tab’s "My data requests" page in headless Chromium, inside a stand-in Teams host', function () {
  this.timeout(120_000);
  let tabWorld: TabWorld;
  let browser: Browser;
  let entra: EntraStandIn;
  let running: RunningDesk;
  let meganReference: string;

  before(async () => {
    [tabWorld, entra] = await Promise.all([startTabWorld(), startEntraStandIn()]);
    browser = tabWorld.browser;
    running = await startDesk(tabWorld.world, {
      env: { BOT_PUBLIC_HOSTNAME: 'privacydesk.contoso.com', TAB_SSO_ISSUER: entra.settings.issuer, TAB_SSO_JWKS_URL: entra.settings.jwksUrl },
      overrides: { tabPageDir: tabWorld.built },
    });
    const alex = userActor(PERSON.alex.objectId);
    const today = running.desk.requests.today();
    for (const person of [PERSON.megan, PERSON.isaiah]) {
      const subject = await running.desk.requests.findSubject(alex, person.objectId);
      const filed = await running.desk.requests.file(alex, { subject, regime: 'gdpr', receivedOn: today, intakeNote: 'Called back on the HR number.' });
      if (person === PERSON.megan) meganReference = filed.reference;
    }
  });
  after(async () => {
    await running?.desk.stop();
    await Promise.all([tabWorld?.stop(), entra?.stop()]);
  });

  async function openAs(
    person: { objectId: string; name: string },
    theme = 'default',
    width = 1000,
  ): Promise<{ context: BrowserContext; page: Page; tab: Frame }> {
    const context = await browser.newContext({ viewport: { width, height: 700 } });
    // Chromium keeps a public page from framing a loopback one unless it is allowed to (Local Network Access).
    await context.grantPermissions(['local-network-access'], { origin: TEAMS_HOST });
    const token = await entra.token(person);
    const teamsContext = {
      userObjectId: person.objectId,
      tid: entra.settings.tenantId,
      theme,
      locale: 'en-GB',
      frameContext: 'content',
      hostClientType: 'web',
    };
    await context.route(`${TEAMS_HOST}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: teamsHostPage(`${running.desk.server.url}/tab/`, teamsContext, token) }),
    );
    const page = await context.newPage();
    await page.goto(`${TEAMS_HOST}/_#/apps/privacy-desk`);
    const frame = await (await page.waitForSelector('iframe#tab')).contentFrame();
    assert.ok(frame, 'the tab’s frame');
    return { context, page, tab: frame };
  }

  it('shows the signed-in subject their own request and no one else’s', async () => {
    const { context, tab } = await openAs(PERSON.megan);
    try {
      await tab.waitForSelector(`tr[data-reference="${meganReference}"]`, { timeout: 20_000 });
      const rows = await tab.$$eval('tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      assert.equal(rows.length, 1, rows.join('\n'));
      assert.match(rows[0]!, new RegExp(meganReference));
      assert.match(rows[0]!, /GDPR/);
      assert.match(rows[0]!, /Awaiting the data subject’s confirmation/);
      const text = await tab.textContent('body');
      assert.doesNotMatch(text ?? '', /HR number|Isaiah/, 'neither the internal note nor another person');
      assert.equal(await tab.getAttribute('h1', 'id'), 'my-requests-title');

      // The reference opens the request's history, in plain words.
      await tab.click(`button:has-text("${meganReference}")`);
      await tab.waitForSelector(`ol[aria-label="History of ${meganReference}"] li`, { timeout: 20_000 });
      const history = await tab.$$eval(`ol[aria-label="History of ${meganReference}"] li`, (items) => items.map((li) => li.textContent ?? ''));
      assert.match(history.join('\n'), /The privacy team filed a request for a copy of your personal data\.[\s\S]*We asked you to confirm the request\./);
    } finally {
      await context.close();
    }
  });

  it('shows the subject the confirmation card the bot sent, rendered as Teams renders it, and takes their Approve', async () => {
    // The before hook filed one for Isaiah; nothing else in this suite answers it.
    const [request] = await running.desk.store.listBySubject(PERSON.isaiah.objectId);
    assert.equal(request?.state, 'awaiting_confirmation');
    const { context, tab } = await openAs(PERSON.isaiah);
    try {
      await tab.click(`button:has-text("${request!.reference}")`, { timeout: 20_000 });
      await tab.waitForSelector('[data-card] .ac-adaptiveCard', { timeout: 20_000 });
      await tab.click('[data-card] button:has-text("Approve")');
      await tab.waitForFunction(() => /You approved this request/.test(document.querySelector('[data-card]')?.textContent ?? ''), undefined, {
        timeout: 20_000,
      });
      const stored = (await running.desk.store.get(request!.id))!;
      assert.notEqual(stored.state, 'awaiting_confirmation', 'the answer was recorded');
      const trail = await running.desk.store.auditTrail(request.id);
      assert.ok(
        trail.some((event) => event.type === 'request.transitioned' && event.detail.to === 'confirmed' && event.actor.objectId === PERSON.isaiah.objectId),
      );
    } finally {
      await context.close();
    }
  });

  for (const theme of ['default', 'dark', 'contrast']) {
    it(`follows Teams’ ${theme} theme, passes an axe check, and fits Teams mobile’s 320 pixels`, async () => {
      const { context, page, tab } = await openAs(PERSON.megan, theme);
      try {
        await tab.waitForSelector(`tr[data-reference="${meganReference}"]`, { timeout: 20_000 });
        const background = await tab.$eval('.fui-FluentProvider', (element) => getComputedStyle(element).backgroundColor);
        assert.equal(background, THEME_BACKGROUND[theme], `${theme}: the page takes Teams’ theme`);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `my-data-requests-${theme}.png`) });

        // axe-core's own rules (WCAG 2.1 A and AA): labels, contrast, landmarks, names for every control.
        await tab.evaluate(AXE_SOURCE);
        const violations = await tab.evaluate(async () => {
          const axe = (
            window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }
          ).axe;
          const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
          return result.violations.map((violation) => `${violation.id} (${violation.nodes.length})`);
        });
        assert.deepEqual(violations, [], `${theme}: axe found ${violations.join(', ')}`);

        await page.setViewportSize({ width: 320, height: 640 });
        const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${theme}: ${overflow} px wider than 320`);
      } finally {
        await context.close();
      }
    });
  }

  it('says so, in words, to a person with no requests, who can then ask for a copy of their data there', async () => {
    const { context, tab } = await openAs(PERSON.alex, 'dark');
    try {
      await tab.waitForSelector('text=You have no data requests', { timeout: 20_000 });
      await tab.click('text=CCPA');
      await tab.click('button:has-text("Ask for a copy of my data")');
      await tab.waitForSelector('text=is filed and your export has started', { timeout: 20_000 });
      const [filed] = await running.desk.store.listBySubject(PERSON.alex.objectId);
      assert.equal(filed?.regime, 'ccpa');
      await tab.waitForSelector(`tr[data-reference="${filed.reference}"]`, { timeout: 20_000 });
    } finally {
      await context.close();
    }
  });
});

describe('the tab in local mode, in a plain browser on 127.0.0.1', function () {
  this.timeout(120_000);
  let tabWorld: TabWorld;
  let desk: PrivacyDesk;
  let meganReference: string;

  before(async () => {
    tabWorld = await startTabWorld();
    const { world } = tabWorld;
    // No MicrosoftAppId: local mode, as `npm start` runs it (storage is the suite's Azurite).
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      AZURE_STORAGE_CONNECTION_STRING: world.azurite.connectionString,
      PRIVACY_DESK_DATA_DIR: world.dataDir,
      PRIVACY_DESK_DIRECTORY_FILE: DEMO_DIRECTORY_FILE,
      LOG_LEVEL: 'silent',
      PLAYGROUND: 'false',
      DAILY_DIGEST: 'false',
    });
    assert.equal(config.mode, 'local');
    desk = await createPrivacyDesk(config, { logger: new CapturingLogger(), tabPageDir: tabWorld.built });
    const alex = userActor(PERSON.alex.objectId);
    const megan = await desk.requests.findSubject(alex, PERSON.megan.objectId);
    meganReference = (await desk.requests.file(alex, { subject: megan, regime: 'ccpa', receivedOn: desk.requests.today() })).reference;
  });
  after(async () => {
    await desk?.stop();
    await tabWorld?.stop();
  });

  it('says it is local mode, lets you pick a demo person, and shows that person’s requests', async () => {
    const context = await tabWorld.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${desk.server.url}/tab/`);
      await page.waitForSelector('text=Who are you?', { timeout: 20_000 });
      assert.match((await page.textContent('[role="note"]')) ?? '', /Local mode.*anyone at this computer can pick any demo person/s);
      await page.click('button:has-text("Megan Bowen")');
      await page.waitForSelector(`tr[data-reference="${meganReference}"]`, { timeout: 20_000 });
      assert.match((await page.textContent('tbody')) ?? '', /CCPA/);
      assert.match((await page.textContent('[role="note"]')) ?? '', /You are Megan Bowen/);
    } finally {
      await context.close();
    }
  });
});
