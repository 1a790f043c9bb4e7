import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userActor } from '../../domain/actor';
import { MAX_ECHO_LENGTH } from '../../domain/refusal';
import { cardOf, sentTo } from '../helpers/cardQueries';
import { DEMO_DIRECTORY_FILE } from '../helpers/domainFixture';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import type { CapturedActivity } from '../support/botConnector';

/** A directory entry someone could really create: Markdown, a mention and a right-to-left override in a display name. */
const MALLORY = {
  objectId: 'a1b2c3d4-0099-4000-8000-00000000a099',
  displayName: '[click](https://evil.example) <at>Everyone</at> \u202Egnp.exe',
  userPrincipalName: 'mallory@example.com',
  mail: 'mallory@example.com',
  department: '**Urgent** [HR](https://evil.example/hr)',
  accountEnabled: true,
  userType: 'Member',
};
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

function textBlocksOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textBlocksOf);
  if (typeof node !== 'object' || node === null) return [];
  const element = node as Record<string, unknown>;
  const own = element.type === 'TextBlock' && typeof element.text === 'string' ? [element.text] : [];
  return [...own, ...Object.values(element).flatMap(textBlocksOf)];
}

/**
 * "User text is inert everywhere, not only in cards": every dialog reply that quotes a display name,
 * a department or what someone typed goes out as plain text or inside TextRuns, never as Markdown,
 * without bidirectional overrides, and long echoes are cut with "…".
 */
describe('text someone else typed stays inert in dialog replies', function () {
  this.timeout(60_000);
  let world: World;
  let running: RunningDesk;

  before(async () => {
    world = await startWorld();
    const directory = JSON.parse(readFileSync(DEMO_DIRECTORY_FILE, 'utf8')) as { users: unknown[] };
    directory.users.push(MALLORY);
    const file = join(world.dataDir, 'directory-with-mallory.json');
    writeFileSync(file, JSON.stringify(directory));
    running = await startDesk(world, { env: { PRIVACY_DESK_DIRECTORY_FILE: file } });
  });
  after(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  async function say(text: string): Promise<CapturedActivity[]> {
    const before = world.connector.sent().length;
    assert.equal((await running.teams.say(PERSON.alex, text)).status, 200);
    return world.connector
      .sent()
      .slice(before)
      .filter(sentTo(running.teams.personalConversationId(PERSON.alex)));
  }

  /** Every reply is plain text, or a card whose every piece of text is a TextRun; none keeps a bidi override. */
  function assertInert(replies: CapturedActivity[]) {
    for (const { activity } of replies) {
      const json = JSON.stringify(activity);
      assert.ok(!BIDI.test(json), `a bidi override in ${json}`);
      if (activity.text) assert.equal(activity.textFormat, 'plain', `plain text: ${activity.text}`);
      for (const attachment of (activity.attachments ?? []) as Array<{ content: unknown }>) {
        // TextBlocks render Markdown in Teams; user text belongs in TextRuns.
        const markdown = textBlocksOf(attachment.content).filter((text) => text.includes('evil.example') || text.includes('<at>'));
        assert.deepEqual(markdown, [], 'user text in a TextBlock');
      }
    }
  }

  it('the subject question, the summary and the filed reply', async () => {
    await say('cancel');
    const found = await say('export mallory@example.com');
    assertInert(found);
    const question = JSON.stringify(cardOf(found.at(-1)!));
    assert.ok(question.includes('[click](https://evil.example) <at>Everyone</at> gnp.exe'), 'the name is shown as typed, minus the override');
    const answers: CapturedActivity[] = [];
    for (const answer of ['yes', 'GDPR', 'today', '[my ticket](https://evil.example/t) <at>Everyone</at>', 'yes']) answers.push(...(await say(answer)));
    assertInert(answers);
    assert.ok(answers.some((a) => /Filed DSR-/.test(String(a.activity.text))));
  });

  it('the extend dialog quotes the name in plain text', async () => {
    const { requests } = running.desk;
    const alex = userActor(PERSON.alex.objectId);
    const existing = (await running.desk.store.list({ involving: MALLORY.objectId, limit: 1 }))[0];
    const request =
      existing ??
      (await requests.file(alex, { subject: await requests.findSubject(alex, MALLORY.userPrincipalName), regime: 'gdpr', receivedOn: requests.today() }));
    await say('cancel');
    const replies = [
      ...(await say(`extend ${request.reference}`)),
      ...(await say('1 month')),
      ...(await say('[Because](https://evil.example) <at>Everyone</at>')),
    ];
    assertInert(replies);
    assert.ok(replies.some((r) => /Why is more time needed\? \[click\]\(https:\/\/evil\.example\)/.test(String(r.activity.text))));
    await say('cancel');
  });

  it('a long search is echoed cut with "…"', async () => {
    await say('cancel');
    const typed = `someone-${'x'.repeat(300)}@example.com`;
    const [refusal] = await say(`export ${typed}`);
    const quoted = /matching "([^"]*)"/.exec(String(refusal!.activity.text))![1]!;
    assert.equal(quoted.length, MAX_ECHO_LENGTH);
    assert.ok(quoted.endsWith('…'));
    await say('cancel');
  });

  it('the request list carries no override either', async () => {
    const { requests } = running.desk;
    const alex = userActor(PERSON.alex.objectId);
    if ((await running.desk.store.list({ involving: MALLORY.objectId, limit: 1 })).length === 0) {
      await requests.file(alex, { subject: await requests.findSubject(alex, MALLORY.userPrincipalName), regime: 'gdpr', receivedOn: requests.today() });
    }
    const [listed] = await say('requests');
    assertInert([listed!]);
  });
});
