import assert from 'node:assert/strict';
import { userActor } from '../../domain/actor';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { actionsOf, cardOf, sentTo, textOfActivity } from '../helpers/cardQueries';
import { PERSON, useDesk } from '../helpers/harness';
import type { TeamsPerson } from '../helpers/teamsClient';

/**
 * What these tests read of a question's button. A type alias rather than an interface, so the cast
 * from cardQueries' loosely typed actions stays valid whatever object type those come as.
 */
type QuestionButton = { type: string; title: string; data: unknown };

/**
 * "A prompt accepts only an answer to its question", through the real channel layer (HTTP, JWT on):
 * every prompt of every dialog is sent a command, a sentence holding a number, an empty message,
 * 5,000 characters and "cancel". Nothing is ever filed or extended on a misread.
 */
describe('dialog prompts accept only an answer to their question', function () {
  this.timeout(120_000);
  const suite = useDesk();
  let toExtend: ExportRequest;

  before(async () => {
    const { requests } = suite.running.desk;
    const alex = userActor(PERSON.alex.objectId);
    const adele = await requests.findSubject(alex, 'adelev@example.com');
    toExtend = await requests.file(alex, { subject: adele, regime: 'gdpr', receivedOn: requests.today() });
  });

  /** Says `text` as Alex in his 1:1 chat; returns what the bot sent back, as a person reads it. */
  async function say(text: string, fields: Record<string, unknown> = {}): Promise<string[]> {
    const { teams } = suite.running;
    const before = suite.world.connector.sent().length;
    const answer = await teams.post(teams.activity(PERSON.alex, { type: 'message', text, ...fields }));
    assert.equal(answer.status, 200);
    return suite.world.connector
      .sent()
      .slice(before)
      .filter(sentTo(teams.personalConversationId(PERSON.alex as TeamsPerson)))
      .map(textOfActivity);
  }

  async function startFresh(steps: readonly string[]): Promise<string> {
    await say('cancel');
    let last: string[] = [];
    for (const step of steps) last = await say(step);
    return last.join('\n');
  }

  interface PromptCase {
    readonly name: string;
    readonly steps: readonly string[];
    /** The question (or its retry) as the person reads it. */
    readonly asks: RegExp;
    /** Free-text questions take any sentence as their answer; what they ask next. */
    readonly sentenceIsAnAnswer?: RegExp;
    /** What the subject question answers a sentence it cannot find (it asks again, from the top). */
    readonly sentenceAnswer?: RegExp;
  }

  const adeleRef = () => toExtend.reference;
  const EXPORT_PROMPTS: PromptCase[] = [
    {
      name: 'who is the subject',
      steps: ['export'],
      asks: /Who is the data subject|give the data subject’s UPN/,
      sentenceAnswer: /can't find anyone in the directory matching "I have 1 question"/,
    },
    { name: 'is this the subject', steps: ['export meganb@example.com'], asks: /Is this the data subject\?/i },
    {
      name: 'how was identity verified',
      steps: ['export gradya@example.com', 'yes'],
      asks: /verif(y|ied) (their|Grady Archie's) identity/,
      sentenceIsAnAnswer: /Under which law/,
    },
    { name: 'which law', steps: ['export meganb@example.com', 'yes'], asks: /Under which law|choose GDPR or CCPA/ },
    { name: 'when received', steps: ['export meganb@example.com', 'yes', 'GDPR'], asks: /When was the request received|type the date as YYYY-MM-DD/ },
    {
      name: 'intake note',
      steps: ['export meganb@example.com', 'yes', 'GDPR', 'today'],
      asks: /Any reference to keep|keep it under/,
      sentenceIsAnAnswer: /File this request\?/,
    },
    { name: 'file it', steps: ['export meganb@example.com', 'yes', 'GDPR', 'today', 'skip'], asks: /File this request\?/i },
  ];
  const EXTEND_PROMPTS = (): PromptCase[] => [
    { name: 'by how much', steps: [`extend ${adeleRef()}`], asks: /By how much should the deadline be extended|Please choose "1 month" or "2 months"/ },
    { name: 'why', steps: [`extend ${adeleRef()}`, '1 month'], asks: /Why is more time needed|give the reason/, sentenceIsAnAnswer: /Extend the deadline\?/ },
    { name: 'extend it', steps: [`extend ${adeleRef()}`, '1 month', 'The HR archive is being restored'], asks: /Extend the deadline\?/i },
  ];

  async function nothingChanged() {
    const open = await suite.running.desk.store.list({ limit: 50 });
    assert.deepEqual(
      open.map((r) => r.reference),
      [toExtend.reference],
      'nothing was filed',
    );
    const adele = (await suite.running.desk.store.get(toExtend.id))!;
    assert.equal(adele.dueOn, toExtend.dueOn, 'nothing was extended');
  }

  for (const which of ['export', 'extend'] as const) {
    describe(`the ${which} dialog`, () => {
      const prompts = () => (which === 'export' ? EXPORT_PROMPTS : EXTEND_PROMPTS());
      const count = which === 'export' ? EXPORT_PROMPTS.length : 3;
      for (let i = 0; i < count; i += 1) {
        it(`prompt ${i + 1}: a command, a number in a sentence, an empty message, 5,000 characters and cancel`, async () => {
          const prompt = prompts()[i]!;
          assert.match(await startFresh(prompt.steps), prompt.asks, `${prompt.name}: reached`);

          // A command that only shows something runs, and the question comes again.
          const status = (await say('status DSR-2099-0001')).join('\n');
          assert.match(status, /I can't find a request DSR-2099-0001/);
          assert.match(status, prompt.asks, `${prompt.name}: asked again after status`);
          // A command that would change something is not run now, and is not the answer either.
          const other = (await say('export my data')).join('\n');
          assert.match(
            other,
            new RegExp(
              `You are in the middle of ${which === 'export' ? 'filing a request' : 'extending a deadline'}: answer the question below, or type "cancel" first`,
            ),
          );
          assert.match(other, prompt.asks, `${prompt.name}: asked again after a command`);
          await nothingChanged();

          const empty = (await say('')).join('\n');
          assert.match(empty, prompt.asks, `${prompt.name}: an empty message is asked again`);

          const long = (await say('x'.repeat(5_000))).join('\n');
          assert.match(long, /That message is 5,000 characters long/);
          assert.match(long, prompt.asks, `${prompt.name}: asked again after 5,000 characters`);

          const sentence = (await say('I have 1 question')).join('\n');
          if (prompt.sentenceIsAnAnswer) assert.match(sentence, prompt.sentenceIsAnAnswer, `${prompt.name}: free text is the answer`);
          else if (prompt.sentenceAnswer) assert.match(sentence, prompt.sentenceAnswer);
          else if (prompt.name === 'when received') assert.match(sentence, /That is not a date in the form YYYY-MM-DD\. Please type the date/);
          else assert.match(sentence, prompt.asks, `${prompt.name}: a number in a sentence is not a choice`);
          await nothingChanged();

          assert.match((await say('cancel')).join('\n'), /Cancelled\. Nothing was filed\./);
          assert.match((await say('yes')).join('\n'), /I didn't understand that/, 'the dialog is gone');
          await nothingChanged();
        });
      }
    });
  }

  it('the question that used to file a request on "status DSR-…" does not', async () => {
    assert.match(await startFresh(['export meganb@example.com', 'yes', 'GDPR', 'today', 'skip']), /File this request\?/);
    await say('status DSR-2026-0001');
    await say('1');
    await say('I have 1 question');
    await nothingChanged();
    await say('cancel');
  });

  it('after a refusal inside the dialog, "export X" starts over with X', async () => {
    assert.match(await startFresh(['export nobody@example.com']), /can't find anyone in the directory matching "nobody@example.com"/);
    const again = (await say('export meganb@example.com')).join('\n');
    assert.match(again, /Starting over\./);
    assert.match(again, /I found Megan Bowen/);
    await say('cancel');
  });

  it('bad dates say what was wrong: not a real date, in the future, before the law applied', async () => {
    await startFresh(['export meganb@example.com', 'yes', 'CCPA']);
    assert.match((await say('2026-02-30')).join('\n'), /2026-02-30 is not a real date\./);
    assert.match((await say('2099-01-01')).join('\n'), /Thu 1 Jan 2099 is in the future; a request can only have been received today or earlier\./);
    assert.match((await say('2019-12-31')).join('\n'), /Tue 31 Dec 2019 is before Wed 1 Jan 2020, the first day the CCPA’s right to know applies\./);
    // The first day is accepted, but it lies years back: confirmed, with the reason it is recorded only now.
    assert.match((await say('2020-01-01')).join('\n'), /Wed 1 Jan 2020 was \d+ days ago, more than the 90 days I accept without a reason/);
    assert.match((await say('yes')).join('\n'), /Why is the request recorded only now\?/);
    assert.match((await say('Found in an old shared mailbox')).join('\n'), /Any reference to keep/);
    await say('cancel');
  });

  it('the questions’ buttons are Action.Submit: a click arrives as a message carrying the answer in its value', async () => {
    await startFresh([]);
    const asked = await say('export meganb@example.com');
    const question = suite.world.connector.sent().at(-1)!;
    const buttons = actionsOf(cardOf(question)) as QuestionButton[];
    assert.deepEqual(
      buttons.map((b) => [b.type, b.title]),
      [
        ['Action.Submit', 'Yes'],
        ['Action.Submit', 'No'],
      ],
      asked.join('\n'),
    );
    const { teams } = suite.running;
    const click = async (data: unknown) => {
      const before = suite.world.connector.sent().length;
      await teams.post(teams.activity(PERSON.alex, { type: 'message', value: data }));
      return suite.world.connector.sent().slice(before).map(textOfActivity).join('\n');
    };
    assert.match(await click(buttons[0].data), /Under which law/);
    const regimeButtons = actionsOf(cardOf(suite.world.connector.sent().at(-1)!)) as QuestionButton[];
    assert.deepEqual(
      regimeButtons.map((b) => b.title),
      ['GDPR (default)', 'CCPA'],
    );
    assert.match(await click(regimeButtons[1].data), /When was the request received/);
    await say('cancel');
    // A button of a question no longer asked changes nothing and says so.
    assert.match(await click(buttons[0].data), /That question is no longer open, so nothing was changed/);
    await nothingChanged();
  });

  it('a display name is never Markdown in a question: the subject question is a card of TextRuns', async () => {
    await startFresh([]);
    await say('export meganb@example.com');
    const card = cardOf(suite.world.connector.sent().at(-1)!) as { body: unknown };
    const blocks = JSON.stringify(card.body);
    assert.ok(!blocks.includes('"TextBlock"'), 'no TextBlock: TextBlocks render Markdown');
    await say('cancel');
  });
});
