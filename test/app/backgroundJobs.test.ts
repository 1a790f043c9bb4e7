import assert from 'node:assert/strict';
import sinon from 'sinon';
import { BackgroundJobs } from '../../app/backgroundJobs';
import { CapturingLogger } from '../support/capturingLogger';

const POLL_MS = 1_000;

function counting() {
  const runner = {
    passes: 0,
    async runOnce() {
      runner.passes += 1;
      return false;
    },
  };
  return runner;
}

describe('BackgroundJobs', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('a kick runs the regular loops at once and leaves loops on a slower beat to their schedule', async () => {
    const regular = counting();
    const slow = counting();
    const jobs = new BackgroundJobs(new CapturingLogger(), POLL_MS).add('notifications', regular).add('deadlines', slow, 1, 60 * POLL_MS);
    jobs.start();
    await clock.tickAsync(0);
    assert.deepEqual([regular.passes, slow.passes], [1, 1], 'both run when started');

    jobs.kick();
    await clock.tickAsync(0);
    assert.deepEqual([regular.passes, slow.passes], [2, 1]);

    await clock.tickAsync(60 * POLL_MS);
    assert.equal(slow.passes, 2, 'the slow loop still runs on its own beat');
    await jobs.stop();
  });

  it('keeps polling after a drain whose pass was still running when the poll came due', async () => {
    let release: () => void = () => undefined;
    const slow = {
      passes: 0,
      async runOnce() {
        slow.passes += 1;
        if (slow.passes === 2) await new Promise<void>((r) => (release = r));
        return false;
      },
    };
    const jobs = new BackgroundJobs(new CapturingLogger(), POLL_MS).add('notifications', slow);
    jobs.start();
    await clock.tickAsync(0);
    const draining = jobs.drain();
    await clock.tickAsync(POLL_MS);
    release();
    await draining;
    const afterDrain = slow.passes;
    await clock.tickAsync(3 * POLL_MS);
    assert.ok(slow.passes > afterDrain, `the loop polls again (${slow.passes} passes after ${afterDrain})`);
    await jobs.stop();
  });
});
