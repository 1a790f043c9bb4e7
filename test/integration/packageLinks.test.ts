import assert from 'node:assert/strict';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo, textOfActivity } from '../helpers/cardQueries';
import { FixedClock } from '../helpers/domainFixture';
import type { TeamsPerson } from '../helpers/teamsClient';
import { PERSON, packageBlobs, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';

const WAIT = { timeoutMs: 20_000 };
const DAY_MS = 24 * 3600_000;

describe('a package’s links and life: reissue, revoke, retention', function () {
  this.timeout(90_000);
  let world: World;
  let running: RunningDesk;
  const clock = new FixedClock(new Date());
  const isaiahChat = `a:personal-${PERSON.isaiah.objectId}`;
  const linksToIsaiah = () =>
    world.connector
      .sent()
      .filter((c) => sentTo(isaiahChat)(c))
      .flatMap((c) => actionsOf(cardOf(c) ?? {}).filter((a) => a.type === 'Action.OpenUrl').map((a) => a.url as string));

  async function say(person: TeamsPerson, text: string): Promise<string> {
    const before = world.connector.sent().length;
    assert.equal((await running.teams.say(person, text)).status, 200);
    return world.connector.sent().slice(before).filter(sentTo(`a:personal-${person.objectId}`)).map(textOfActivity).join('\n');
  }

  let reference: string;
  let requestId: string;

  before(async () => {
    world = await startWorld();
    running = await startDesk(world, { env: { PACKAGE_RETENTION_DAYS: '1' }, overrides: { clock } });
    await running.teams.install(PERSON.alex);
    await running.teams.install(PERSON.isaiah);
    reference = /request (DSR-\d{4}-\d{4})/.exec(await say(PERSON.isaiah, 'export my data'))![1]!;
    requestId = (await running.desk.store.getByReference(reference))!.id;
    await eventually(async () => (await running.desk.store.get(requestId))!.state === RequestState.Delivered, 'delivery');
  });
  after(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  it('reissue sends a fresh link without exporting again; both work', async () => {
    assert.equal(linksToIsaiah().length, 1);
    clock.advance(60_000); // the clock is frozen in this suite; a real reissue happens later than the first link
    assert.match(await say(PERSON.alex, `reissue ${reference}`), /fresh download link .* is on its way to Isaiah Langer/);
    await world.connector.waitFor((c) => sentTo(isaiahChat)(c) && linksToIsaiah().length === 2, WAIT);
    const [first, second] = linksToIsaiah();
    assert.notEqual(first, second);
    for (const url of [first!, second!]) assert.equal((await fetch(url)).status, 200);
    const stored = (await running.desk.store.get(requestId))!;
    assert.equal(stored.exportAttempts, 1, 'not exported again');
    assert.equal((await packageBlobs(world)).length, 1);
    const issued = (await running.desk.store.auditTrail(requestId)).filter((e) => e.type === AuditEventType.LinkIssued);
    assert.deepEqual(issued.map((e) => e.detail.reissue ?? false), [false, true]);
  });

  it('only admins may reissue or revoke', async () => {
    assert.match(await say(PERSON.isaiah, `revoke ${reference}`), /Only privacy admins can revoke links/);
    assert.match(await say(PERSON.isaiah, `reissue ${reference}`), /Only privacy admins can reissue a link/);
    for (const url of linksToIsaiah()) assert.equal((await fetch(url)).status, 200);
  });

  it('revoke makes every existing link stop working; a reissued link works again', async () => {
    const before = linksToIsaiah();
    assert.match(await say(PERSON.alex, `revoke ${reference}`), /has stopped working/);
    // The package moved to an unguessable name: old links find nothing (not a server error).
    for (const url of before) assert.equal((await fetch(url)).status, 404, 'a revoked link must not download');
    await say(PERSON.alex, `reissue ${reference}`);
    await world.connector.waitFor(() => linksToIsaiah().length === before.length + 1, WAIT);
    assert.equal((await fetch(linksToIsaiah().at(-1)!)).status, 200);
    assert.equal((await packageBlobs(world)).length, 1, 'still exactly one package');
    assert.equal((await running.desk.store.auditTrail(requestId)).filter((e) => e.type === AuditEventType.LinksRevoked).length, 1);
  });

  it('deletes the package after the retention period; the record and its trail stay', async () => {
    clock.advance(2 * DAY_MS);
    await running.desk.jobs.drain();
    const purged = (await running.desk.store.get(requestId))!;
    assert.equal(purged.state, RequestState.Purged);
    assert.equal(purged.package, undefined);
    assert.deepEqual(await packageBlobs(world), []);
    for (const url of linksToIsaiah()) assert.notEqual((await fetch(url)).status, 200);
    const trail = await running.desk.store.auditTrail(requestId);
    assert.equal(trail.filter((e) => e.type === AuditEventType.PackageDeleted).length, 1);
    assert.deepEqual(trail.filter((e) => e.type === AuditEventType.Transitioned).slice(-2).map((e) => e.detail.to), [RequestState.Completed, RequestState.Purged]);
    assert.match(await say(PERSON.alex, `reissue ${reference}`), /has no package to send again.*Nothing was changed/);
  });
});
