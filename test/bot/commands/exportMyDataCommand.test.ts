import assert from 'node:assert/strict';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { ExportMyDataCommand } from '../../../bot/commands/exportMyDataCommand';
import { PROMPT_ANSWER_KEY } from '../../../cards';
import { SelfServiceLawDialog } from '../../../dialogs/selfServiceLawDialog';
import { userActor, type Actor } from '../../../domain/actor';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { RequestService } from '../../../domain/requests/requestService';
import { parseRegimeByLocation } from '../../../domain/requests/regimeDefaults';
import { domainFixture, PEOPLE } from '../../helpers/domainFixture';

/** Lynne Robbins: the demo directory places her in California. */
const LYNNE = userActor('a1b2c3d4-0006-4000-8000-00000000a006');
const CALIFORNIA_CCPA = parseRegimeByLocation('US-CA:ccpa');

/** Everything a person reads in a reply: its text, and any card's text and button titles. */
function readable(activity: Partial<Activity>): string {
  return [activity.text ?? '', ...(activity.attachments ?? []).map((a) => JSON.stringify(a.content))].join('\n');
}

/** The titles of a prompt card's buttons, in order. */
function buttons(activity: Partial<Activity>): string[] {
  const card = activity.attachments?.[0]?.content as { actions?: Array<{ title: string }> } | undefined;
  return (card?.actions ?? []).map((a) => a.title);
}

describe('export my data: the person chooses the law (TestAdapter)', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let requests: RequestService;

  beforeEach(async () => {
    f = await domainFixture();
    if (!CALIFORNIA_CCPA.ok) throw new Error('the test map does not parse');
    requests = new RequestService({
      store: f.store,
      directory: f.directory,
      admins: { isAdmin: async () => false },
      clock: f.clock,
      timeZone: 'Europe/Berlin',
      filingsPerHour: 3,
      recentWindowDays: 90,
      regimeDefaults: { tenantDefault: 'gdpr', byLocation: CALIFORNIA_CCPA.byLocation },
    });
  });
  afterEach(() => f.close());

  /**
   * The bot's handling as it wires this command: a waiting dialog takes the message unless the message
   * is this command (which starts over or files); otherwise the command when its pattern matches.
   */
  function conversation(who: Actor) {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    dialogs.add(new SelfServiceLawDialog(requests));
    const command = new ExportMyDataCommand(requests, dialogs);
    const adapter = new TestAdapter(async (context) => {
      const dc = await dialogs.createContext(context);
      const text = (context.activity.text ?? '').replace(/\s+/g, ' ').trim();
      const match = command.pattern.exec(text);
      if (match) await command.handle({ context, actor: who, scope: 'personal', ...(match[1] ? { argument: match[1].trim() } : {}) });
      else if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await context.sendActivity("I didn't understand that.");
      await state.saveChanges(context);
    });
    adapter.onTurnError = async (_context, error) => {
      throw error;
    };
    const from = { id: `29:${who.objectId}`, name: 'someone', aadObjectId: who.objectId };
    /** Sends a message (or a button's value) and returns what the bot said. */
    const say = async (message: string | { button: string }): Promise<Partial<Activity>[]> => {
      const activity = typeof message === 'string' ? { text: message } : { value: { [PROMPT_ANSWER_KEY]: message.button } };
      await adapter.send({ type: ActivityTypes.Message, from, ...activity } as Partial<Activity>);
      const replies: Partial<Activity>[] = [];
      for (let reply = adapter.activeQueue.shift(); reply; reply = adapter.activeQueue.shift()) replies.push(reply);
      return replies;
    };
    return { say };
  }

  const filedFor = async (who: Actor): Promise<ExportRequest[]> => f.store.listBySubject(who.objectId);

  it('asks which law with buttons, the tenant default first and marked; nothing is filed until they answer', async () => {
    const { say } = conversation(PEOPLE.isaiah);
    const [question] = await say('export my data');
    assert.deepEqual(buttons(question!), ['GDPR (default)', 'CCPA']);
    assert.match(readable(question!), /Under which law do you ask for a copy of your data\? GDPR is the default for you here/);
    assert.deepEqual(await filedFor(PEOPLE.isaiah), []);
    const [filed] = await say({ button: 'CCPA' });
    assert.match(readable(filed!), /Your request DSR-2026-\d{4} is filed under CCPA \(right to know\) and your export has started/);
    const [request] = await filedFor(PEOPLE.isaiah);
    assert.equal(request!.regime, 'ccpa');
    assert.equal(request!.dueOn, '2026-03-17', '45 days, the CCPA’s period');
  });

  it('someone the directory places in California gets CCPA first; a typed answer is accepted', async () => {
    const { say } = conversation(LYNNE);
    const [question] = await say('export my data');
    assert.deepEqual(buttons(question!), ['CCPA (default)', 'GDPR']);
    await say('gdpr');
    assert.equal((await filedFor(LYNNE))[0]!.regime, 'gdpr');
  });

  it('an answer that is no law is asked again, and nothing is filed', async () => {
    const { say } = conversation(PEOPLE.isaiah);
    await say('export my data');
    const [again] = await say('whatever applies');
    assert.match(readable(again!), /Please choose \\"GDPR\\" or \\"CCPA\\", or type \\"cancel\\"/);
    assert.deepEqual(await filedFor(PEOPLE.isaiah), []);
  });

  it('"export my data ccpa" files at once, without asking; so does it while the question waits, which it answers', async () => {
    const { say } = conversation(PEOPLE.isaiah);
    const [filed] = await say('export my data ccpa');
    assert.match(readable(filed!), /is filed under CCPA/);
    assert.equal((await filedFor(PEOPLE.isaiah))[0]!.regime, 'ccpa');

    const lynne = conversation(LYNNE);
    await lynne.say('export my data');
    const [direct] = await lynne.say('export my data GDPR');
    assert.match(readable(direct!), /is filed under GDPR/);
    // The question was answered by the command: a late button click is no answer to anything.
    assert.deepEqual(
      (await lynne.say('CCPA')).map((a) => a.text),
      ["I didn't understand that."],
    );
    assert.deepEqual(
      (await filedFor(LYNNE)).map((r) => r.regime),
      ['gdpr'],
    );
  });

  it('a law Privacy Desk does not know: refused in one sentence, nothing filed', async () => {
    const { say } = conversation(PEOPLE.isaiah);
    const [refused] = await say('export my data pipeda');
    assert.equal(
      refused!.text,
      'Privacy Desk handles requests under GDPR or CCPA ("export my data gdpr" or "export my data ccpa"), and "pipeda" is neither, so nothing was filed.',
    );
    assert.deepEqual(await filedFor(PEOPLE.isaiah), []);
  });

  it('someone who cannot file now is told before the question, which is never asked', async () => {
    const { say } = conversation(PEOPLE.isaiah);
    await say('export my data gdpr');
    const replies = await say('export my data');
    assert.equal(replies.length, 1);
    assert.match(readable(replies[0]!), /already has an open request/);
    assert.deepEqual(buttons(replies[0]!), []);
    const guest = conversation(PEOPLE.joni);
    assert.match(readable((await guest.say('export my data'))[0]!), /is a guest in this tenant/);
  });
});
