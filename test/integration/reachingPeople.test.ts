import assert from 'node:assert/strict';
import { userActor } from '../../domain/actor';
import type { MailMessage, Mailer, TeamsAppInstaller } from '../../domain/delivery/reach';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { CardVerb } from '../../cards';
import { actionsOf, cardOf, eventually, sentTo, textOf, toChannel } from '../helpers/cardQueries';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import type { CapturedActivity } from '../support/botConnector';

/** Records installs and answers with the chat id Teams would give; the Graph side is tested in test/adapters/graph. */
class RecordingInstaller implements TeamsAppInstaller {
  readonly installs: string[] = [];
  async ensureInstalledForUser(userObjectId: string) {
    this.installs.push(userObjectId);
    return { chatId: `19:installed-${userObjectId}_bot@unq.gbl.spaces`, installedNow: true };
  }
}

class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage) {
    this.sent.push(message);
  }
}

const WAIT = { timeoutMs: 20_000 };
/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

const isAskCard = (c: CapturedActivity) => actionsOf(cardOf(c) ?? {}).some((a) => a.verb === CardVerb.Approve);

describe('reaching a data subject in Teams (stored reference, app installation, Teams errors, mail fallback)', function () {
  this.timeout(90_000);
  let world: World;
  let running: RunningDesk;
  const installer = new RecordingInstaller();
  const mailer = new RecordingMailer();
  const alex = userActor(PERSON.alex.objectId);

  before(async () => {
    world = await startWorld();
    running = await startDesk(world, { env: { TEAMS_SERVICE_URL: world.connector.serviceUrl }, overrides: { reach: { installer, mailer } } });
    await running.teams.say(PERSON.alex, 'notify here', { channelId: '19:privacy@thread.tacv2', teamId: '19:team@thread.tacv2' });
    await running.teams.install(PERSON.alex);
  });
  after(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  async function fileFor(upn: string) {
    const subject = await running.desk.requests.findSubject(alex, upn);
    return running.desk.requests.file(alex, { subject, regime: 'gdpr', receivedOn: running.desk.requests.today() });
  }

  it('installs the app for a subject who never opened it and sends the card to that chat', async () => {
    const request = await fileFor('lynner@example.com');
    const lynne = 'a1b2c3d4-0006-4000-8000-00000000a006';
    const chat = `19:installed-${lynne}_bot@unq.gbl.spaces`;
    const card = await world.connector.waitFor((c) => sentTo(chat)(c) && isAskCard(c), WAIT);
    assert.equal(actionsOf(cardOf(card)).find((a) => a.verb === CardVerb.Approve)?.data?.requestId, request.id);
    assert.deepEqual(installer.installs, [lynne]);
    assert.equal(mailer.sent.length, 0);
  });

  it('drops a stale reference on 404 ConversationNotFound and tries once more through a fresh installation', async () => {
    await running.teams.install(PERSON.megan); // a reference that is about to go stale
    installer.installs.length = 0;
    world.connector.failNext(404, 1, { code: 'ConversationNotFound' });
    await fileFor('meganb@example.com');
    const chat = `19:installed-${PERSON.megan.objectId}_bot@unq.gbl.spaces`;
    await world.connector.waitFor((c) => sentTo(chat)(c) && isAskCard(c), WAIT);
    assert.deepEqual(installer.installs, [PERSON.megan.objectId]);
    assert.equal(world.connector.sent().filter((c) => sentTo(`a:personal-${PERSON.megan.objectId}`)(c) && isAskCard(c)).length, 0);
  });

  it('when Teams refuses for good, mails the subject once (no data, no link), tells admin and channel, and delivers when they open the chat', async () => {
    const isaiah = PERSON.isaiah;
    await running.teams.install(isaiah);
    world.connector.failNext(403, 2, { code: 'ConversationBlockedByUser' });
    const request = await fileFor('isaiahl@example.com');

    await eventually(async () => mailer.sent.length === 1, 'the fallback mail');
    const mail = mailer.sent[0]!;
    assert.equal(mail.toAddress, 'isaiahl@example.com');
    assert.match(mail.html, /https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=28:/);
    assert.match(mail.subject, new RegExp(request.reference));
    assert.doesNotMatch(mail.html, /sig=|blob|download link:/i);

    await world.connector.waitFor((c) => sentTo(`a:personal-${PERSON.alex.objectId}`)(c) && /e-mailed/.test(textOf(cardOf(c) ?? {})), WAIT);
    await world.connector.waitFor((c) => toChannel(c) && /e-mailed instead/.test(textOf(cardOf(c) ?? {})), WAIT);
    const trail = await running.desk.store.auditTrail(request.id);
    assert.equal(trail.filter((e) => e.type === AuditEventType.ReachedByMail).length, 1);

    // Isaiah unblocks and opens the chat: the waiting card arrives, and no second mail goes out.
    await running.teams.say(isaiah, 'help');
    await world.connector.waitFor((c) => sentTo(`a:personal-${isaiah.objectId}`)(c) && isAskCard(c), WAIT);
    await running.desk.jobs.drain();
    assert.equal(mailer.sent.length, 1);
  });

  it('rides out throttling (429 with Retry-After) and server errors', async () => {
    const patti = { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', name: 'Patti Fernandez' };
    await running.teams.install(patti);
    world.connector.failNext(429, 1, { retryAfterSeconds: 1 });
    world.connector.failNext(500, 1);
    await fileFor('pattif@example.com');
    await world.connector.waitFor((c) => sentTo(`a:personal-${patti.objectId}`)(c) && isAskCard(c), WAIT);
    const injected = world.connector.requests.filter((r) => r.injectedFailure).map((r) => r.status);
    assert.ok(injected.includes(429) && injected.includes(500), JSON.stringify(injected));
  });

  it('logs no subject’s name, mail or UPN while doing all this', () => {
    const log = running.logger.lines.join('\n');
    assert.ok(running.logger.lines.length > 0);
    for (const secret of [
      'Lynne Robbins',
      'lynner@example.com',
      'Megan Bowen',
      'meganb@example.com',
      'Isaiah Langer',
      'isaiahl@example.com',
      'Patti Fernandez',
      'pattif@example.com',
    ]) {
      assert.ok(!log.includes(secret), `log contains ${secret}`);
    }
  });
});
