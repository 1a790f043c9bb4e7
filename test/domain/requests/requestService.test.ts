import assert from 'node:assert/strict';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { RequestState } from '../../../domain/requests/lifecycle';
import { Decision } from '../../../domain/requests/requestService';
import { NotificationKind } from '../../../domain/delivery/notification';
import { Refusal, RefusalCode } from '../../../domain/refusal';
import { domainFixture, PEOPLE } from '../../helpers/domainFixture';

type Fixture = Awaited<ReturnType<typeof domainFixture>>;

async function refusedWith(promise: Promise<unknown>, code: string): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Refusal, `expected a Refusal, got ${String(error)}`);
    assert.equal(error.code, code, error.sentence);
    assert.match(error.sentence, /\.$/, 'a refusal is a whole sentence');
    return error;
  }
  assert.fail(`expected a refusal ${code}`);
}

async function everything(f: Fixture) {
  const requests = await f.store.list({ limit: 1000 });
  const audit = (await Promise.all(requests.map((r) => f.store.auditTrail(r.id)))).flat();
  return { requests, audit };
}

describe('RequestService', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await domainFixture();
  });
  afterEach(() => f.close());

  async function fileForMegan() {
    return f.requests.file(PEOPLE.alex, {
      subject: await f.subject('meganb@example.com'),
      regime: 'gdpr',
      receivedOn: '2026-01-31',
      intakeNote: 'Ticket 4411',
    });
  }

  describe('filing', () => {
    it('files for a subject: awaiting confirmation, due a calendar month later, audited, card and channel owed', async () => {
      const request = await fileForMegan();
      assert.equal(request.reference, 'DSR-2026-0001');
      assert.equal(request.state, RequestState.AwaitingConfirmation);
      assert.equal(request.dueOn, '2026-02-28');
      assert.equal(request.intakeNote, 'Ticket 4411');
      const audit = await f.store.auditTrail(request.id);
      assert.deepEqual(
        audit.map((a) => a.type),
        [AuditEventType.Filed, AuditEventType.Transitioned],
      );
      assert.equal(audit[1]!.detail.to, RequestState.AwaitingConfirmation);
      const owed = await f.store.claimNotifications('test', f.clock.now(), 1000, 10);
      assert.deepEqual(owed.map((n) => n.notification.kind).sort(), [NotificationKind.ChannelUpdate, NotificationKind.AskSubject].sort());
      assert.equal(owed.find((n) => n.notification.kind === NotificationKind.AskSubject)!.notification.recipientId, PEOPLE.megan.objectId);
    });

    it('numbers references per year in order', async () => {
      await fileForMegan();
      const second = await f.requests.file(PEOPLE.alex, { subject: await f.subject('adelev@example.com'), regime: 'ccpa', receivedOn: '2026-01-20' });
      assert.equal(second.reference, 'DSR-2026-0002');
      assert.equal(second.dueOn, '2026-03-06');
    });

    it('finds subjects by UPN, mail or objectId', async () => {
      for (const query of ['meganb@example.com', 'MEGANB@EXAMPLE.COM', PEOPLE.megan.objectId]) {
        assert.equal((await f.requests.findSubject(PEOPLE.alex, query)).objectId, PEOPLE.megan.objectId);
      }
    });

    const refusals: Array<[string, string, string]> = [
      ['an unknown subject', 'nobody@example.com', RefusalCode.SubjectNotFound],
      ['a group id', PEOPLE.privacyTeamGroup, RefusalCode.NotAUser],
      ['a guest', 'joni@partner.example', RefusalCode.GuestAccount],
    ];
    for (const [what, query, code] of refusals) {
      it(`refuses ${what} and changes nothing`, async () => {
        await refusedWith(f.requests.findSubject(PEOPLE.alex, query), code);
        assert.deepEqual(await everything(f), { requests: [], audit: [] });
      });
    }

    it('files for a disabled account only with the admin’s identity check, confirmed at once, delivered to the admin — audited', async () => {
      const grady = await f.requests.findSubject(PEOPLE.alex, 'gradya@example.com');
      assert.equal(grady.accountEnabled, false);
      const missing = await refusedWith(f.requests.file(PEOPLE.alex, { subject: grady, regime: 'gdpr', receivedOn: '2026-01-30' }), RefusalCode.InvalidInput);
      assert.match(missing.sentence, /Record how you verified their identity/);
      assert.deepEqual((await everything(f)).requests, []);

      const request = await f.requests.file(PEOPLE.alex, {
        subject: grady,
        regime: 'gdpr',
        receivedOn: '2026-01-30',
        identityVerification: ' Passport checked by HR in person ',
      });
      assert.equal(request.state, RequestState.Confirmed);
      assert.equal(request.deliverTo, 'requester');
      assert.equal(request.selfService, false);
      assert.equal(request.identityVerification, 'Passport checked by HR in person');
      const audit = await f.store.auditTrail(request.id);
      assert.equal(audit.find((a) => a.type === AuditEventType.Transitioned)!.detail.confirmedBy, 'admin_identity_verification');
      assert.equal(audit.filter((a) => a.type === AuditEventType.DeliveryToRequester).length, 1);
      const owed = await f.store.claimNotifications('test', f.clock.now(), 1000, 10);
      assert.deepEqual(
        owed.map((n) => n.notification.kind),
        [NotificationKind.ChannelUpdate],
        'no confirmation card for someone who cannot answer',
      );
    });

    it('refuses a disabled account using Privacy Desk itself', async () => {
      await refusedWith(f.requests.fileForSelf(PEOPLE.grady), RefusalCode.DisabledAccount);
    });

    it('refuses a non-admin filing for someone else, before looking anyone up', async () => {
      const refusal = await refusedWith(f.requests.findSubject(PEOPLE.isaiah, 'meganb@example.com'), RefusalCode.NotAnAdmin);
      assert.match(refusal.sentence, /export my data/);
      await refusedWith(
        f.requests.file(PEOPLE.isaiah, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-30' }),
        RefusalCode.NotAnAdmin,
      );
      assert.deepEqual((await everything(f)).requests, []);
    });

    it('refuses a second open request for the same subject, points to the open one, and audits it', async () => {
      const first = await fileForMegan();
      const early = await refusedWith(f.requests.findSubject(PEOPLE.alex, 'meganb@example.com'), RefusalCode.DuplicateOpenRequest);
      assert.match(early.sentence, /DSR-2026-0001/);
      const late = await refusedWith(fileForMegan(), RefusalCode.DuplicateOpenRequest);
      assert.equal(late.requestId, first.id);
      const { requests, audit } = await everything(f);
      assert.equal(requests.length, 1);
      assert.equal(audit.filter((a) => a.type === AuditEventType.Refused && a.detail.code === RefusalCode.DuplicateOpenRequest).length, 2);
    });

    it('limits how many requests one person files per hour, then lets them file again', async () => {
      for (const upn of ['meganb@example.com', 'adelev@example.com', 'isaiahl@example.com']) {
        await f.requests.file(PEOPLE.alex, { subject: await f.subject(upn), regime: 'gdpr', receivedOn: '2026-01-31' });
      }
      const refusal = await refusedWith(
        f.requests.file(PEOPLE.alex, { subject: await f.subject('pattif@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' }),
        RefusalCode.RateLimited,
      );
      assert.match(refusal.sentence, /3 requests in the last hour.* You can file again in 60 minutes\.$/);
      assert.equal((await f.store.list()).length, 3);
      f.clock.advance(3600_000 + 1);
      await f.requests.file(PEOPLE.alex, { subject: await f.subject('pattif@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    });

    it('says before anything is asked whether someone may file now, and when an admin at the limit may again', async () => {
      await f.requests.checkCanFile(PEOPLE.alex);
      await refusedWith(f.requests.checkCanFile(PEOPLE.isaiah), RefusalCode.NotAnAdmin);
      // Filings at 09:00, 09:10 (self-service: Alex is also its subject) and 09:20, against a limit of 3.
      await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
      f.clock.advance(10 * 60_000);
      await f.requests.fileForSelf(PEOPLE.alex);
      f.clock.advance(10 * 60_000);
      await f.requests.checkCanFile(PEOPLE.alex);
      await f.requests.file(PEOPLE.alex, { subject: await f.subject('adelev@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
      const before = await everything(f);

      f.clock.advance(25 * 60_000); // 09:45: the 09:00 filing leaves the hour at 10:00
      const refusal = await refusedWith(f.requests.checkCanFile(PEOPLE.alex), RefusalCode.RateLimited);
      assert.equal(
        refusal.sentence,
        'You have filed 3 requests in the last hour, the most Privacy Desk accepts from one person. You can file again in 15 minutes.',
      );
      assert.deepEqual(await everything(f), before, 'a refusal changes nothing');
      f.clock.advance(14 * 60_000 + 30_000);
      assert.match((await refusedWith(f.requests.checkCanFile(PEOPLE.alex), RefusalCode.RateLimited)).sentence, /in 1 minute\.$/);
      f.clock.advance(30_000 + 1);
      await f.requests.checkCanFile(PEOPLE.alex);
    });

    it('mentions (never blocks on) a request for the same subject closed within the window', async () => {
      const first = await fileForMegan();
      assert.equal(await f.requests.recentlyClosedFor(PEOPLE.megan.objectId), undefined, 'an open request is not "recently closed"');
      await f.requests.respond(PEOPLE.megan, first.id, Decision.Decline);
      assert.equal((await f.requests.recentlyClosedFor(PEOPLE.megan.objectId))?.id, first.id);
      const again = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
      assert.equal(again.state, RequestState.AwaitingConfirmation);
      f.clock.advance(91 * 24 * 3600_000);
      await f.requests.respond(PEOPLE.megan, again.id, Decision.Decline);
      f.clock.advance(1);
      assert.equal((await f.requests.recentlyClosedFor(PEOPLE.megan.objectId))?.id, again.id, 'the newest closed one');
      f.clock.advance(91 * 24 * 3600_000);
      assert.equal(await f.requests.recentlyClosedFor(PEOPLE.megan.objectId), undefined, 'outside the window');
    });

    it('refuses a received date in the future', async () => {
      await refusedWith(
        f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-02-01' }),
        RefusalCode.InvalidInput,
      );
    });
  });

  describe("the subject's answer", () => {
    it('approves: confirmed, audited, channel and requester told', async () => {
      const request = await fileForMegan();
      const answered = await f.requests.respond(PEOPLE.megan, request.id, Decision.Approve);
      assert.equal(answered.state, RequestState.Confirmed);
      assert.equal((await f.store.get(request.id))!.version, request.version + 1);
      const last = (await f.store.auditTrail(request.id)).at(-1)!;
      assert.equal(last.actor.objectId, PEOPLE.megan.objectId);
      assert.equal(last.detail.event, 'confirm');
    });

    it('declines with a reason, recorded', async () => {
      const request = await fileForMegan();
      const answered = await f.requests.respond(PEOPLE.megan, request.id, Decision.Decline, '  I changed my mind ');
      assert.equal(answered.state, RequestState.Declined);
      assert.equal((await f.store.get(request.id))!.declineReason, 'I changed my mind');
    });

    it('refuses anyone but the subject, audits it, changes nothing', async () => {
      const request = await fileForMegan();
      for (const actor of [PEOPLE.alex, PEOPLE.isaiah]) {
        await refusedWith(f.requests.respond(actor, request.id, Decision.Approve), RefusalCode.NotTheSubject);
      }
      const stored = (await f.store.get(request.id))!;
      assert.equal(stored.state, RequestState.AwaitingConfirmation);
      assert.equal(stored.version, request.version);
      const refusals = (await f.store.auditTrail(request.id)).filter((a) => a.type === AuditEventType.Refused);
      assert.deepEqual(
        refusals.map((a) => a.actor.objectId),
        [PEOPLE.alex.objectId, PEOPLE.isaiah.objectId],
      );
    });

    it('a second click or a replay changes nothing and says so', async () => {
      const request = await fileForMegan();
      await f.requests.respond(PEOPLE.megan, request.id, Decision.Approve);
      const refusal = await refusedWith(f.requests.respond(PEOPLE.megan, request.id, Decision.Decline), RefusalCode.NotAwaitingConfirmation);
      assert.match(refusal.sentence, /no longer waiting/);
      assert.equal((await f.store.get(request.id))!.state, RequestState.Confirmed);
    });

    it('two concurrent approvals apply once', async () => {
      const request = await fileForMegan();
      const results = await Promise.allSettled([
        f.requests.respond(PEOPLE.megan, request.id, Decision.Approve),
        f.requests.respond(PEOPLE.megan, request.id, Decision.Approve),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const transitions = (await f.store.auditTrail(request.id)).filter((a) => a.detail.event === 'confirm');
      assert.equal(transitions.length, 1);
    });

    it('an unknown request id is refused without touching anything', async () => {
      await refusedWith(f.requests.respond(PEOPLE.megan, '00000000-0000-4000-8000-000000000000', Decision.Approve), RefusalCode.UnknownRequest);
    });
  });

  describe('self-service and reading', () => {
    it('"export my data" files for the person themself and goes straight to export', async () => {
      const request = await f.requests.fileForSelf(PEOPLE.isaiah);
      assert.equal(request.state, RequestState.Confirmed);
      assert.equal(request.selfService, true);
      assert.equal(request.requesterId, PEOPLE.isaiah.objectId);
      assert.equal(request.subject.objectId, PEOPLE.isaiah.objectId);
    });

    it('admins see every request; others only their own, and nothing leaks about the rest', async () => {
      const megans = await fileForMegan();
      const isaiahs = await f.requests.fileForSelf(PEOPLE.isaiah);
      assert.equal((await f.requests.list(PEOPLE.alex)).requests.length, 2);
      assert.deepEqual(
        (await f.requests.list(PEOPLE.isaiah)).requests.map((r) => r.id),
        [isaiahs.id],
      );
      assert.equal((await f.requests.status(PEOPLE.megan, megans.reference)).id, megans.id);
      const hidden = await refusedWith(f.requests.status(PEOPLE.isaiah, megans.reference), RefusalCode.UnknownRequest);
      const missing = await refusedWith(f.requests.status(PEOPLE.isaiah, 'DSR-2026-0999'), RefusalCode.UnknownRequest);
      assert.equal(hidden.sentence.replace(megans.reference, 'X'), missing.sentence.replace('DSR-2026-0999', 'X'));
    });

    it('a card’s request is visible to its subject, its requester and admins; to anyone else as if it did not exist', async () => {
      const megans = await fileForMegan();
      for (const who of [PEOPLE.megan, PEOPLE.alex]) assert.equal((await f.requests.visibleTo(who, megans.id))?.id, megans.id);
      const isaiahs = await f.requests.fileForSelf(PEOPLE.isaiah);
      assert.equal((await f.requests.visibleTo(PEOPLE.isaiah, isaiahs.id))?.id, isaiahs.id, 'self-service: subject and requester');
      assert.equal((await f.requests.visibleTo(PEOPLE.alex, isaiahs.id))?.id, isaiahs.id, 'an admin who had no part in it');
      assert.equal(await f.requests.visibleTo(PEOPLE.isaiah, megans.id), undefined);
      assert.equal(await f.requests.visibleTo(PEOPLE.isaiah, '00000000-0000-4000-8000-000000000000'), undefined);
    });
  });
});
