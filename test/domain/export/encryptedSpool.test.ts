import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepSpools } from '../../../domain/export/encryptedSpool';

describe('sweepSpools', () => {
  it('removes staging files older than the limit and leaves younger ones and other files alone', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'privacy-desk-sweep-test-'));
    try {
      // Fixed dates on both sides: the outcome does not depend on the machine's clock.
      const now = new Date('2026-03-05T12:00:00Z');
      const twoDaysAgo = new Date('2026-03-03T12:00:00Z');
      const anHourAgo = new Date('2026-03-05T11:00:00Z');
      const old = join(directory, 'old.spool');
      await writeFile(old, 'x');
      await utimes(old, twoDaysAgo, twoDaysAgo);
      await writeFile(join(directory, 'young.spool'), 'x');
      await utimes(join(directory, 'young.spool'), anHourAgo, anHourAgo);
      await writeFile(join(directory, 'notes.txt'), 'x');
      await utimes(join(directory, 'notes.txt'), twoDaysAgo, twoDaysAgo);
      assert.equal(await sweepSpools(directory, 24 * 3600_000, now), 1);
      assert.deepEqual((await readdir(directory)).sort(), ['notes.txt', 'young.spool']);
      assert.equal(await sweepSpools(join(directory, 'missing'), 1, now), 0, 'no folder yet is not an error');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
