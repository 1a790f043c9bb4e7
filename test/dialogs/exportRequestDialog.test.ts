import assert from 'node:assert/strict';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import sinon from 'sinon';
import { EXPORT_REQUEST_DIALOG, ExportRequestDialog } from '../../dialogs/exportRequestDialog';
import { RequestState } from '../../domain/requests/lifecycle';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { domainFixture, FixedClock, PEOPLE } from '../helpers/domainFixture';
import { workingDayFixture } from '../domain/deadlines/support/workingDayService';

type Fixture = Awaited<ReturnType<typeof domainFixture>>;

/** Everything a person reads in a reply: its text and any card text. */
function readable(activity: Partial<Activity>): string {
  return [activity.text ?? '', ...(activity.attachments ?? []).map((a) => JSON.stringify(a.content))].join('\n');
}

describe('ExportRequestDialog (TestAdapter)', () => {
  let f: Fixture;
  let reachable: Set<string>;

  beforeEach(async () => {
    f = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
    reachable = new Set([PEOPLE.megan.objectId]);
  });
  afterEach(() => {
    sinon.restore();
    return f.close();
  });

  /** A TestAdapter conversation in which `who` talks to the dialog. */
  function conversation(who: string) {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    dialogs.add(new ExportRequestDialog(f.requests, async (id) => reachable.has(id)));
    /** The dialog left waiting after each turn, if any. */
    const activeAfterTurn: Array<string | undefined> = [];
    const adapter = new TestAdapter(async (context) => {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty && context.activity.type === ActivityTypes.Message) {
        const query = /^export\s*(.*)$/i.exec(context.activity.text ?? '')?.[1];
        await dc.beginDialog(EXPORT_REQUEST_DIALOG, query ? { query } : {});
      }
      activeAfterTurn.push(dc.activeDialog?.id);
      await state.saveChanges(context);
    });
    const from = { id: `29:${who}`, name: 'someone', aadObjectId: who };
    const say = (text: string) => adapter.send({ type: ActivityTypes.Message, text, from } as Partial<Activity>);
    /** Answers each prompt in turn without checking it, then sends the final "yes"/"no" at the summary. */
    const fileWith = (query: string, answers: string[], final: string) => {
      let flow = say(`export ${query}`);
      for (const answer of answers) flow = flow.assertReply(() => undefined).send({ type: 'message', text: answer, from } as Partial<Activity>);
      return flow
        .assertReply(() => undefined)
        .assertReply(() => undefined)
        .send({ type: 'message', text: final, from } as Partial<Activity>);
    };
    return { adapter, say, fileWith, activeAfterTurn };
  }

  it('walks the admin from "export" to a filed request with its reference and due date', async () => {
    const { say } = conversation(PEOPLE.alex.objectId);
    await say('export')
      .assertReply((a) => assert.match(readable(a), /Who is the data subject/))
      .send({ type: 'message', text: 'meganb@example.com', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.match(readable(a), /I found Megan Bowen · meganb@example.com · department Marketing · objectId a1b2c3d4-0002/))
      .send({ type: 'message', text: 'yes', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.match(readable(a), /GDPR \(default\)/))
      .send({ type: 'message', text: 'GDPR', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.match(readable(a), /When was the request received/))
      .send({ type: 'message', text: '2026-02-01', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.match(readable(a), /Sun 1 Feb 2026 is in the future; a request can only have been received today or earlier/))
      .send({ type: 'message', text: 'today', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => assert.match(readable(a), /ticket number/))
      .send({ type: 'message', text: 'skip', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => {
        assert.match(readable(a), /Received: Sat 31 Jan 2026/);
        assert.match(readable(a), /Due: Sat 28 Feb 2026 \(28 days left\)/);
        assert.match(readable(a), /Your reference note \(privacy admins only\): none/);
        assert.match(
          readable(a),
          /What Megan Bowen will see: the DSR reference, the law, the date received, the due date and where the request stands — never your reference note or who handles it/,
        );
      })
      .assertReply((a) => assert.match(readable(a), /File this request\?/))
      .send({ type: 'message', text: 'yes', from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } } as Partial<Activity>)
      .assertReply((a) => {
        assert.match(readable(a), /Filed DSR-2026-0001 for Megan Bowen\. Due Sat 28 Feb 2026/);
        assert.match(readable(a), /gets a card in their chat/);
      });
    const [request] = await f.store.list();
    assert.equal(request!.state, RequestState.AwaitingConfirmation);
    assert.equal(request!.receivedOn, '2026-01-31');
  });

  it('asks again when the person found is not the subject, and when nobody is found', async () => {
    const { say } = conversation(PEOPLE.alex.objectId);
    await say('export nobody@example.com')
      .assertReply((a) => assert.match(readable(a), /can't find anyone/))
      .assertReply((a) => assert.match(readable(a), /Who is the data subject/));
    assert.deepEqual(await f.store.list(), []);
  });

  it('says where the card waits when the subject has never opened a chat with the bot', async () => {
    reachable.clear();
    const { fileWith } = conversation(PEOPLE.alex.objectId);
    await fileWith('adelev@example.com', ['yes', 'CCPA', 'today', 'Letter of 30 Jan'], 'yes').assertReply((a) =>
      assert.match(readable(a), /has not opened a chat with Privacy Desk yet/),
    );
    const [request] = await f.store.list();
    assert.equal(request!.regime, 'ccpa');
    assert.equal(request!.intakeNote, 'Letter of 30 Jan');
  });

  it('ends at once for a non-admin, with the self-service hint', async () => {
    const { say, activeAfterTurn } = conversation(PEOPLE.isaiah.objectId);
    await say('export meganb@example.com').assertReply((a) => assert.match(readable(a), /Only privacy admins.*export my data/));
    // Not asked whom they mean first: they could not file for anyone.
    await say('export').assertReply((a) => assert.match(readable(a), /Only privacy admins.*export my data/));
    assert.deepEqual(activeAfterTurn, [undefined, undefined]);
    assert.deepEqual(await f.store.list(), []);
  });

  it('tells an admin at the hourly filing limit at once, with when they can file again: nothing asked, nobody looked up', async () => {
    // The fixture allows 3 filings an hour; these three fall at 09:00, 09:10 and 09:20.
    for (const upn of ['meganb@example.com', 'adelev@example.com', 'isaiahl@example.com']) {
      await f.requests.file(PEOPLE.alex, { subject: await f.subject(upn), regime: 'gdpr', receivedOn: '2026-01-31' });
      f.clock.advance(10 * 60_000);
    }
    const lookups = sinon.spy(f.directory, 'lookup');
    const { adapter, say, activeAfterTurn } = conversation(PEOPLE.alex.objectId);
    for (const typed of ['export pattif@example.com', 'export']) {
      await say(typed).assertReply((a) =>
        assert.equal(a.text, 'You have filed 3 requests in the last hour, the most Privacy Desk accepts from one person. You can file again in 30 minutes.'),
      );
      assert.equal(adapter.activeQueue.length, 0, 'one reply, no question');
      assert.equal(activeAfterTurn.at(-1), undefined, 'no dialog waits for an answer');
    }
    assert.equal(lookups.callCount, 0, 'nobody was looked up');
    assert.equal((await f.store.list()).length, 3);

    // The oldest filing leaves the hour at 10:00: then the dialog starts as usual.
    f.clock.advance(30 * 60_000 + 1);
    await say('export pattif@example.com').assertReply((a) => assert.match(readable(a), /I found Patti Fernandez/));
    assert.equal(activeAfterTurn.at(-1), EXPORT_REQUEST_DIALOG);
  });

  it('a received date beyond the bound is confirmed and explained, or typed again; the reason goes into the audit trail', async () => {
    const { say } = conversation(PEOPLE.alex.objectId);
    const from = { id: '29:a', aadObjectId: PEOPLE.alex.objectId };
    const send = (text: string) => ({ type: 'message', text, from }) as Partial<Activity>;
    const late =
      /Wed 1 Oct 2025 was 122 days ago, more than the 90 days I accept without a reason\. A request received then is due Sat 1 Nov 2025 \(overdue by 91 days\)\. Is that date right\?/;
    await say('export meganb@example.com')
      .assertReply(() => undefined)
      .send(send('yes'))
      .assertReply(() => undefined)
      .send(send('GDPR'))
      .assertReply((a) => assert.match(readable(a), /When was the request received/))
      .send(send('2025-10-01'))
      .assertReply((a) => assert.match(readable(a), late))
      .send(send('no'))
      .assertReply((a) => assert.match(readable(a), /When was the request received/))
      .send(send('2025-10-01'))
      .assertReply((a) => assert.match(readable(a), late))
      .send(send('yes'))
      .assertReply((a) => assert.match(readable(a), /Why is the request recorded only now\? Your reason goes into the audit trail/))
      .send(send('oops'))
      .assertReply((a) => assert.match(readable(a), /Please give the reason in a few words \(5 to 500 characters\)/))
      .send(send('Letter found in the post room'))
      .assertReply((a) => assert.match(readable(a), /ticket number/))
      .send(send('skip'))
      .assertReply((a) => {
        assert.match(readable(a), /Received: Wed 1 Oct 2025\n- Recorded late, because: Letter found in the post room\n/);
        assert.match(readable(a), /Due: Sat 1 Nov 2025 \(overdue by 91 days\)/);
      })
      .assertReply((a) => assert.match(readable(a), /File this request\?/))
      .send(send('yes'))
      .assertReply((a) => assert.match(readable(a), /Filed DSR-2026-0001 for Megan Bowen\. Due Sat 1 Nov 2025 \(overdue by 91 days\)/));
    const [request] = await f.store.list();
    assert.equal(request!.receivedOn, '2025-10-01');
    const filed = (await f.store.auditTrail(request!.id)).find((e) => e.type === AuditEventType.Filed)!;
    assert.equal(filed.detail.lateEntryReason, 'Letter found in the post room');
  });

  it('shows the due date the working-day rule produced, and why it moved, before filing and when filed', async () => {
    const tenant = await workingDayFixture('2026-01-31T09:00:00Z');
    const original = f;
    f = tenant;
    try {
      const { say } = conversation(PEOPLE.alex.objectId);
      const send = (text: string) => ({ type: 'message', text, from: { id: '29:a', aadObjectId: PEOPLE.alex.objectId } }) as Partial<Activity>;
      const why = '(30 days left; the period ended on Sat 28 Feb 2026, a weekend, so it ends on the next working day)';
      let flow = say('export meganb@example.com');
      for (const answer of ['yes', 'GDPR', 'today', 'skip']) flow = flow.assertReply(() => undefined).send(send(answer));
      await flow
        .assertReply((a) => assert.ok(readable(a).includes(`Due: Mon 2 Mar 2026 ${why}`), readable(a)))
        .assertReply(() => undefined)
        .send(send('yes'))
        .assertReply((a) => assert.ok(readable(a).includes(`Due Mon 2 Mar 2026 ${why}.`), readable(a)));
      assert.equal((await f.store.list())[0]!.dueOn, '2026-03-02');
    } finally {
      f = original;
      tenant.close();
    }
  });

  it('"no" at the summary files nothing', async () => {
    const { fileWith } = conversation(PEOPLE.alex.objectId);
    await fileWith('meganb@example.com', ['yes', 'GDPR', 'today', 'skip'], 'no').assertReply((a) =>
      assert.match(readable(a), /Not filed\. Nothing was changed\./),
    );
    assert.deepEqual(await f.store.list(), []);
  });
});
