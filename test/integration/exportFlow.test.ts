import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CardVerb, DECLINE_REASON_INPUT, type AdaptiveCard } from '../../cards';
import { calendarDateIn } from '../../domain/deadlines/calendarDate';
import { RequestState } from '../../domain/requests/lifecycle';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { MANIFEST_FILE, type PackageManifest } from '../../domain/export/packageLayout';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionsOf, cardOf, eventually, sentTo, textOf, textOfActivity, toChannel } from '../helpers/cardQueries';
import { PERSON, packageBlobs, useDesk } from '../helpers/harness';
import { unzip } from '../helpers/unzip';
import type { TeamsPerson } from '../helpers/teamsClient';

const WAIT = { timeoutMs: 20_000 };
const PRIVACY_CHANNEL = { channelId: '19:privacy-team@thread.tacv2', teamId: '19:team@thread.tacv2' };

/** The fields of a card's button these tests read: its kind, an Action.Execute's verb and data, an Action.OpenUrl's link. */

/** The buttons of a card the bot sent (actionsOf leaves them untyped). */

/** What the bot answers a card button's invoke with: the card shown in its place, or an error whose message Teams shows. */
type InvokeAnswer =
  | { readonly type: 'application/vnd.microsoft.card.adaptive'; readonly value: AdaptiveCard }
  | { readonly type: 'application/vnd.microsoft.error'; readonly value: { readonly code: string; readonly message: string } };

/** The part of the Teams app manifest these tests read: the bot's command lists. */
interface AppManifest {
  readonly bots: ReadonlyArray<{
    readonly commandLists: ReadonlyArray<{ readonly scopes: readonly string[]; readonly commands: ReadonlyArray<{ readonly title: string }> }>;
  }>;
}

/** The titles of the manifest's command list for one scope. */
function manifestCommandTitles(scope: 'personal' | 'team'): string[] {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../appPackage/manifest.json'), 'utf8')) as AppManifest;
  return manifest.bots[0]!.commandLists.find((l) => l.scopes.includes(scope))!.commands.map((c) => c.title);
}

describe('the export flow over HTTP (JWT on, Azurite, Bot Connector stand-in)', function () {
  this.timeout(60_000);
  // The last source starts only once the admin's progress card has shown the sources gathered so far:
  // the test sees the progress however fast the export runs (a card shows the request as it is when
  // it is sent, so without this a quick export could skip straight to "ready").
  const suite: ReturnType<typeof useDesk> = useDesk({
    overrides: {
      wrapSources: (sources) =>
        sources.map((source) =>
          source.id !== 'app-telemetry'
            ? source
            : {
                id: source.id,
                disclosure: source.disclosure,
                tabular: source.tabular,
                async *records(...args: Parameters<typeof source.records>) {
                  // Alex's progress card, the one the test checks, before the export moves on.
                  await suite.world.connector.waitFor(
                    (c) => sentTo(`a:personal-${PERSON.alex.objectId}`)(c) && /of 3 sources gathered/.test(textOf(cardOf(c) ?? {})),
                    WAIT,
                  );
                  yield* source.records(...args);
                },
              },
        ),
    },
  });

  const teams = () => suite.running.teams;
  const connector = () => suite.world.connector;
  const personal = (p: { objectId: string }) => `a:personal-${p.objectId}`;

  /** Presses a card button as `person`: the invoke, with the bot's answer typed. */
  async function press(person: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<{ status: number; body: InvokeAnswer }> {
    const answer = await teams().invoke(person, verb, data);
    return { status: answer.status, body: answer.body as InvokeAnswer };
  }

  async function turn(person: TeamsPerson, text: string, channel?: typeof PRIVACY_CHANNEL): Promise<string[]> {
    const before = connector().sent().length;
    const result = await teams().say(person, text, channel);
    assert.equal(result.status, 200, `"${text}" was answered ${result.status}`);
    const conversation = channel ? undefined : personal(person);
    return connector()
      .sent()
      .slice(before)
      .filter((c) => (conversation ? sentTo(conversation)(c) : !sentTo(personal(PERSON.megan))(c)))
      .map(textOfActivity);
  }

  /** Files through the whole dialog; returns the bot's last answer. */
  async function fileViaDialog(subject: string, regime: 'GDPR' | 'CCPA', note = 'skip'): Promise<string> {
    for (const answer of [`export ${subject}`, 'yes', regime, 'today', note]) await turn(PERSON.alex, answer);
    return (await turn(PERSON.alex, 'yes')).join('\n');
  }

  it('a privacy admin makes a channel the notification channel', async () => {
    const replies = await turn(PERSON.alex, 'notify here', PRIVACY_CHANNEL);
    assert.match(replies.join('\n'), /this channel now receives a card/);
  });

  it('a non-admin cannot choose the notification channel', async () => {
    const replies = await turn(PERSON.isaiah, 'notify here', PRIVACY_CHANNEL);
    assert.match(replies.join('\n'), /Only privacy admins can choose the notification channel/);
  });

  it('help names every personal command: all the manifest lists (Teams shows at most ten) and the rest', async () => {
    const titles = manifestCommandTitles('personal');
    const replies = (await turn(PERSON.alex, 'help')).join('\n');
    for (const title of titles) assert.ok(replies.includes(title), `help mentions "${title}"`);
    // Teams lists at most ten commands: the manifest has the ten most used, help names every one (and cancel).
    const listed = suite.running.desk.bot.commands.filter((c) => c.scopes.includes('personal')).map((c) => c.title);
    assert.ok(
      titles.every((t) => listed.includes(t)),
      'every listed command has a handler',
    );
    for (const title of [...listed, 'cancel']) assert.ok(replies.includes(title), `help mentions "${title}"`);
  });

  it('help in the channel lists exactly the manifest’s team commands; 1:1-only commands say where they work', async () => {
    const titles = manifestCommandTitles('team');
    const listed = suite.running.desk.bot.commands.filter((c) => c.scopes.includes('channel')).map((c) => c.title);
    assert.deepEqual(listed.sort(), [...titles].sort());
    const replies = (await turn(PERSON.alex, 'help', PRIVACY_CHANNEL)).join('\n');
    for (const title of titles) assert.ok(replies.includes(title), `channel help mentions "${title}"`);
    assert.match((await turn(PERSON.alex, 'export meganb@example.com', PRIVACY_CHANNEL)).join('\n'), /works in our 1:1 chat/);
  });

  it('files, gets confirmed, exports, and delivers a working link — end to end', async () => {
    await teams().install(PERSON.megan);

    assert.match(
      (await turn(PERSON.alex, 'export meganb@example.com')).join('\n'),
      /I found Megan Bowen · meganb@example\.com · department Marketing · objectId a1b2c3d4-0002/,
    );
    assert.match((await turn(PERSON.alex, 'yes')).join('\n'), /Under which law/);
    assert.match((await turn(PERSON.alex, 'GDPR')).join('\n'), /When was the request received/);
    const summary = (await turn(PERSON.alex, 'today')).join('\n');
    assert.match(summary, /ticket number/);
    const check = (await turn(PERSON.alex, 'Ticket 4411 (web form)')).join('\n');
    assert.match(check, /Data subject: Megan Bowen/);
    const filed = (await turn(PERSON.alex, 'yes')).join('\n');
    const today = calendarDateIn(new Date(), 'UTC');
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(filed)?.[1];
    assert.ok(reference, filed);
    assert.match(filed, /gets a card in their chat/);
    const request = (await suite.running.desk.store.getByReference(reference))!;
    // One month from today, moved to the next working day where it ends on a weekend or holiday (on by default for the GDPR).
    assert.equal(request.dueOn, suite.running.desk.requests.dueDateFor({ regime: 'gdpr', receivedOn: today }).dueOn);
    assert.equal(request.intakeNote, 'Ticket 4411 (web form)');

    // The subject's confirmation card.
    const ask = await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && actionsOf(cardOf(c)).some((a) => a.verb === CardVerb.Approve), WAIT);
    const approve = actionsOf(cardOf(ask)).find((a) => a.verb === CardVerb.Approve);
    assert.deepEqual(approve?.data, { requestId: request.id });
    assert.match(textOf(cardOf(ask)), /Alex Wilber/);

    // The channel heard about the filing.
    await connector().waitFor((c) => toChannel(c) && textOf(cardOf(c) ?? {}).includes(reference), WAIT);

    // Only the subject can answer.
    const foreign = await press(PERSON.alex, CardVerb.Approve, { requestId: request.id });
    assert.equal(foreign.status, 200);
    assert.match(textOf(foreign.body.value), /Only Megan Bowen can answer/);
    assert.equal((await suite.running.desk.store.get(request.id))!.state, RequestState.AwaitingConfirmation);

    const approved = await press(PERSON.megan, CardVerb.Approve, { requestId: request.id });
    assert.equal(approved.status, 200);
    assert.equal(approved.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.equal(actionsOf(approved.body.value).length, 0, 'the answered card has no buttons left');

    // A replay of the same invoke changes nothing and says so.
    const replay = await press(PERSON.megan, CardVerb.Approve, { requestId: request.id });
    assert.match(textOf(replay.body.value), /no longer waiting for an answer/);

    // The link arrives in Megan's chat; the admin gets a status card without it.
    const ready = await connector().waitFor((c) => sentTo(personal(PERSON.megan))(c) && actionsOf(cardOf(c)).some((a) => a.type === 'Action.OpenUrl'), WAIT);
    const url = actionsOf(cardOf(ready)).find((a) => a.type === 'Action.OpenUrl')?.url;
    assert.ok(url, 'the card carries the download link');
    assert.match(url, /sp=r/, 'read-only');
    assert.match(url, /\/privacy-exports\/exports\//, 'scoped to one blob of the packages container');
    const adminCard = await connector().waitFor((c) => sentTo(personal(PERSON.alex))(c) && /received the download link/.test(textOf(cardOf(c) ?? {})), WAIT);
    assert.ok(!JSON.stringify(adminCard.activity).includes('sig='), 'no link in the admin’s card');

    const stored = await eventually(async () => {
      const r = (await suite.running.desk.store.get(request.id))!;
      return r.state === RequestState.Delivered && r;
    }, 'the request to be recorded as delivered');

    // Download through the SAS link and check the package against its manifest.
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const zip = Buffer.from(await response.arrayBuffer());
    assert.equal(createHash('sha256').update(zip).digest('hex'), stored.package!.sha256);
    const files = await unzip(zip);
    const manifest = JSON.parse(files.get(MANIFEST_FILE)!.toString('utf8')) as PackageManifest;
    assert.equal(manifest.request.reference, reference);
    assert.deepEqual(
      manifest.sources.map((s) => s.id),
      ['directory-profile', 'privacy-requests', 'app-telemetry'],
    );
    for (const file of manifest.files) {
      const content = files.get(file.path);
      assert.ok(content, `${file.path} is in the ZIP`);
      assert.equal(createHash('sha256').update(content).digest('hex'), file.sha256, `${file.path} checksum`);
      assert.equal(content.length, file.bytes);
    }
    assert.deepEqual([...files.keys()].sort(), [...manifest.files.map((f) => f.path), MANIFEST_FILE].sort());
    const telemetry = JSON.parse(files.get('data/app-telemetry.json')!.toString('utf8')) as Array<{ userId: string }>;
    assert.ok(telemetry.length > 0);
    assert.ok(
      telemetry.every((r) => r.userId === PERSON.megan.objectId),
      'only the subject’s records',
    );
    assert.equal(manifest.files.find((f) => f.path === 'data/app-telemetry.json')!.records, telemetry.length);
    const csvLines = files.get('data/app-telemetry.csv')!.toString('utf8').trim().split('\n');
    assert.equal(csvLines.length, telemetry.length + 1);
    const [profile] = JSON.parse(files.get('data/directory-profile.json')!.toString('utf8')) as Array<Record<string, unknown>>;
    assert.equal(profile?.userPrincipalName, 'meganb@example.com');
    const letter = files.get('cover-letter.md')!.toString('utf8');
    for (const item of ['Purposes', 'Recipients', 'Retention', 'Source of the data', 'Automated decision-making', 'rectified', 'erased', 'complaint']) {
      assert.match(letter, new RegExp(item), `cover letter names ${item}`);
    }

    // The admin followed the export on one progress card (headline "<reference>: …"), updated in place;
    // each version shows the request as it was when sent, so the exact step shown may vary.
    const progressCards = connector()
      .sent()
      .filter((c) => sentTo(personal(PERSON.alex))(c) && textOf(cardOf(c) ?? {}).startsWith(`${reference}: `));
    const sentOnce = progressCards.filter((c) => c.operation !== 'updateActivity');
    assert.equal(sentOnce.length, 1, 'one progress card');
    const updates = progressCards.filter((c) => c.operation === 'updateActivity');
    assert.ok(updates.length >= 1, 'updated at least once');
    assert.ok(
      updates.every((u) => u.activityId === sentOnce[0]!.activityId),
      'updates replace that same card',
    );
    assert.ok(progressCards.some((c) => /of 3 sources gathered/.test(textOf(cardOf(c)))));

    // In the channel, the request has one thread: the filing started it, every later card replies in it.
    const channelPosts = connector()
      .sent()
      .filter((c) => toChannel(c) && textOf(cardOf(c) ?? {}).includes(reference));
    assert.equal(channelPosts[0]!.operation, 'createConversation');
    assert.ok(channelPosts.length >= 3, 'filed, confirmed, ready…');
    assert.ok(
      channelPosts.slice(1).every((c) => c.operation !== 'createConversation' && c.conversationId === channelPosts[0]!.conversationId),
      'replies in the same thread',
    );

    // Exactly one package and one link.
    assert.equal((await packageBlobs(suite.world)).length, 1);
    const links = connector()
      .sent()
      .filter((c) => actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl'));
    assert.equal(links.length, 1);

    // The audit trail tells the story in order.
    const trail = await suite.running.desk.store.auditTrail(request.id);
    const steps = trail.filter((e) => e.type === AuditEventType.Transitioned).map((e) => e.detail.to);
    assert.deepEqual(steps, ['awaiting_confirmation', 'confirmed', 'exporting', 'ready', 'delivered']);
    assert.ok(trail.some((e) => e.type === AuditEventType.Refused && e.detail.code === 'not_the_subject'));

    // An expired link is refused by storage.
    const expired = await suite.running.desk.packages.createReadLink(stored.package!.blobName, new Date(Date.now() - 60_000));
    assert.equal((await fetch(expired.url)).status, 403);
  });

  it('status and requests show where things stand, to whom they may', async () => {
    const [request] = await suite.running.desk.store.list({ limit: 1 });
    const status = (await turn(PERSON.alex, `status ${request!.reference}`)).join('\n');
    assert.match(status, /Delivered/);
    assert.match((await turn(PERSON.megan, `status ${request!.reference}`)).join('\n'), /Delivered/);
    assert.match((await turn(PERSON.isaiah, `status ${request!.reference}`)).join('\n'), /can't find a request/);
    assert.match((await turn(PERSON.alex, 'requests')).join('\n'), new RegExp(request!.reference));
    const isaiahs = (await turn(PERSON.isaiah, 'requests')).join('\n');
    assert.match(isaiahs, /You have no requests yet/);
    assert.doesNotMatch(isaiahs, new RegExp(request!.reference));
  });

  it('a declined request exports nothing and tells the admin and the channel', async () => {
    const filed = await fileViaDialog('adelev@example.com', 'CCPA');
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(filed)![1]!;
    assert.match(filed, /has not opened a chat with Privacy Desk yet/);
    const request = (await suite.running.desk.store.getByReference(reference))!;
    const adele = { objectId: 'a1b2c3d4-0003-4000-8000-00000000a003', name: 'Adele Vance' };
    await teams().install(adele); // she opens the chat: the waiting card is delivered
    await connector().waitFor((c) => sentTo(personal(adele))(c) && actionsOf(cardOf(c)).some((a) => a.verb === CardVerb.Decline), WAIT);
    const declined = await press(adele, CardVerb.Decline, { requestId: request.id, [DECLINE_REASON_INPUT]: 'Not now' });
    assert.match(textOf(declined.body.value), /Sie haben diese Anfrage abgelehnt/); // Adele reads German (de-DE)
    await connector().waitFor(
      (c) => sentTo(personal(PERSON.alex))(c) && /declined/.test(textOf(cardOf(c) ?? {})) && textOf(cardOf(c) ?? {}).includes(reference),
      WAIT,
    );
    await connector().waitFor((c) => toChannel(c) && /declined/i.test(textOf(cardOf(c) ?? {})) && textOf(cardOf(c) ?? {}).includes(reference), WAIT);
    const stored = (await suite.running.desk.store.get(request.id))!;
    assert.equal(stored.state, RequestState.Declined);
    assert.equal(stored.declineReason, 'Not now');
    await suite.running.desk.jobs.drain();
    assert.equal((await packageBlobs(suite.world)).filter((n) => n.includes(request.id)).length, 0);
  });

  it('a disabled account: the admin records the identity check, and the link comes to the admin', async () => {
    await turn(PERSON.alex, 'export gradya@example.com');
    const asked = (await turn(PERSON.alex, 'yes')).join('\n');
    assert.match(asked, /account is disabled.*How did you verify their identity/s);
    assert.match((await turn(PERSON.alex, 'ok')).join('\n'), /Please describe in a few words/);
    await turn(PERSON.alex, 'ID checked by HR in person on 2026-11-28');
    await turn(PERSON.alex, 'GDPR');
    await turn(PERSON.alex, 'today');
    const summary = (await turn(PERSON.alex, 'skip')).join('\n');
    assert.match(summary, /Identity verified by you: ID checked by HR in person on 2026-11-28/);
    assert.match(summary, /the link comes to you/);
    const filed = (await turn(PERSON.alex, 'yes')).join('\n');
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(filed)![1]!;
    assert.match(filed, /download link comes to you/);
    const handover = await connector().waitFor((c) => sentTo(personal(PERSON.alex))(c) && /Package ready to hand over/.test(textOf(cardOf(c) ?? {})), WAIT);
    assert.match(textOf(cardOf(handover)), new RegExp(reference));
    assert.equal(actionsOf(cardOf(handover)).filter((a) => a.type === 'Action.OpenUrl').length, 1);
    const request = (await suite.running.desk.store.getByReference(reference))!;
    await eventually(async () => (await suite.running.desk.store.get(request.id))!.state === RequestState.Delivered, 'delivered');
    const trail = await suite.running.desk.store.auditTrail(request.id);
    assert.deepEqual(
      trail.filter((e) => e.type === AuditEventType.LinkIssued).map((e) => e.detail.recipient),
      ['requester'],
    );
    assert.ok(trail.some((e) => e.type === AuditEventType.DeliveryToRequester));
    // The disabled account has no chat the bot could reach, so "nothing was sent there" would be true
    // anyway: what matters is that nothing was even addressed to it (it would wait as unreachable).
    const waitingForSomeone = suite.running.logger.entries.filter((e) => e.fields.requestId === request.id && /not reachable yet/.test(e.message));
    assert.deepEqual(waitingForSomeone, [], 'nothing was addressed to the disabled account');
  });

  it('filing again for a subject whose request closed recently mentions it, without blocking', async () => {
    const found = (await turn(PERSON.alex, 'export adelev@example.com')).join('\n');
    assert.match(found, /Note: their request DSR-\d{4}-\d{4} was closed on .* \(declined by the data subject\); a new one can still be filed/);
    await turn(PERSON.alex, 'cancel');
  });

  it('"export my data" asks which law (the default first), then files a self-service request that goes straight to export', async () => {
    await teams().install(PERSON.isaiah);
    assert.match(
      (await turn(PERSON.isaiah, 'export my data')).join('\n'),
      /Under which law do you ask for a copy of your data\? GDPR is the default for you here/,
    );
    assert.match(
      (await turn(PERSON.isaiah, 'resume DSR-2026-0001')).join('\n'),
      /^You are in the middle of asking for a copy of your data: answer the question below, or type "cancel" first\. Nothing was changed\./,
    );
    const replies = (await turn(PERSON.isaiah, 'GDPR')).join('\n');
    const reference = /request (DSR-\d{4}-\d{4})/.exec(replies)![1]!;
    await connector().waitFor((c) => sentTo(personal(PERSON.isaiah))(c) && actionsOf(cardOf(c)).some((a) => a.type === 'Action.OpenUrl'), WAIT);
    const request = (await suite.running.desk.store.getByReference(reference))!;
    assert.equal(request.selfService, true);
    await eventually(async () => (await suite.running.desk.store.get(request.id))!.state === RequestState.Delivered, 'delivered');
  });

  describe('refusals: a clear sentence, nothing changed', () => {
    const cases: Array<[string, TeamsPerson, string, RegExp]> = [
      ['an unknown subject', PERSON.alex, 'export nobody@example.com', /can't find anyone in the directory/],
      ['a group id', PERSON.alex, 'export b7c8d9e0-0001-4000-8000-00000000b001', /is a group, not a person/],
      ['a guest', PERSON.alex, 'export joni@partner.example', /guest in this tenant/],
      ['a non-admin filing for someone else', PERSON.isaiah, 'export meganb@example.com', /Only privacy admins can file/],
    ];
    for (const [what, who, text, sentence] of cases) {
      it(what, async () => {
        const before = await suite.running.desk.store.list({ limit: 100 });
        assert.match((await turn(who, text)).join('\n'), sentence);
        await turn(who, 'cancel');
        assert.deepEqual(await suite.running.desk.store.list({ limit: 100 }), before);
      });
    }

    it('cancel leaves the dialog at any step', async () => {
      await turn(PERSON.alex, 'export lynner@example.com');
      await turn(PERSON.alex, 'yes');
      assert.match((await turn(PERSON.alex, 'cancel')).join('\n'), /Cancelled\. Nothing was filed\./);
      assert.match((await turn(PERSON.alex, 'GDPR')).join('\n'), /didn't understand/);
    });

    it('a duplicate open request points to the open one', async () => {
      const reference = /Filed (DSR-\d{4}-\d{4})/.exec(await fileViaDialog('pattif@example.com', 'GDPR'))![1]!;
      const again = (await turn(PERSON.alex, 'export pattif@example.com')).join('\n');
      assert.match(again, new RegExp(`already has an open request, ${reference}`));
    });

    it('extend: the admin picks the length and gives the reason; the subject gets the notice', async () => {
      const patti = { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', name: 'Patti Fernandez' };
      await teams().install(patti);
      const open = (await suite.running.desk.store.findOpenBySubject(patti.objectId))!;
      assert.match((await turn(PERSON.alex, `extend ${open.reference}`)).join('\n'), /By how much should the deadline be extended\?/);
      await turn(PERSON.alex, '2 months');
      const summary = (await turn(PERSON.alex, 'Several source systems need manual extraction')).join('\n');
      assert.match(summary, new RegExp(`Extend ${open.reference} by 2 months`));
      assert.match((await turn(PERSON.alex, 'yes')).join('\n'), /Extended: .* is now due/);
      const notice = await connector().waitFor(
        (c) =>
          sentTo(personal(patti))(c) && /Nous avons besoin de plus de temps pour votre demande/.test(textOf(cardOf(c) ?? {})) /* Patti reads French (fr-FR) */,
        WAIT,
      );
      assert.match(textOf(cardOf(notice)), /Several source systems need manual extraction/);
      const extended = (await suite.running.desk.store.get(open.id))!;
      assert.notEqual(extended.dueOn, open.dueOn);
      assert.match((await turn(PERSON.alex, `extend ${open.reference}`)).join('\n'), /cannot be extended: it has already been extended as far as GDPR allows/);
    });

    it('pause and resume: the clock stands still while waiting for the subject, and status says so', async () => {
      const reference = /Filed (DSR-\d{4}-\d{4})/.exec(await fileViaDialog('lynner@example.com', 'GDPR'))![1]!;
      assert.match((await turn(PERSON.alex, `pause ${reference} waiting for proof of identity`)).join('\n'), /stands still from today/);
      assert.match((await turn(PERSON.alex, `status ${reference}`)).join('\n').replace(/\\/g, ''), /Clock paused since .*: waiting for proof of identity/);
      assert.match((await turn(PERSON.alex, `resume ${reference}`)).join('\n'), /running again: now due/);
      assert.match((await turn(PERSON.alex, `resume ${reference}`)).join('\n'), /is not paused/);
    });

    it('malformed or tampered card payloads', async () => {
      const [request] = await suite.running.desk.store.list({ limit: 1 });
      const before = await suite.running.desk.store.get(request!.id);
      // Not a payload any Privacy Desk card sends: 400, with the sentence Teams shows on the card.
      for (const [verb, data] of [
        ['request.delete', { requestId: request!.id }],
        [CardVerb.Approve, {}],
        [CardVerb.Approve, { requestId: 'not-an-id' }],
        [CardVerb.Approve, { requestId: { $ne: null } }],
      ] as const) {
        const answer = await press(PERSON.megan, verb, data as Record<string, unknown>);
        assert.equal(answer.status, 400, `${verb} ${JSON.stringify(data)}`);
        assert.equal(answer.body.type, 'application/vnd.microsoft.error');
        assert.match(answer.body.value.message, /nothing was changed/, `${verb} ${JSON.stringify(data)}`);
      }
      // Well formed, but no such request: the card says so.
      const unknown = await press(PERSON.megan, CardVerb.Approve, { requestId: '00000000-0000-4000-8000-000000000000' });
      assert.equal(unknown.status, 200);
      assert.match(textOf(unknown.body.value), /[Nn]othing was changed/);
      assert.deepEqual(await suite.running.desk.store.get(request!.id), before);
      const audit = await suite.running.desk.store.auditTrail(request!.id);
      assert.ok(audit.some((e) => e.type === AuditEventType.Refused && e.detail.code === 'malformed_action'));
    });

    it('an unauthenticated or forged call gets 401, no reply, no change', async () => {
      const before = connector().sent().length;
      const activity = teams().activity(PERSON.alex, { type: 'message', text: 'export my data gdpr' });
      assert.equal((await teams().post(activity, null)).status, 401);
      assert.equal((await teams().post(activity, 'Bearer not-a-token')).status, 401);
      const forged = await suite.world.tokens.authorization({ serviceUrl: suite.world.connector.serviceUrl }, { signWithOtherKey: true });
      assert.equal((await teams().post(activity, forged)).status, 401);
      assert.equal(connector().sent().length, before);
      assert.equal((await suite.running.desk.store.list({ involving: PERSON.alex.objectId, limit: 100 })).filter((r) => r.selfService).length, 0);
    });
  });

  it('register: admins get every request as CSV through a short-lived link; others are refused', async () => {
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(await fileViaDialog('adelev@example.com', 'CCPA'))![1]!;
    const before = connector().sent().length;
    await teams().say(PERSON.alex, 'register');
    const card = connector()
      .sent()
      .slice(before)
      .map((c): unknown => cardOf(c))
      .find((c) => c && /Request register/.test(textOf(c)));
    assert.ok(card, 'a register card');
    const url = actionsOf(card).find((a) => a.type === 'Action.OpenUrl')?.url;
    assert.ok(url, 'the register card carries the download link');
    const csv = (await (await fetch(url)).text()).trim().split('\n');
    assert.equal(csv[0], 'reference,subject,regime,received,due,extended,state,completed,outcome');
    const all = await suite.running.desk.store.list({ limit: 1000 });
    assert.equal(csv.length - 1, all.length);
    const line = csv.find((l) => l.startsWith(`${reference},`));
    assert.match(
      line ?? '',
      /^DSR-\d{4}-\d{4},Adele Vance,CCPA,\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},,Awaiting [^,]+,,open$/,
      'an open request has no completed date',
    );
    assert.match((await turn(PERSON.isaiah, 'register')).join('\n'), /Only privacy admins can download the request register/);
  });

  it('verify audit: admins learn the hash-chained trail is intact; others are refused', async () => {
    assert.match((await turn(PERSON.alex, 'verify audit')).join('\n'), /The audit trail is intact: \d+ events checked/);
    assert.match((await turn(PERSON.isaiah, 'verify audit')).join('\n'), /Only privacy admins can verify the audit trail/);
  });

  it('logs carry ids, never the subjects’ names or addresses', () => {
    const log = suite.running.logger.lines.join('\n');
    for (const secret of ['Megan Bowen', 'meganb@example.com', 'Adele Vance', 'adelev@example.com', 'Isaiah Langer']) {
      assert.ok(!log.includes(secret), `log contains ${secret}`);
    }
    assert.ok(suite.running.logger.lines.length > 0);
  });
});
