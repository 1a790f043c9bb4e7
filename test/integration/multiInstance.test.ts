/**
 * Several Privacy Desk processes on one store, one Azurite and one Bot Connector stand-in: 50
 * requests filed and approved through all of them at once (every dialog turn goes to the next
 * instance, as a load balancer without affinity sends them), then one instance killed with
 * SIGKILL in the middle of an export. Whatever instance sent it, each request ends with one
 * package and one download message, nothing reaches the channel or a subject twice, and the audit
 * chain verifies. PostgreSQL with three instances; SQLite with one, killed and restarted, is the
 * control (the same test, the only way SQLite runs).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CardVerb } from '../../cards';
import { AuditEventType } from '../../domain/requests/auditEvent';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { RequestState } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo, textOfActivity, toChannel } from '../helpers/cardQueries';
import { BOT_APP_ID, packageBlobs, startWorld, type World } from '../helpers/harness';
import { startInstanceProcess, type InstanceProcess } from '../helpers/instanceLauncher';
import {
  inParallel,
  openStoreView,
  outboundToken,
  repeatedMessages,
  sentBy,
  writeDirectory,
  type DirectoryPerson,
  type StoreView,
} from '../helpers/multiInstance';
import { TeamsClient, type PostResult } from '../helpers/teamsClient';
import { TEST_TENANT_ID } from '../support/channelTokens';
import type { CapturedActivity } from '../support/botConnector';
import { startPostgres, type PostgresServer } from '../support/postgres';

const REQUESTS = 50;
const ADMINS = 5;
const PRIVACY_CHANNEL = { channelId: '19:privacy-team@thread.tacv2', teamId: '19:team@thread.tacv2' };
/** The instance is killed once this many requests are approved: the rest are filed with it gone. */
const KILL_AFTER_APPROVALS = 25;
/** Long enough that an export is still running when its instance is killed; short enough for 50. */
const SLOW_SOURCE_MS = '1500';
/** Leases short enough that the survivors take over within seconds of the kill. */
const LEASES = { EXPORT_LEASE_SECONDS: '2', NOTIFICATION_LEASE_SECONDS: '5' };
/** What a restarted SQLite instance's clock is ahead by: past every lease the killed one held. */
const RESTART_CLOCK_AHEAD_MS = '10000';
const SETTLED_FOR_MS = 3_000;
const WAIT_FOR_ALL_MS = 240_000;

interface Form {
  readonly title: string;
  readonly instances: number;
  readonly postgres: boolean;
}

const FORMS: readonly Form[] = [
  { title: 'three instances on PostgreSQL', instances: 3, postgres: true },
  { title: 'the control: one instance on SQLite, killed and restarted', instances: 1, postgres: false },
];

/** One bot process and the Teams client that talks to it. */
interface Instance {
  readonly name: string;
  readonly process: InstanceProcess;
  readonly teams: TeamsClient;
  routable: boolean;
  inFlight: number;
}

/**
 * The load balancer: every activity goes to the next routable instance in turn. An instance about
 * to be killed is first taken out of the rotation and its turns in flight are let finish, so the
 * kill loses background work (exports, messages), not a person's half-answered turn.
 */
class Fleet {
  readonly instances: Instance[] = [];
  private next = 0;

  constructor(
    private readonly world: World,
    private readonly env: Record<string, string>,
  ) {}

  async start(name: string, extra: Record<string, string> = {}): Promise<Instance> {
    const process = startInstanceProcess({ ...this.env, INSTANCE_ID: name, OUTBOUND_TOKEN: outboundToken(name), ...extra });
    const teams = new TeamsClient({
      botUrl: await process.url,
      serviceUrl: this.world.connector.serviceUrl,
      tenantId: TEST_TENANT_ID,
      botId: BOT_APP_ID,
      tokens: this.world.tokens,
    });
    const instance: Instance = { name, process, teams, routable: true, inFlight: 0 };
    this.instances.push(instance);
    return instance;
  }

  /** Sends `post` to the next routable instance, waiting for one while none is (the control's restart). */
  async send(post: (teams: TeamsClient) => Promise<PostResult>): Promise<PostResult> {
    for (;;) {
      const routable = this.instances.filter((i) => i.routable);
      if (routable.length > 0) {
        const instance = routable[this.next++ % routable.length]!;
        instance.inFlight += 1;
        try {
          return await post(instance.teams);
        } finally {
          instance.inFlight -= 1;
        }
      }
      await sleep(20);
    }
  }

  /** SIGKILL while `instance` is in the middle of an export: right after its slowed source starts one. */
  async killMidExport(instance: Instance): Promise<void> {
    const started = instance.process.slowedExports();
    await eventually(async () => instance.process.slowedExports() > started, `${instance.name} to start an export`, 60_000);
    instance.routable = false;
    await eventually(async () => instance.inFlight === 0, `${instance.name}'s turns in flight to end`);
    instance.process.child.kill('SIGKILL');
    await once(instance.process.child, 'exit');
  }

  async stop(): Promise<void> {
    for (const { process } of this.instances) {
      if (process.child.exitCode !== null || process.child.signalCode !== null) continue;
      process.child.kill('SIGKILL');
      await once(process.child, 'exit');
    }
  }
}

/** Everything the stand-in accepted that went to `conversationId` since `from`, as text. */
function repliesIn(world: World, conversationId: string, from: number): string[] {
  return world.connector.sent().slice(from).filter(sentTo(conversationId)).map(textOfActivity);
}

function personalChat(person: DirectoryPerson): string {
  return `a:personal-${person.objectId}`;
}

function isDownloadMessage(c: CapturedActivity): boolean {
  return actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl');
}

/** Waits until the stand-in has taken nothing new for `quietMs`: the instances have sent all they owed. */
async function settled(world: World, quietMs: number): Promise<void> {
  let seen = -1;
  while (world.connector.sent().length !== seen) {
    seen = world.connector.sent().length;
    await sleep(quietMs);
  }
}

for (const form of FORMS) {
  describe(`several instances, one truth: ${form.title}`, function () {
    this.timeout(WAIT_FOR_ALL_MS + 120_000);
    let world: World;
    let postgres: PostgresServer | undefined;
    let fleet: Fleet;
    let view: StoreView;
    let admins: DirectoryPerson[];
    let subjects: DirectoryPerson[];

    before(async () => {
      world = await startWorld();
      const directoryFile = join(world.dataDir, 'directory.json');
      ({ admins, subjects } = writeDirectory(directoryFile, { admins: ADMINS, subjects: REQUESTS }));
      let databaseUrl: string | undefined;
      if (form.postgres) {
        postgres = await startPostgres();
        databaseUrl = await postgres.createDatabase();
      }
      fleet = new Fleet(
        world,
        world.env({
          PRIVACY_DESK_DIRECTORY_FILE: directoryFile,
          PRIVACY_ADMIN_IDS: admins.map((a) => a.objectId).join(','),
          SLOW_SOURCE: 'app-telemetry',
          SLOW_SOURCE_MS,
          ...LEASES,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        }),
      );
      for (let n = 1; n <= form.instances; n++) await fleet.start(`instance-${n}`);
      view = await openStoreView(databaseUrl ? { databaseUrl } : { sqliteDataDir: world.dataDir });
    });

    after(async () => {
      await fleet?.stop();
      await view?.close();
      await world?.stop();
      await postgres?.stop();
    });

    /** Files a request for `subject` through the whole dialog, one turn per instance in turn, and has the subject approve it. */
    async function fileAndApprove(admin: DirectoryPerson, subject: DirectoryPerson): Promise<ExportRequest> {
      const chat = personalChat(admin);
      const from = world.connector.sent().length;
      for (const answer of [`export ${subject.userPrincipalName}`, 'yes', 'GDPR', 'today', 'skip', 'yes']) {
        const result = await fleet.send((teams) => teams.say(admin, answer));
        assert.equal(result.status, 200, `"${answer}" was answered ${result.status}`);
      }
      const replies = repliesIn(world, chat, from);
      assert.ok(
        replies.some((text) => /Filed DSR-\d{4}-\d{4}/.test(text)),
        `the dialog for ${subject.name} went from instance to instance and still filed; it said:\n${replies.join('\n---\n')}`,
      );
      const [request] = await view.store.list({ involving: subject.objectId, limit: 1 });
      assert.ok(request, `a request for ${subject.name}`);
      const answer = await fleet.send((teams) => teams.invoke(subject, CardVerb.Approve, { requestId: request.id }));
      assert.equal(answer.status, 200);
      return request;
    }

    it('files and approves 50 requests through every instance, survives a kill -9 mid-export, and sends nothing twice but what the kill cut off', async () => {
      // Each subject has a 1:1 chat with the bot, and the privacy team has its channel.
      await inParallel(subjects, 10, async (subject) => assert.equal((await fleet.send((teams) => teams.install(subject))).status, 200));
      assert.equal((await fleet.send((teams) => teams.say(admins[0]!, 'notify here', PRIVACY_CHANNEL))).status, 200);

      // Five admins file at once, ten subjects each; the kill comes halfway through.
      const victim = fleet.instances[fleet.instances.length - 1]!;
      let approvals = 0;
      let killed: Promise<void> | undefined;
      const lanes = admins.map((admin, a) => subjects.filter((_, s) => s % ADMINS === a).map((subject) => ({ admin, subject })));
      const filed = await inParallel(lanes, ADMINS, async (lane) => {
        const mine: ExportRequest[] = [];
        for (const { admin, subject } of lane) {
          mine.push(await fileAndApprove(admin, subject));
          if (++approvals === KILL_AFTER_APPROVALS) {
            killed = (async () => {
              await fleet.killMidExport(victim);
              // SQLite has one instance: it comes back, its clock past the leases the killed one held.
              if (!form.postgres) await fleet.start('instance-restarted', { CLOCK_AHEAD_MS: RESTART_CLOCK_AHEAD_MS });
            })();
          }
        }
        return mine;
      });
      await killed;
      const requests = filed.flat();
      assert.equal(requests.length, REQUESTS);

      // Every request is delivered, by whichever instance got there.
      const delivered = await eventually(
        async () => {
          const now = await Promise.all(requests.map((r) => view.store.get(r.id)));
          return now.every((r) => r?.state === RequestState.Delivered) && (now as ExportRequest[]);
        },
        'every request to be delivered',
        WAIT_FOR_ALL_MS,
      );
      await settled(world, SETTLED_FOR_MS);
      const sent = world.connector.sent();

      // One committed package per request, and nothing else under exports/.
      assert.deepEqual(await packageBlobs(world), delivered.map((r) => r.package!.blobName).sort());

      // Nothing reaches a subject or the channel twice, but for one case no system can rule out: the
      // message the killed instance was sending when it died (the Connector took it, the database
      // never heard). A batch is sent one message at a time, so there is at most one, and the
      // instance that takes it over sends it unchanged (decision 0010).
      const proactive = sent.filter((c) => toChannel(c) || subjects.some((s) => sentTo(personalChat(s))(c)));
      const repeats = repeatedMessages(proactive);
      const describe = (copies: CapturedActivity[]) =>
        copies.map((c) => `${c.operation} ${c.conversationId} by ${c.authorization}: ${textOfActivity(c).slice(0, 80)}`);
      assert.ok(
        repeats.length <= 1,
        `at most the one message the killed instance was sending went out twice:\n${JSON.stringify(repeats.map(describe), null, 2)}`,
      );
      const [cutOff] = repeats;
      if (cutOff) {
        assert.equal(cutOff.length, 2, `sent twice at most: ${describe(cutOff).join('\n')}`);
        assert.ok(
          sentBy(victim.name)(cutOff[0]!) && !sentBy(victim.name)(cutOff[1]!),
          `first by the killed instance, then by a survivor: ${describe(cutOff).join('\n')}`,
        );
      }
      const cutOffCount = (matches: (c: CapturedActivity) => boolean) => (cutOff && matches(cutOff[0]!) ? 1 : 0);

      // One download message to each subject (two, the same link, for one whose link was the message cut off).
      for (const subject of subjects) {
        const inChat = (c: CapturedActivity) => sentTo(personalChat(subject))(c) && isDownloadMessage(c);
        assert.equal(sent.filter(inChat).length, 1 + cutOffCount(inChat), `one download message to ${subject.name}`);
      }
      const newPost = (c: CapturedActivity) => c.operation === 'createConversation';
      assert.equal(sent.filter(newPost).length, REQUESTS + cutOffCount(newPost), 'one channel thread per request: its later news are replies in it');

      // The audit trail: one link issued per request, and the kill really interrupted an export that another attempt finished.
      let resumed = 0;
      let unsettledSends = 0;
      for (const request of delivered) {
        const trail = await view.store.auditTrail(request.id);
        assert.equal(trail.filter((e) => e.type === AuditEventType.LinkIssued).length, 1, `${request.reference}: one link`);
        const repeatedLink =
          cutOff !== undefined &&
          isDownloadMessage(cutOff[0]!) &&
          sentTo(personalChat(subjects.find((p) => p.objectId === request.subject.objectId)!))(cutOff[0]!);
        const repeatAudits = trail.filter((e) => e.type === AuditEventType.DeliveryRepeated).length;
        // Audited whenever a send began and never settled, even if the Connector never got the first copy.
        if (repeatedLink) assert.equal(repeatAudits, 1, `${request.reference}: a link sent again is audited as a repeat`);
        unsettledSends += repeatAudits;
        resumed += trail.filter((e) => e.type === AuditEventType.ExportResumed).length;
      }
      assert.ok(resumed >= 1, 'at least one export was taken over after the kill');
      assert.ok(unsettledSends <= 1, 'only the send the kill cut off was left unsettled');
      const verdict = await fleet.send((teams) => teams.say(admins[0]!, 'verify audit'));
      assert.equal(verdict.status, 200);
      assert.match(repliesIn(world, personalChat(admins[0]!), 0).at(-1) ?? '', /The audit trail is intact: \d+ events checked/);

      if (form.postgres) {
        const senders = fleet.instances.filter((i) => sent.some(sentBy(i.name)));
        assert.equal(senders.length, form.instances, 'every instance sent messages: the work was shared');
      }
    });
  });
}
