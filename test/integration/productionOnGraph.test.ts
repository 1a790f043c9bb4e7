import assert from 'node:assert/strict';
import { CardVerb } from '../../cards';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import { MANIFEST_FILE } from '../../domain/export/packageLayout';
import { actionsOf, cardOf, eventually, sentTo, textOf, textOfActivity } from '../helpers/cardQueries';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import type { TeamsPerson } from '../helpers/teamsClient';
import { unzip } from '../helpers/unzip';
import { FAKE_IDS, fakeGraphEnv, startFakeGraph, type FakeGraph } from '../support/fakeGraph';

const WAIT = { timeoutMs: 20_000 };

/** The fields of a card's button this test reads: its kind, an Action.Execute's verb and data, an Action.OpenUrl's link. */

/** The buttons of a card the bot sent (actionsOf leaves them untyped). */

/**
 * Production mode end to end on Microsoft Graph (a fake over https): people found in the directory,
 * admins from an Entra group, a subject who never opened the bot reached by installing the app,
 * mail when Teams will not let us in — with JWT validation on and Azurite for packages.
 */
describe('production mode on Microsoft Graph', function () {
  this.timeout(90_000);
  let world: World;
  let graph: FakeGraph;
  let running: RunningDesk;

  before(async () => {
    world = await startWorld();
    graph = await startFakeGraph();
    running = await startDesk(world, {
      env: fakeGraphEnv(graph, {
        GRAPH_MAIL_FROM: 'privacy@example.com',
        PRIVACY_ADMIN_GROUP_ID: FAKE_IDS.privacyAdminsGroup,
        PRIVACY_ADMIN_CACHE_SECONDS: '0',
        PRIVACY_ADMIN_IDS: '',
        TEAMS_SERVICE_URL: world.connector.serviceUrl,
      }),
    });
    await running.teams.install(PERSON.alex);
  });
  after(async () => {
    await running?.desk.stop();
    await graph?.close();
    await world?.stop();
  });

  async function say(person: TeamsPerson, text: string): Promise<string> {
    const before = world.connector.sent().length;
    assert.equal((await running.teams.say(person, text)).status, 200);
    return world.connector
      .sent()
      .slice(before)
      .filter(sentTo(`a:personal-${person.objectId}`))
      .map(textOfActivity)
      .join('\n');
  }

  it('an admin by group membership files for a subject found in Graph; the app is installed for the subject, who approves and gets the package', async () => {
    assert.match(await say(PERSON.alex, 'export meganb@example.com'), /I found Megan Bowen · meganb@example.com/);
    for (const answer of ['yes', 'GDPR', 'today', 'skip']) await say(PERSON.alex, answer);
    const filed = await say(PERSON.alex, 'yes');
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(filed)![1]!;
    const request = (await running.desk.store.getByReference(reference))!;

    const ask = await world.connector.waitFor(
      (c) => actionsOf(cardOf(c) ?? {}).some((a) => a.verb === CardVerb.Approve && a.data?.requestId === request.id),
      WAIT,
    );
    assert.ok(graph.installedApps(FAKE_IDS.megan).length === 1, 'Privacy Desk was installed for Megan through Graph');
    assert.notEqual(decodeURIComponent(ask.conversationId), `a:personal-${PERSON.megan.objectId}`, 'sent to the chat the installation gave');

    assert.equal((await running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId: request.id })).status, 200);
    const ready = await world.connector.waitFor((c) => actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl'), WAIT);
    const url = actionsOf(cardOf(ready)).find((a) => a.type === 'Action.OpenUrl')?.url;
    assert.ok(url, 'the card carries the download link');
    const files = await unzip(Buffer.from(await (await fetch(url)).arrayBuffer()));
    assert.ok(files.has(MANIFEST_FILE));
    const [profile] = JSON.parse(files.get('data/directory-profile.json')!.toString()) as Array<Record<string, unknown>>;
    assert.ok(profile, 'the directory profile has a record');
    assert.equal(profile.userPrincipalName, 'meganb@example.com');
    assert.ok(
      'manager' in profile && Array.isArray(profile.groups) && Array.isArray(profile.licenses),
      'the Graph profile carries manager, groups and licences',
    );
    await eventually(async () => (await running.desk.store.get(request.id))!.state === RequestState.Delivered, 'delivery');
  });

  it('refuses what Graph says is not a person, and a guest', async () => {
    assert.match(await say(PERSON.alex, `export ${FAKE_IDS.device}`), /is a device, not a person/);
    await say(PERSON.alex, 'cancel');
    assert.match(await say(PERSON.alex, 'export joni@partner.example'), /guest in this tenant/);
    await say(PERSON.alex, 'cancel');
  });

  it('names the admin group’s members (transitively) for "assign to" and the channel cards’ admin view', async () => {
    const before = graph.requests.length;
    const named = (await running.desk.requests.knownAdmins()).map((a) => a.displayName).sort();
    const asked = graph.requests
      .slice(before)
      .filter((r) => r.kind === 'graph')
      .map((r) => r.path);
    assert.ok(
      asked.length > 0 && asked.every((path) => path.includes('/transitiveMembers/')),
      `names come with the group listing, no lookup per admin: ${asked.join(', ')}`,
    );
    assert.ok(named.includes('Alex Wilber'), JSON.stringify(named));
    assert.ok(named.includes('Patti Fernandez'), 'a member through a nested group');
    assert.ok(!named.includes('Megan Bowen'));
  });

  it('someone removed from the admin group loses admin rights (cache 0 s here)', async () => {
    graph.setMemberOf(FAKE_IDS.alex, []);
    assert.match(await say(PERSON.alex, 'export adelev@example.com'), /Only privacy admins can file/);
    graph.setMemberOf(FAKE_IDS.alex, [FAKE_IDS.privacyAdminsGroup]);
    assert.match(await say(PERSON.alex, 'export adelev@example.com'), /I found Adele Vance/);
    await say(PERSON.alex, 'cancel');
  });

  it('when app installation is blocked by policy, the subject is mailed a chat link once and the admin is told', async () => {
    graph.blockAppInstalls(true);
    for (const answer of ['export adelev@example.com', 'yes', 'GDPR', 'today', 'skip']) await say(PERSON.alex, answer);
    const reference = /Filed (DSR-\d{4}-\d{4})/.exec(await say(PERSON.alex, 'yes'))![1]!;
    await eventually(async () => graph.sentMail.length === 1 && graph.sentMail[0], 'the fallback mail');
    const request = (await running.desk.store.getByReference(reference))!;
    await world.connector.waitFor((c) => sentTo(`a:personal-${PERSON.alex.objectId}`)(c) && /e-mailed/.test(textOf(cardOf(c) ?? {})), WAIT);
    assert.equal((await running.desk.store.auditTrail(request.id)).filter((e) => e.type === AuditEventType.ReachedByMail).length, 1);
    assert.equal(JSON.stringify(graph.sentMail[0]).includes('adelev@example.com'), true);
  });

  it('logs no subject’s name, mail or UPN', () => {
    const log = running.logger.lines.join('\n');
    for (const secret of ['Megan Bowen', 'meganb@example.com', 'Adele Vance', 'adelev@example.com']) assert.ok(!log.includes(secret), `log contains ${secret}`);
  });
});
