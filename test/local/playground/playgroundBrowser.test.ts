// End to end in a real browser: a minimal echo bot (CloudAdapter, anonymous, restify on 127.0.0.1),
// one Agents Playground per person (Alex the privacy admin, Megan the data subject), headless
// Chromium driving both pages. Proves: the page talks to the bot, the Playground is loopback-only,
// and the bot reaches Megan's OWN page proactively through the reference her page registered.
//
// Needs /usr/bin/chromium (apt-get install -y chromium). The browser may only talk to 127.0.0.1:
// every other request (the page asks a Microsoft CDN for fonts and an animation worklet) is aborted
// before it leaves the browser.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../../support/chromium';
import { startPlayground, type RunningPlayground } from '../../../local/playground/startPlayground';
import { startEchoBot, type EchoBot } from './echoBot';
import { listeningAddresses, ownNonLoopbackAddresses, tryConnect } from './helpers';

/** Message bubbles render as <p>; the chat list also previews the last message, so match <p> only. */
function bubble(page: Page, text: string) {
  return page.locator('p', { hasText: text });
}

async function openPlayground(context: BrowserContext, playground: RunningPlayground): Promise<{ page: Page; ms: number }> {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(playground.url);
  await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
  return { page, ms: Date.now() - t0 };
}

async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
  const box = page.locator('[contenteditable="true"][role="textbox"]');
  await box.click();
  await box.pressSequentially(text);
  await page.keyboard.press('Enter');
}

function activitiesFrom(bot: EchoBot, aadObjectId: string, type?: string): Activity[] {
  return bot.received.filter((a) => a.from?.aadObjectId === aadObjectId && (!type || a.type === type));
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Agents Playground in headless Chromium: Alex (admin) and Megan (data subject)', function () {
  this.timeout(180_000);
  let workDir: string;
  let profileDir: string;
  let bot: EchoBot;
  let alex: RunningPlayground;
  let megan: RunningPlayground | undefined;
  let context: BrowserContext;
  let alexPage: Page;
  let meganPage: Page | undefined;
  const blocked = new Set<string>();

  before(async function () {
    requireChromium();
    workDir = mkdtempSync(join(tmpdir(), 'pg-browser-'));
    profileDir = mkdtempSync(join(tmpdir(), 'pg-chromium-'));
    bot = await startEchoBot();
    const t0 = Date.now();
    alex = await startPlayground({ botEndpoint: bot.endpoint, user: 'alexw', workDir });
    console.log(`      [timing] Alex's Playground ready in ${Date.now() - t0} ms at ${alex.url}`);
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      blocked.add(url.hostname);
      return route.abort('blockedbyclient');
    });
  });

  after(async () => {
    if (blocked.size > 0) console.log(`      [network] requests kept from leaving the browser: ${[...blocked].join(', ')}`);
    await context?.close();
    await megan?.stop();
    await alex?.stop();
    await bot?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it("Alex's page registers his 1:1 chat with the bot and shows the bot's echo", async () => {
    const opened = await openPlayground(context, alex);
    alexPage = opened.page;
    console.log(`      [timing] Alex's page loaded in ${opened.ms} ms`);
    await until(() => activitiesFrom(bot, alex.userObjectId, 'conversationUpdate').length > 0, "Alex's conversationUpdate");
    const [install] = activitiesFrom(bot, alex.userObjectId, 'installationUpdate');
    const [update] = activitiesFrom(bot, alex.userObjectId, 'conversationUpdate');
    for (const a of [install, update]) {
      assert.ok(a, 'installationUpdate and conversationUpdate arrive when the page loads');
      assert.equal(a.conversation.id, alex.personalConversationId);
      assert.equal(a.conversation.conversationType, 'personal');
      assert.equal(a.serviceUrl, alex.serviceUrl);
      assert.equal(a.from.id, `29:${alex.userObjectId}`);
      assert.equal(a.channelId, 'msteams');
    }
    console.log(`      [alex] conversation ${update!.conversation.id} serviceUrl ${update!.serviceUrl}`);

    const t0 = Date.now();
    await sendMessage(alexPage, 'hello from Alex');
    await bubble(alexPage, 'Echo: hello from Alex').waitFor();
    console.log(`      [timing] echo visible ${Date.now() - t0} ms after typing`);
    const [message] = activitiesFrom(bot, alex.userObjectId, 'message');
    assert.equal(message?.text, 'hello from Alex');
    assert.equal(message?.from.name, 'Alex Wilber');
    assert.equal(message?.conversation.id, alex.personalConversationId);
    await alexPage.screenshot({ path: '/tmp/playground-alex.png' });
  });

  it("Alex's Playground listens on 127.0.0.1 only", async () => {
    assert.deepEqual(listeningAddresses(alex.pid), [`127.0.0.1:${alex.port}`]);
    assert.equal(await tryConnect('127.0.0.1', alex.port), 'connected', 'control: loopback works');
    const others = ownNonLoopbackAddresses();
    for (const address of [...others, '::1']) {
      assert.equal(await tryConnect(address, alex.port), 'ECONNREFUSED', `${address}:${alex.port} must refuse`);
    }
    console.log(`      [loopback] ${listeningAddresses(alex.pid).join(', ')}; refused on ${[...others, '::1'].join(', ')}`);
  });

  it("the bot messages Megan proactively on HER page (second Playground), not on Alex's", async () => {
    const t0 = Date.now();
    megan = await startPlayground({ botEndpoint: bot.endpoint, user: 'meganb', workDir });
    console.log(`      [timing] Megan's Playground ready in ${Date.now() - t0} ms at ${megan.url}`);
    assert.notEqual(megan.port, alex.port);
    assert.equal(bot.references.has(megan.userObjectId), false, 'no reference before her page has loaded');

    const opened = await openPlayground(context, megan);
    meganPage = opened.page;
    const reference = await bot.waitForReference(megan.userObjectId);
    assert.equal(reference.conversation?.id, megan.personalConversationId);
    assert.equal(reference.serviceUrl, megan.serviceUrl);
    assert.equal(reference.user?.aadObjectId, megan.userObjectId);
    console.log(`      [megan] conversation ${reference.conversation?.id} serviceUrl ${reference.serviceUrl}`);

    const text = 'Privacy Desk: Alex Wilber asked for an export of your data.';
    const id = await bot.sendProactive(megan.userObjectId, text);
    assert.ok(id, 'the Playground acknowledged the activity');
    await bubble(meganPage, text).waitFor({ timeout: 10_000 });
    await alexPage.waitForTimeout(1000);
    assert.equal(await alexPage.getByText(text).count(), 0, "nothing on Alex's page");
    assert.equal(await bubble(alexPage, 'Echo: hello from Alex').count(), 1, "Alex's page is alive and unchanged");
  });

  it('Megan answers an Adaptive Card on her page; the Action.Execute invoke carries her identity', async () => {
    assert.ok(megan && meganPage);
    const card = {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [{ type: 'TextBlock', wrap: true, text: 'Approve the export of your data (request PD-0001)?' }],
      actions: [
        { type: 'Action.Execute', title: 'Approve', verb: 'approve', data: { requestId: 'PD-0001' } },
        { type: 'Action.Execute', title: 'Decline', verb: 'decline', data: { requestId: 'PD-0001' } },
      ],
    };
    await bot.sendProactiveCard(megan.userObjectId, card);
    await meganPage.getByText('Approve the export of your data (request PD-0001)?').waitFor();
    await meganPage.getByRole('button', { name: 'Approve' }).waitFor();
    await meganPage.screenshot({ path: '/tmp/playground-megan-card.png' });
    await meganPage.getByRole('button', { name: 'Approve' }).click();
    await meganPage.getByText('Done: approve by Megan Bowen').waitFor();
    assert.equal(bot.cardActions.length, 1);
    const [action] = bot.cardActions;
    assert.equal(action!.verb, 'approve');
    assert.deepEqual(action!.data, { requestId: 'PD-0001' });
    assert.equal(action!.from.aadObjectId, megan.userObjectId);
    assert.equal(action!.from.id, `29:${megan.userObjectId}`);
    assert.equal(await alexPage.getByText('PD-0001').count(), 0);
    await meganPage.screenshot({ path: '/tmp/playground-megan.png' });
    await alexPage.screenshot({ path: '/tmp/playground-alex-after.png' });
  });

  it("characterization: Megan's conversation is unknown to Alex's Playground; createConversation there is a dead end", async () => {
    assert.ok(megan);
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrong = await post(`${alex.serviceUrl}/v3/conversations/${encodeURIComponent(megan.personalConversationId)}/activities`, {
      type: 'message',
      text: 'misrouted',
      from: { id: '28:privacy-desk-local' },
    });
    assert.equal(wrong.status, 404, 'a reference with the wrong serviceUrl cannot land on the wrong page');
    assert.match(await wrong.text(), /ConversationNotFound/);
    const created = await post(`${alex.serviceUrl}/v3/conversations`, {
      isGroup: false,
      bot: { id: '28:privacy-desk-local' },
      members: [{ id: `29:${megan.userObjectId}` }],
      tenantId: '6e1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    assert.notEqual(id, megan.personalConversationId, "Alex's instance invents a chat that no page shows");
    // In her own instance, createConversation with her id returns her configured 1:1 chat.
    const own = await post(`${megan.serviceUrl}/v3/conversations`, {
      isGroup: false,
      bot: { id: '28:privacy-desk-local' },
      members: [{ id: `29:${megan.userObjectId}` }],
      tenantId: '6e1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    });
    assert.equal(own.status, 201);
    assert.equal(((await own.json()) as { id: string }).id, megan.personalConversationId);
  });

  // Whether a message sent while no page is open shows up later varies with timing in the Playground
  // (docs/local-mode.md says to open the subject's page first); what the product relies on is below.
  it('reopening a page re-registers the same 1:1 conversation and serviceUrl', async () => {
    assert.ok(megan && meganPage);
    await meganPage.close();
    meganPage = undefined;
    const before = activitiesFrom(bot, megan.userObjectId, 'conversationUpdate').length;
    const reopened = await openPlayground(context, megan);
    meganPage = reopened.page;
    await until(() => activitiesFrom(bot, megan!.userObjectId, 'conversationUpdate').length > before, 'conversationUpdate on reload');
    const again = activitiesFrom(bot, megan.userObjectId, 'installationUpdate').at(-1)!;
    assert.equal(again.conversation.id, megan.personalConversationId, 'same conversation id after reload');
    assert.equal(again.serviceUrl, megan.serviceUrl);
  });
});
