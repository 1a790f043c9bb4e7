import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { SqliteDatabase } from '../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo } from '../helpers/cardQueries';
import { BOT_APP_ID, PERSON, packageBlobs, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import { startInstanceProcess } from '../helpers/instanceLauncher';
import { TeamsClient } from '../helpers/teamsClient';
import { TEST_TENANT_ID } from '../support/channelTokens';

/** The crashed instance's leases run out within a second: its export and the request's messages are taken over at once. */
const SHORT_LEASES = { EXPORT_LEASE_SECONDS: '1', NOTIFICATION_LEASE_SECONDS: '1' };

/** The field of a card's button this test reads: its kind. */

/** The buttons of a card the bot sent (actionsOf leaves them untyped). */

describe('a restart in the middle of an export', function () {
  this.timeout(90_000);
  let world: World;
  let survivor: RunningDesk | undefined;
  let crashed: ChildProcess | undefined;

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    crashed?.kill('SIGKILL');
    await survivor?.desk.stop();
    await world?.stop();
  });

  it('resumes after the process is killed and ends with exactly one package and one delivery', async () => {
    const env = world.env(SHORT_LEASES);
    const first = startInstanceProcess({ ...env, STALL_SOURCE: 'app-telemetry' });
    crashed = first.child;
    const teams = new TeamsClient({
      botUrl: await first.url,
      serviceUrl: world.connector.serviceUrl,
      tenantId: TEST_TENANT_ID,
      botId: BOT_APP_ID,
      tokens: world.tokens,
    });
    assert.equal((await teams.install(PERSON.isaiah)).status, 200);
    assert.equal((await teams.say(PERSON.isaiah, 'export my data gdpr')).status, 200);

    // Watch the shared store from outside, as a second instance would.
    const db = await SqliteDatabase.open(join(world.dataDir, 'privacy-desk.db'));
    const observer = new SqliteRequestStore(db);
    const exporting = await eventually(async () => {
      const [request] = await observer.list({ involving: PERSON.isaiah.objectId, limit: 1 });
      return request?.state === RequestState.Exporting && request;
    }, 'the export to be running in the first instance');
    // Killed only once the stalled source has handed over its first record: mid-export for sure.
    await first.stalled;

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    crashed = undefined;
    assert.equal((await observer.get(exporting.id))!.state, RequestState.Exporting, 'killed mid-export');
    assert.deepEqual(await packageBlobs(world), [], 'an upload that never finished leaves no package');
    const staged = await packageBlobs(world, { uncommitted: true });
    assert.equal(staged.length, 1, 'but the blocks it staged (the sources read before the stalled one) are there');

    survivor = await startDesk(world, { env: SHORT_LEASES });
    const isaiahChat = `a:personal-${PERSON.isaiah.objectId}`;
    const linkCard = (c: Parameters<ReturnType<typeof sentTo>>[0]) =>
      sentTo(isaiahChat)(c) && actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl');
    await world.connector.waitFor(linkCard, { timeoutMs: 30_000 });
    const delivered = await eventually(async () => {
      const r = await observer.get(exporting.id);
      return r?.state === RequestState.Delivered && r;
    }, 'delivery');
    await survivor.desk.jobs.drain();

    assert.equal(world.connector.sent().filter(linkCard).length, 1, 'one delivery message');
    assert.deepEqual(await packageBlobs(world), [delivered.package!.blobName], 'one package');
    assert.deepEqual(await packageBlobs(world, { uncommitted: true }), [delivered.package!.blobName], 'and nothing the crashed attempt staged');
    const trail = await observer.auditTrail(exporting.id);
    assert.equal(trail.filter((e) => e.type === AuditEventType.ExportStarted).length, 1);
    assert.equal(trail.filter((e) => e.type === AuditEventType.ExportResumed).length, 1);
    assert.equal(trail.filter((e) => e.type === AuditEventType.LinkIssued).length, 1);
    assert.equal(delivered.exportAttempts, 2);
    db.close();
  });
});
