import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { SqliteDatabase } from '../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo } from '../helpers/cardQueries';
import { BOT_APP_ID, PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import { clockAhead, startInstanceProcess } from '../helpers/instanceLauncher';
import { TeamsClient } from '../helpers/teamsClient';
import type { CapturedActivity } from '../support/botConnector';
import { TEST_TENANT_ID } from '../support/channelTokens';

/** How long an instance holds an outbox item it claimed (NOTIFICATION_LEASE_MS in app/createPrivacyDesk.ts). */
const OUTBOX_LEASE_MS = 60_000;
/** How many times the bot is killed between the Connector taking the card and the bot hearing so. */
const KILLS = 2;
const ISAIAH_CHAT = `a:personal-${PERSON.isaiah.objectId}`;

/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

/** The "your data is ready" card in Isaiah's chat: the one with the download button. */
function readyCard(captured: CapturedActivity): boolean {
  return sentTo(ISAIAH_CHAT)(captured) && downloadUrlOf(captured) !== undefined;
}

function downloadUrlOf(captured: CapturedActivity): string | undefined {
  return actionsOf(cardOf(captured) ?? {}).find((action) => action.type === 'Action.OpenUrl')?.url;
}

describe('the download link when the bot dies as the Connector takes the card', function () {
  this.timeout(120_000);
  let world: World;
  let survivor: RunningDesk | undefined;
  const children: ChildProcess[] = [];

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.desk.stop();
    await world?.stop();
  });

  /**
   * The next ready card is taken by the Connector stand-in, and before it answers the instance that
   * sent it is killed: the card is out, and the bot never learns it.
   */
  function killOnNextReadyCard(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      world.connector.holdNext(readyCard, async () => {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        resolve();
      });
    });
  }

  /** Starts an instance in a child process that is killed right after its next ready card reached the Connector. */
  function startInstanceKilledOnReadyCard(env: Record<string, string>): { url: Promise<string>; killed: Promise<void> } {
    const { child, url } = startInstanceProcess(env);
    children.push(child);
    return { url, killed: killOnNextReadyCard(child) };
  }

  it(`sends the identical card after each of ${KILLS} kills, records one LinkIssued and each repeat, and ends delivered`, async () => {
    const env = world.env();
    const first = startInstanceKilledOnReadyCard({ ...env, INSTANCE_ID: 'instance-1' });
    const teams = new TeamsClient({
      botUrl: await first.url,
      serviceUrl: world.connector.serviceUrl,
      tenantId: TEST_TENANT_ID,
      botId: BOT_APP_ID,
      tokens: world.tokens,
    });
    assert.equal((await teams.install(PERSON.isaiah)).status, 200);
    assert.equal((await teams.say(PERSON.isaiah, 'export my data gdpr')).status, 200);
    await first.killed;

    // Each next instance starts with its clock past the lease the killed one held on the card.
    for (let kill = 2; kill <= KILLS; kill++) {
      const next = startInstanceKilledOnReadyCard({ ...env, INSTANCE_ID: `instance-${kill}`, CLOCK_AHEAD_MS: String(2 * (kill - 1) * OUTBOX_LEASE_MS) });
      await next.url;
      await next.killed;
    }
    assert.equal(world.connector.sent().filter(readyCard).length, KILLS, 'each killed instance got its card out');

    const db = await SqliteDatabase.open(join(world.dataDir, 'privacy-desk.db'));
    try {
      const observer = new SqliteRequestStore(db);
      const [request] = await observer.list({ involving: PERSON.isaiah.objectId, limit: 1 });
      assert.equal(request?.state, RequestState.Ready, 'no killed instance recorded the delivery');

      survivor = await startDesk(world, { overrides: { clock: clockAhead(2 * KILLS * OUTBOX_LEASE_MS) } });
      const delivered = await eventually(
        async () => {
          const now = await observer.get(request.id);
          return now?.state === RequestState.Delivered && now;
        },
        'the surviving instance to deliver',
        30_000,
      );
      await survivor.desk.jobs.drain();

      const cards = world.connector.sent().filter(readyCard);
      assert.equal(cards.length, KILLS + 1, 'one card per attempt: the killed ones and the survivor’s');
      const urls = new Set(cards.map(downloadUrlOf));
      assert.equal(urls.size, 1, 'every card carries the same download link');
      const [url] = urls;
      assert.ok(decodeURIComponent(new URL(url!).pathname).endsWith(delivered.package!.blobName), 'to the package');
      for (const card of cards.slice(1)) assert.deepEqual(cardOf(card), cardOf(cards[0]!), 'and is the same card');

      const trail = await observer.auditTrail(request.id);
      const issued = trail.filter((e) => e.type === AuditEventType.LinkIssued);
      assert.equal(issued.length, 1, 'one link, issued once');
      const repeats = trail.filter((e) => e.type === AuditEventType.DeliveryRepeated);
      assert.equal(repeats.length, KILLS, 'each resend after a kill is a repeat');
      for (const [index, repeat] of repeats.entries()) {
        assert.deepEqual(
          { ...repeat.detail },
          {
            kind: 'subject.package_ready',
            attempt: index + 2,
            earlierAttempt: index + 1,
            earlierOutcome: 'unknown',
            sameLink: true,
            linkExpiresAt: issued[0]!.detail.expiresAt,
          },
        );
      }
      assert.equal(trail.filter((e) => e.type === AuditEventType.Transitioned && e.detail.to === RequestState.Delivered).length, 1);
    } finally {
      db.close();
    }
  });
});
