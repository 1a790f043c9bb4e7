import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepSpools } from '../../../domain/export/encryptedSpool';

describe('sweepSpools', () => {
  it('removes staging files older than the limit and leaves younger ones and other files alone', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'privacy-desk-sweep-test-'));
    try {
      const old = join(directory, 'old.spool');
      await writeFile(old, 'x');
      await utimes(old, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
      await writeFile(join(directory, 'young.spool'), 'x');
      await writeFile(join(directory, 'notes.txt'), 'x');
      await utimes(join(directory, 'notes.txt'), new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
      assert.equal(await sweepSpools(directory, 24 * 3600_000, new Date()), 1);
      assert.deepEqual((await readdir(directory)).sort(), ['notes.txt', 'young.spool']);
      assert.equal(await sweepSpools(join(directory, 'missing'), 1, new Date()), 0, 'no folder yet is not an error');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
