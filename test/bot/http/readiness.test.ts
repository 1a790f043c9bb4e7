// The readiness a load balancer asks for: each check bounded in time, failures named by a word, and
// "stopping" at once and for good. Time is sinon's, so a check that never answers costs no waiting.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { DEFAULT_CHECK_TIMEOUT_MS, Readiness, STOPPING, type ReadinessCheck } from '../../../bot/http/readiness';
import { CapturingLogger } from '../../support/capturingLogger';

const fine = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const failing = (name: string, reason: string): ReadinessCheck => ({ name, check: async () => reason });

describe('Readiness (/readyz)', () => {
  let clock: sinon.SinonFakeTimers;
  let logger: CapturingLogger;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
    logger = new CapturingLogger();
  });
  afterEach(() => clock.restore());

  it('is ready when every check passes, and names each one that fails', async () => {
    assert.deepEqual(await new Readiness([fine('store'), fine('storage')], logger).report(), { ready: true, failing: [] });
    assert.deepEqual(await new Readiness([failing('store', 'the database does not answer'), fine('storage')], logger).report(), {
      ready: false,
      failing: ['store'],
    });
  });

  it('a check that throws fails, with its message kept for the log only', async () => {
    const readiness = new Readiness(
      [
        {
          name: 'storage',
          check: async () => {
            throw new Error('ECONNREFUSED 10.0.0.4:443');
          },
        },
      ],
      logger,
    );
    assert.deepEqual(await readiness.report(), { ready: false, failing: ['storage'] });
    assert.deepEqual(logger.entries.at(-1), { level: 'warn', message: 'not ready', fields: { failing: { storage: 'ECONNREFUSED 10.0.0.4:443' } } });
  });

  it('a check that does not answer in time fails, and is told to give up', async () => {
    let aborted = false;
    const hanging: ReadinessCheck = {
      name: 'store',
      check: (signal) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
    };
    const report = new Readiness([hanging, fine('storage')], logger).report();
    await clock.tickAsync(DEFAULT_CHECK_TIMEOUT_MS);
    assert.deepEqual(await report, { ready: false, failing: ['store'] });
    assert.equal(aborted, true);
    assert.match(JSON.stringify(logger.entries.at(-1)), /no answer within 2000 ms/);
  });

  it('logs when the failing set changes, not at every probe', async () => {
    let reason: string | undefined = 'the database does not answer';
    const readiness = new Readiness([{ name: 'store', check: async () => reason }], logger);
    await readiness.report();
    await readiness.report();
    reason = undefined;
    await readiness.report();
    await readiness.report();
    assert.deepEqual(
      logger.entries.map((e) => e.message),
      ['not ready', 'ready again'],
    );
  });

  it('once stopping, answers "stopping" without asking the checks', async () => {
    let asked = 0;
    const readiness = new Readiness(
      [
        {
          name: 'store',
          check: async () => {
            asked++;
          },
        },
      ],
      logger,
    );
    readiness.stopping();
    assert.deepEqual(await readiness.report(), { ready: false, failing: [STOPPING] });
    assert.equal(asked, 0);
  });
});
