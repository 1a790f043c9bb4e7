import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepSpools } from '../../../domain/export/spoolSweep';

describe('sweepSpools', () => {
  it('removes flat staging files of earlier versions older than the limit and leaves younger ones and other files alone', async () => {
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
      assert.deepEqual(await sweepSpools(directory, 24 * 3600_000, now), { folders: 0, files: 1, bytes: 1 });
      assert.deepEqual((await readdir(directory)).sort(), ['notes.txt', 'young.spool']);
      assert.deepEqual(await sweepSpools(join(directory, 'missing'), 1, now), { folders: 0, files: 0, bytes: 0 }, 'no folder yet is not an error');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
