import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sinon from 'sinon';
import { systemClock } from '../../../domain/clock';
import { EncryptedSpool, ownSpoolFolder, processSpoolFolder, SPOOL_OWNER_FILE, thisProcess } from '../../../domain/export/encryptedSpool';
import { SpoolSweeper, sweepSpools } from '../../../domain/export/spoolSweep';
import { startSpoolHolder, type SpoolHolder } from '../../helpers/spoolHolder';
import { CapturingLogger } from '../../support/capturingLogger';

const DAY_MS = 24 * 3600_000;
const LONG_AGO = new Date('2020-01-01T00:00:00Z');
const FAR_LATER = new Date('2030-01-01T00:00:00Z');

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function spooled(folder: string, bytes: Buffer): Promise<EncryptedSpool> {
  const spool = await EncryptedSpool.create(folder);
  spool.writer(Readable.from([bytes]));
  await spool.finished();
  return spool;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sets every file and folder under `path` (and `path`) to `when`. */
async function age(path: string, when: Date): Promise<void> {
  if ((await stat(path)).isDirectory()) for (const name of await readdir(path)) await age(join(path, name), when);
  await utimes(path, when, when);
}

/** Lets collected objects go: a WeakRef keeps its target until the current job ends. */
async function collected(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
}

/** A folder as another process would have left it, with the owner file it wrote. */
async function folderOf(root: string, owner: object, name = `${process.pid}-${randomBytes(8).toString('hex')}`): Promise<string> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, SPOOL_OWNER_FILE), JSON.stringify(owner));
  await writeFile(join(folder, `${randomBytes(4).toString('hex')}.spool`), randomBytes(100));
  return folder;
}

describe('the spool sweep', function () {
  this.timeout(60_000);
  let root: string;
  let clock: sinon.SinonFakeTimers | undefined;
  const holders: SpoolHolder[] = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'privacy-desk-sweep-test-'));
  });
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    await Promise.all(holders.splice(0).map((holder) => holder.kill()));
    await rm(root, { recursive: true, force: true });
  });

  /** Only Date is faked: file times and the sweep's `now` are what the tests move. */
  const at = (now: Date) => {
    clock = sinon.useFakeTimers({ now, toFake: ['Date'] });
  };
  const holder = async () => {
    const started = await startSpoolHolder(root);
    holders.push(started);
    return started;
  };

  it('a missing directory is an empty one', async () => {
    assert.deepEqual(await sweepSpools(join(root, 'missing'), DAY_MS, new Date()), { folders: 0, files: 0, bytes: 0 });
  });

  it("removes a dead process's folder at start and at the periodic run, however young", async () => {
    const logger = new CapturingLogger();
    const sweeper = new SpoolSweeper({ directory: root, staleMs: DAY_MS, clock: systemClock, logger });
    at(new Date()); // the files will be seconds old: far younger than the day the old sweep waited
    const first = await holder();
    await first.kill();
    await sweeper.runOnce(); // at start
    assert.deepEqual(await readdir(root), [], 'gone at start');

    const second = await holder();
    await second.kill();
    assert.deepEqual(await readdir(root), [second.folder.slice(root.length + 1)]);
    await sweeper.runOnce(); // the next beat
    assert.deepEqual(await readdir(root), [], 'gone at the periodic run');

    assert.deepEqual(
      logger.entries.map((e) => e.fields),
      [
        { folders: 1, files: 3, bytes: 3 * 256 * 1024 },
        { folders: 1, files: 3, bytes: 3 * 256 * 1024 },
      ],
      'counts only',
    );
  });

  it("never touches a live process's spools or this process's open ones, however old, and they still read back", async () => {
    const other = await holder();
    const mine = randomBytes(64 * 1024);
    const spool = await spooled(await processSpoolFolder(root), mine);
    await age(root, LONG_AGO);
    at(FAR_LATER);
    assert.deepEqual(await sweepSpools(root, DAY_MS, new Date()), { folders: 0, files: 0, bytes: 0 });
    assert.equal((await readdir(other.folder)).filter((n) => n.endsWith('.spool')).length, 3);
    assert.deepEqual(await other.read(), other.written, "the other process's spools read back whole");
    assert.deepEqual(await readAll(spool.reader()), mine);
    await spool.discard();
  });

  it('removes the folder of a process whose pid now belongs to another process, keeps one whose owner runs', async function () {
    const self = await thisProcess();
    if (self.started === undefined) this.skip(); // start times come from /proc (Linux)
    at(new Date());
    await folderOf(root, { ...self, started: String(Number(self.started) - 1) }); // same pid, earlier start
    const running = await folderOf(root, self); // e.g. a second copy of the module in this process
    assert.deepEqual(await sweepSpools(root, DAY_MS, new Date()), { folders: 1, files: 1, bytes: 100 });
    assert.deepEqual(await readdir(root), [running.slice(root.length + 1)]);
  });

  it("removes orphans in this process's folder: files no spool refers to, and spools dropped without discard", async () => {
    const folder = await processSpoolFolder(root);
    await writeFile(join(folder, 'stray.spool'), randomBytes(10));
    // Dropped without discard, as an exception on the way would: only its path is left here.
    const dropped = async () => (await spooled(folder, randomBytes(20))).path;
    await dropped();
    const kept = await spooled(folder, randomBytes(30));
    await collected();
    at(new Date());
    assert.deepEqual(await sweepSpools(root, DAY_MS, new Date()), { folders: 0, files: 2, bytes: 10 + 20 });
    assert.deepEqual((await readdir(folder)).sort(), [SPOOL_OWNER_FILE, kept.path.slice(folder.length + 1)].sort());
    await kept.discard();
  });

  it('keeps the file of a spool that is being read even when nothing else refers to the spool', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const opened = async () => (await spooled(await processSpoolFolder(root), bytes)).reader();
    const reader = await opened();
    await collected();
    assert.deepEqual(await sweepSpools(root, DAY_MS, new Date()), { folders: 0, files: 0, bytes: 0 });
    assert.equal(sha256(await readAll(reader)), sha256(bytes));
    await collected();
    assert.equal((await sweepSpools(root, DAY_MS, new Date())).files, 1, 'once read and dropped, it is an orphan');
  });

  it('judges folders of another host or container by their heartbeat, and keeps its own heartbeat fresh', async () => {
    const now = new Date('2026-03-05T12:00:00Z');
    const elsewhere = { pid: 1, host: 'another-host' };
    const beating = await folderOf(root, elsewhere);
    await age(beating, new Date(now.getTime() - DAY_MS + 3600_000));
    const silent = await folderOf(root, elsewhere);
    await age(silent, new Date(now.getTime() - DAY_MS - 3600_000));
    const own = await processSpoolFolder(root);
    await age(own, LONG_AGO);
    at(now);
    assert.deepEqual(await sweepSpools(root, DAY_MS, new Date()), { folders: 1, files: 1, bytes: 100 });
    assert.deepEqual((await readdir(root)).sort(), [beating, own].map((f) => f.slice(root.length + 1)).sort());
    assert.equal((await stat(join(own, SPOOL_OWNER_FILE))).mtimeMs, now.getTime(), 'its own heartbeat was refreshed');
  });

  it('keeps a process folder without an owner file (being made) until it is older than the limit', async () => {
    const now = new Date('2026-03-05T12:00:00Z');
    const young = join(root, `4242-${randomBytes(8).toString('hex')}`);
    const old = join(root, `4243-${randomBytes(8).toString('hex')}`);
    for (const folder of [young, old]) await mkdir(folder);
    await utimes(young, new Date(now.getTime() - 60_000), new Date(now.getTime() - 60_000));
    await utimes(old, new Date(now.getTime() - 2 * DAY_MS), new Date(now.getTime() - 2 * DAY_MS));
    at(now);
    assert.deepEqual(await sweepSpools(root, DAY_MS, new Date()), { folders: 1, files: 0, bytes: 0 });
    assert.deepEqual(await readdir(root), [young.slice(root.length + 1)]);
  });

  it("a spool goes into this process's folder, which names its owner", async () => {
    const folder = await processSpoolFolder(root);
    assert.equal(folder, ownSpoolFolder(root));
    assert.match(folder.slice(root.length + 1), new RegExp(`^${process.pid}-[0-9a-f]{16}$`));
    assert.deepEqual(JSON.parse(await readFile(join(folder, SPOOL_OWNER_FILE), 'utf8')), await thisProcess());
    await rm(folder, { recursive: true });
    assert.equal(await processSpoolFolder(root), folder, 'made again if something removed it');
    assert.ok((await readdir(folder)).includes(SPOOL_OWNER_FILE));
  });
});
