import assert from 'node:assert/strict';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { EXTEND_DEADLINE_DIALOG, ExtendDeadlineDialog } from '../../dialogs/extendDeadlineDialog';
import { PEOPLE } from '../helpers/domainFixture';
import { workingDayFixture } from '../domain/deadlines/support/workingDayService';

function readable(activity: Partial<Activity>): string {
  return [activity.text ?? '', ...(activity.attachments ?? []).map((a) => JSON.stringify(a.content))].join('\n');
}

describe('ExtendDeadlineDialog (TestAdapter)', () => {
  let f: Awaited<ReturnType<typeof workingDayFixture>>;
  beforeEach(async () => {
    f = await workingDayFixture('2026-11-10T09:00:00Z');
  });
  afterEach(() => f.close());

  function conversation() {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    dialogs.add(new ExtendDeadlineDialog(f.requests));
    const adapter = new TestAdapter(async (context) => {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      const reference = /^extend\s+(\S+)$/i.exec(context.activity.text ?? '')?.[1];
      if (result.status === DialogTurnStatus.empty && reference) await dc.beginDialog(EXTEND_DEADLINE_DIALOG, { reference });
      await state.saveChanges(context);
    });
    const from = { id: '29:alex', aadObjectId: PEOPLE.alex.objectId };
    return (text: string) => adapter.send({ type: ActivityTypes.Message, text, from } as Partial<Activity>);
  }

  it('shows the new date the working-day rule produces, and why, before and after extending', async () => {
    // Received 3 Nov: one more month ends Sun 3 Jan 2027, so the new due date is Monday 4 January.
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-11-03' });
    const why = '(the period ended on Sun 3 Jan 2027, a weekend, so it ends on the next working day)';
    const say = conversation();
    await say(`extend ${request.reference}`)
      .assertReply((a) => assert.match(readable(a), /is due Thu 3 Dec 2026\. By how much/))
      .send({ type: 'message', text: '1 month', from: { id: '29:alex', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.match(readable(a), /Why is more time needed/))
      .send({ type: 'message', text: 'Large volume of records', from: { id: '29:alex', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.ok(readable(a).includes(`by 1 month: due Mon 4 Jan 2027 ${why} instead of Thu 3 Dec 2026.`), readable(a)))
      .assertReply((a) => assert.match(readable(a), /Extend the deadline\?/))
      .send({ type: 'message', text: 'yes', from: { id: '29:alex', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.ok(readable(a).includes(`is now due Mon 4 Jan 2027 ${why}.`), readable(a)));
    assert.equal((await f.store.get(request.id))!.dueOn, '2027-01-04');
  });

  it('an overdue request is refused at once with the reason, and nothing is asked', async () => {
    const request = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-11-03' });
    f.clock.set('2026-12-04T09:00:00Z');
    await conversation()(`extend ${request.reference}`).assertReply((a) =>
      assert.equal(
        a.text,
        `${request.reference} cannot be extended: its due date, Thu 3 Dec 2026, has passed, and a deadline cannot be extended once it has run out; answer the request as soon as you can, the delay stays on record. Nothing was changed.`,
      ),
    );
  });
});
