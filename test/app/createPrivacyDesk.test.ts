import assert from 'node:assert/strict';
import type { RequestStore } from '../../domain/requests/requestStore';
import { RequestState } from '../../domain/requests/lifecycle';
import { eventually } from '../helpers/cardQueries';
import { PERSON, useDesk } from '../helpers/harness';

const WAIT = { timeoutMs: 20_000 };
/** The longest poll the configuration allows: anything picked up sooner was picked up by a kick. */
const SLOW_POLL = { POLL_INTERVAL_MS: '60000' };

/**
 * The background loops' claims, counted on the store instance they share. A kick runs a loop's pass
 * from a zero-delay timer set before the turn's HTTP answer, and the pass claims synchronously, so a
 * one-millisecond timer set after the answer fires after any such pass.
 */
function countClaims(store: RequestStore): { readonly count: () => number } {
  let claims = 0;
  const spied = store as unknown as Record<'claimExport' | 'claimNotifications', (...args: unknown[]) => unknown>;
  for (const name of ['claimExport', 'claimNotifications'] as const) {
    const original = spied[name].bind(store);
    spied[name] = (...args: unknown[]) => {
      claims += 1;
      return original(...args);
    };
  }
  return { count: () => claims };
}

const afterPendingTimers = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('app/createPrivacyDesk: the background loops after a turn', function () {
  this.timeout(60_000);
  const suite = useDesk({ env: SLOW_POLL });
  let claims: ReturnType<typeof countClaims>;

  before(async () => {
    await suite.running.desk.jobs.drain();
    claims = countClaims(suite.running.desk.store);
  });

  it('are left alone by turns that queue nothing', async () => {
    for (const text of ['help', 'requests', 'help']) {
      assert.equal((await suite.running.teams.say(PERSON.isaiah, text)).status, 200);
    }
    await afterPendingTimers();
    assert.equal(claims.count(), 0);
  });

  it('run at once after a turn that filed a request: its export starts without waiting for a poll', async () => {
    await suite.running.teams.install(PERSON.isaiah);
    assert.equal((await suite.running.teams.say(PERSON.isaiah, 'export my data')).status, 200);
    await afterPendingTimers();
    assert.equal(claims.count(), 0, 'a question asked changes no request');
    assert.equal((await suite.running.teams.say(PERSON.isaiah, 'GDPR')).status, 200);
    await afterPendingTimers();
    assert.ok(claims.count() > 0, 'the filing turn kicked the loops');
    // Self-service requests are filed confirmed; only the export loop moves one on, and its next poll is a minute away.
    const [filed] = await suite.running.desk.store.list({ involving: PERSON.isaiah.objectId, limit: 1 });
    assert.equal(filed?.selfService, true);
    await eventually(async () => (await suite.running.desk.store.get(filed!.id))!.state !== RequestState.Confirmed, 'the export to start', WAIT.timeoutMs);
  });
});
