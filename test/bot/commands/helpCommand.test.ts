import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { buildHelpCard } from '../../../cards';
import type { CommandHandler, CommandScope } from '../../../bot/commands/command';
import { HelpCommand } from '../../../bot/commands/helpCommand';
import type { Actor } from '../../../domain/actor';
import { domainFixture, PEOPLE } from '../../helpers/domainFixture';

/**
 * `help` expands its card once per scope and kind of reader and reuses it (bench/README.md): the
 * card each person receives must still be exactly the one built for them, every time.
 */
describe('help: the command (TestAdapter)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  beforeEach(async () => {
    f = await domainFixture();
  });
  afterEach(() => f.close());

  const command = (title: string, scopes: readonly CommandScope[]): CommandHandler =>
    ({ title, description: `does ${title}`, scopes, pattern: new RegExp(`^${title}$`), handle: async () => undefined }) as CommandHandler;

  /** The card attachment the bot sends `actor` for `help` in `scope`. */
  async function cardFor(help: HelpCommand, actor: Actor, scope: CommandScope): Promise<unknown> {
    const adapter = new TestAdapter(async (context) => help.handle({ context, actor, scope }));
    await adapter.send({ type: ActivityTypes.Message, text: 'help', from: { id: `29:${actor.objectId}`, name: 'someone' } } as Partial<Activity>);
    const [reply] = adapter.activeQueue;
    return reply?.attachments?.[0]?.content;
  }

  it('each reader gets the card for their scope and role, the same on every ask', async () => {
    const commands: CommandHandler[] = [command('status', ['personal', 'channel']), command('notify here', ['channel'])];
    const help = new HelpCommand(f.requests, () => commands);
    const expected = (scope: CommandScope, isAdmin: boolean) => {
      const entry = (c: CommandHandler) => ({ title: c.title, description: c.description });
      const here = commands.filter((c) => c.scopes.includes(scope)).map(entry);
      if (scope === 'personal') here.push({ title: 'cancel', description: 'Leave the question I am asking; nothing is filed or changed' });
      const elsewhere = commands.filter((c) => !c.scopes.includes(scope)).map(entry);
      return buildHelpCard(here, { isAdmin, inChannel: scope === 'channel', elsewhere, timeZone: f.requests.timeZone });
    };
    for (let ask = 0; ask < 2; ask++) {
      assert.deepEqual(await cardFor(help, PEOPLE.alex, 'personal'), expected('personal', true));
      assert.deepEqual(await cardFor(help, PEOPLE.megan, 'personal'), expected('personal', false));
      assert.deepEqual(await cardFor(help, PEOPLE.alex, 'channel'), expected('channel', true));
      assert.deepEqual(await cardFor(help, PEOPLE.megan, 'channel'), expected('channel', false));
    }
  });

  it('a card sent cannot be changed, so the next one is the same', async () => {
    const help = new HelpCommand(f.requests, () => [command('status', ['personal'])]);
    const first = (await cardFor(help, PEOPLE.megan, 'personal')) as { body: Array<Record<string, unknown>>; version: string };
    const pristine = structuredClone(first);
    assert.throws(() => {
      first.body.length = 0;
    }, TypeError);
    assert.throws(() => {
      first.body[0]!.text = 'changed';
    }, TypeError);
    assert.throws(() => {
      first.version = '0';
    }, TypeError);
    assert.deepEqual(await cardFor(help, PEOPLE.megan, 'personal'), pristine);
  });

  it('a command list that changes is shown as it is now', async () => {
    const commands: CommandHandler[] = [command('status', ['personal'])];
    const help = new HelpCommand(f.requests, () => commands);
    await cardFor(help, PEOPLE.megan, 'personal');
    commands.push(command('requests', ['personal']));
    assert.match(JSON.stringify(await cardFor(help, PEOPLE.megan, 'personal')), /does requests/);
  });
});
