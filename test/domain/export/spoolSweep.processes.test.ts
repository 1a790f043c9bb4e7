import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_SPOOL_DIRECTORY, EncryptedSpool, processSpoolFolder } from '../../../domain/export/encryptedSpool';
import { sweepSpools } from '../../../domain/export/spoolSweep';
import { useDesk } from '../../helpers/harness';
import { startSpoolHolder, type SpoolHolder } from '../../helpers/spoolHolder';

const DAY_MS = 24 * 3600_000;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function exists(path: string): Promise<boolean> {
  return (await readdir(join(path, '..'))).includes(basename(path));
}

describe('spools of a process killed with -9', function () {
  this.timeout(60_000);
  const holders: SpoolHolder[] = [];
  afterEach(async () => {
    await Promise.all(holders.splice(0).map((holder) => holder.kill()));
  });

  it('are gone after the sweep, while the spools of a live process and of this one survive and read back', async () => {
    const root = await mkdtemp(join(tmpdir(), 'privacy-desk-kill-test-'));
    try {
      const [killed, live] = await Promise.all([startSpoolHolder(root), startSpoolHolder(root)]);
      holders.push(killed, live);
      const bytes = randomBytes(512 * 1024);
      const mine = await EncryptedSpool.create(await processSpoolFolder(root));
      mine.writer(Readable.from([bytes]));
      await mine.finished();

      await killed.kill();
      assert.equal((await readdir(killed.folder)).filter((name) => name.endsWith('.spool')).length, 3, 'a crash leaves its spools behind');
      const swept = await sweepSpools(root, DAY_MS, new Date());
      assert.deepEqual(swept, { folders: 1, files: 3, bytes: 3 * 256 * 1024 });
      assert.deepEqual(
        (await readdir(root)).sort(),
        [live.folder, await processSpoolFolder(root)].map((folder) => basename(folder)).sort(),
        'nothing of the killed process is left',
      );
      assert.deepEqual(await live.read(), live.written, "the live process's spools read back whole");
      assert.deepEqual(await readAll(mine.reader()), bytes, "and so does this process's");
      await mine.discard();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the running bot sweeps what ended processes and dropped spools left', function () {
  this.timeout(90_000);
  // The bot sweeps the machine's real spool folder, which other test runs may sweep too. A stray file
  // in this process's own folder is one only this process's sweeper may remove: that proves the bot's.
  const stray = () => processSpoolFolder(DEFAULT_SPOOL_DIRECTORY).then((folder) => join(folder, `${randomBytes(8).toString('hex')}.spool`));
  let beforeStart: { holder: SpoolHolder; stray: string };
  before(async () => {
    const holder = await startSpoolHolder(DEFAULT_SPOOL_DIRECTORY);
    await holder.kill();
    beforeStart = { holder, stray: await stray() };
    await writeFile(beforeStart.stray, randomBytes(10));
  });
  const suite = useDesk();
  const holders: SpoolHolder[] = [];
  after(async () => {
    await Promise.all(holders.map((holder) => holder.kill()));
    await Promise.all([beforeStart.holder, ...holders].map((holder) => rm(holder.folder, { recursive: true, force: true })));
  });

  it('at start, and on its own beat afterwards (a background job)', async () => {
    assert.equal(await exists(beforeStart.stray), false, 'swept when the bot started');
    assert.equal(await exists(beforeStart.holder.folder), false);

    const live = await startSpoolHolder(DEFAULT_SPOOL_DIRECTORY);
    const killed = await startSpoolHolder(DEFAULT_SPOOL_DIRECTORY);
    holders.push(live, killed);
    await killed.kill();
    const later = await stray();
    await writeFile(later, randomBytes(10));
    await suite.running.desk.jobs.drain();
    assert.equal(await exists(later), false, 'swept by the background job');
    assert.equal(await exists(killed.folder), false);
    assert.deepEqual(await live.read(), live.written, 'a live process keeps its spools');

    const logged = suite.running.logger.entries.filter((e) => e.message === 'removed staging files left by processes that ended');
    assert.ok(logged.length >= 2, 'each sweep that removed something says so');
    for (const { fields } of logged) {
      assert.deepEqual(Object.keys(fields).sort(), ['bytes', 'files', 'folders'], 'counts only');
      assert.ok(Object.values(fields).every((value) => typeof value === 'number'));
    }
  });
});
