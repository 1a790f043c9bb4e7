import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { ResumeCommand } from '../../../bot/commands/clockCommands';
import { amend } from '../../../domain/requests/changes';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { PEOPLE } from '../../helpers/domainFixture';
import { workingDayFixture } from '../../domain/deadlines/support/workingDayService';

/** `resume` as an admin types it, through a TestAdapter, against the real service and store. */
describe('resume: the command (TestAdapter)', () => {
  let f: Awaited<ReturnType<typeof workingDayFixture>>;
  beforeEach(async () => {
    f = await workingDayFixture('2026-09-20T09:00:00Z');
  });
  afterEach(() => f.close());

  /** What the bot answers Alex when he types `text`. */
  async function say(text: string): Promise<string> {
    const command = new ResumeCommand(f.requests);
    const adapter = new TestAdapter(async (context) => {
      const match = command.pattern.exec(text);
      assert.ok(match, `"${text}" is the resume command`);
      await command.handle({ context, actor: PEOPLE.alex, scope: 'personal', ...(match[1] ? { argument: match[1].trim() } : {}) });
    });
    await adapter.send({ type: ActivityTypes.Message, text, from: { id: `29:${PEOPLE.alex.objectId}`, name: 'Alex' } } as Partial<Activity>);
    return adapter.activeQueue.map((reply) => reply.text ?? '').join('\n');
  }

  /** A request whose clock was paused after its due date (1 Oct), as stored before the service refused that. */
  async function pausedAfterItsDueDate(): Promise<ExportRequest> {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-09-01' });
    f.clock.set('2026-10-10T09:00:00Z');
    const change = amend(request, { pause: { since: '2026-10-10', reason: 'Waiting for them', by: PEOPLE.alex.objectId } }, [], f.clock.now());
    await f.store.update(change);
    f.clock.set('2026-10-20T09:00:00Z');
    return change.request;
  }

  it('plain `resume` on such a request is refused with the words that work; nothing changes', async () => {
    const request = await pausedAfterItsDueDate();
    const answer = await say(`resume ${request.reference}`);
    assert.match(answer, new RegExp(`type "resume ${request.reference} keeping the due date"`));
    assert.ok((await f.store.get(request.id))!.pause, 'still paused');
  });

  for (const suffix of ['keeping the due date', 'Keep due date', 'keeping due date  ']) {
    it(`\`resume <reference> ${suffix.trim()}\` starts the clock with the due date unchanged`, async () => {
      const request = await pausedAfterItsDueDate();
      const answer = await say(`resume ${request.reference.toLowerCase()} ${suffix}`);
      assert.equal(answer, `The clock for ${request.reference} is running again: now due Thu 1 Oct 2026.`);
      const stored = (await f.store.get(request.id))!;
      assert.equal(stored.pause, undefined);
      assert.equal(stored.dueOn, '2026-10-01');
    });
  }

  it('words after the reference that are not "keeping the due date" are not mistaken for it', async () => {
    const request = await pausedAfterItsDueDate();
    const answer = await say(`resume ${request.reference} keeping the date due`);
    assert.equal(answer, 'Which request? Type "resume" and its reference, for example "resume DSR-2026-0001".');
    assert.ok((await f.store.get(request.id))!.pause, 'still paused');
  });
});
