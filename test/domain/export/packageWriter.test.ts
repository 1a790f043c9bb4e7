import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, inflateRawSync } from 'node:zlib';
import { COLUMN_SAMPLE_RECORDS } from '../../../domain/export/csvRendering';
import { SourceFailure, withRawJson, type DataSource, type SourceRecord } from '../../../domain/export/dataSource';
import { COVER_LETTER_MARKDOWN, MANIFEST_FILE, type PackageManifest } from '../../../domain/export/packageLayout';
import { keptFile, writePackage, type GatheredSource, type WritePackageInput } from '../../../domain/export/packageWriter';
import type { KeptSource } from '../../../domain/requests/exportRequest';
import { exportingRequest, testDisclosure } from '../../helpers/exportFixtures';
import { MemoryBlockUpload } from '../../helpers/memoryBlockUpload';
import { unzip } from '../../helpers/unzip';

const request = exportingRequest({ reference: 'DSR-2026-0101', version: 2, receivedOn: '2026-03-02', dueOn: '2026-04-02' });

const SECRET_MARKER = 'cardiology-appointment-7731';

/** A tabular source that counts how often it is read. */
function countedSource(id: string, make: () => AsyncIterable<SourceRecord>): DataSource & { reads: number } {
  const source = {
    id,
    reads: 0,
    tabular: true,
    disclosure: { ...testDisclosure, title: id },
    records() {
      source.reads += 1;
      return make();
    },
  };
  return source;
}

/** What a (possibly unfinished) raw deflate stream decodes to; empty when it is not one. */
function inflatedPrefix(bytes: Buffer): string {
  try {
    return inflateRawSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
  } catch {
    return '';
  }
}

describe('writePackage', () => {
  let spoolDirectory: string;
  beforeEach(async () => {
    spoolDirectory = await mkdtemp(join(tmpdir(), 'privacy-desk-spool-test-'));
  });
  afterEach(() => rm(spoolDirectory, { recursive: true, force: true }));

  async function write(sources: DataSource[], more: Partial<WritePackageInput> = {}) {
    const upload = new MemoryBlockUpload();
    const summary = await writePackage(
      {
        request,
        sources,
        controller: { name: 'Contoso', contact: 'privacy@example.com', supervisoryAuthority: 'the DPA' },
        timeZone: 'UTC',
        generatedAt: new Date('2026-03-03T10:00:00Z'),
        signal: new AbortController().signal,
        spoolDirectory,
        ...more,
      },
      upload,
    );
    const zip = upload.committed!;
    assert.equal(zip.length, summary.sizeBytes);
    assert.equal(createHash('sha256').update(zip).digest('hex'), summary.sha256);
    const files = await unzip(zip);
    const manifest = JSON.parse(files.get(MANIFEST_FILE)!.toString()) as PackageManifest;
    assert.deepEqual(manifest, summary.manifest);
    for (const file of manifest.files) {
      assert.equal(files.get(file.path)!.length, file.bytes, file.path);
      assert.equal(createHash('sha256').update(files.get(file.path)!).digest('hex'), file.sha256, file.path);
    }
    return { files, manifest };
  }

  it('reads a tabular source once, and its CSV has one row per JSON record, in the same order', async () => {
    const events = countedSource('events', async function* () {
      for (let i = 0; i < 3 * COLUMN_SAMPLE_RECORDS; i += 1) yield { n: i, note: `event ${i}, "quoted"`, geo: { city: 'Leeds' }, offline: i % 2 === 0 };
    });
    const { files, manifest } = await write([events]);
    assert.equal(events.reads, 1);
    const json = JSON.parse(files.get('data/events.json')!.toString()) as Array<{ n: number }>;
    const csv = files.get('data/events.csv')!.toString().trimEnd().split('\n');
    assert.equal(json.length, 3 * COLUMN_SAMPLE_RECORDS);
    assert.equal(csv.length, json.length + 1);
    assert.equal(csv[0], 'n,note,geo,offline');
    assert.equal(csv[1], '0,"event 0, ""quoted""","{""city"":""Leeds""}",true');
    assert.equal(csv.at(-1), `${json.length - 1},"event ${json.length - 1}, ""quoted""","{""city"":""Leeds""}",false`);
    assert.deepEqual(
      manifest.files.filter((f) => f.sourceId === 'events').map((f) => [f.format, f.records]),
      [
        ['json', json.length],
        ['csv', json.length],
      ],
    );
  });

  it("the letter's dates are the tenant's days: late evening in UTC is already tomorrow in Auckland", async () => {
    const profile = countedSource('profile', async function* () {
      yield { name: 'Megan' };
    });
    const generatedAt = new Date('2026-03-03T22:30:00Z');
    const letter = (timeZone: string) => write([profile], { generatedAt, timeZone }).then(({ files }) => files.get(COVER_LETTER_MARKDOWN)!.toString());
    assert.match(await letter('Pacific/Auckland'), /Wed 4 Mar 2026/);
    assert.doesNotMatch(await letter('Pacific/Auckland'), /Tue 3 Mar 2026/);
    assert.match(await letter('Europe/London'), /Tue 3 Mar 2026/);
  });

  it("a source's compressed data goes to storage while the source is still being read, not after", async () => {
    const upload = new MemoryBlockUpload();
    let stagedWhenReadingEnded = -1;
    // About 16 MB that barely compresses: several storage blocks' worth.
    const events = countedSource('events', async function* () {
      for (let i = 0; i < 1600; i += 1) yield { n: i, blob: randomBytes(7_500).toString('base64') };
      stagedWhenReadingEnded = upload.stagedBytes;
    });
    await writePackage(
      {
        request,
        sources: [events],
        controller: { name: 'C', contact: 'c', supervisoryAuthority: 'a' },
        timeZone: 'UTC',
        generatedAt: new Date(),
        signal: new AbortController().signal,
        spoolDirectory,
      },
      upload,
    );
    assert.ok(stagedWhenReadingEnded >= 4 * 1024 * 1024, `only ${stagedWhenReadingEnded} bytes were in storage when the source ended`);
    assert.ok(upload.committed!.length > 16_000_000);
  });

  it('an export called off after its sources were read (a lost lease) commits and keeps nothing', async () => {
    const calledOff = new AbortController();
    const upload = new MemoryBlockUpload();
    let keptAfterwards = false;
    const events = countedSource('events', async function* () {
      yield { n: 1 };
    });
    await assert.rejects(
      writePackage(
        {
          request,
          sources: [events],
          controller: { name: 'C', contact: 'c', supervisoryAuthority: 'a' },
          timeZone: 'UTC',
          generatedAt: new Date(),
          signal: calledOff.signal,
          spoolDirectory,
          onProgress: async () => calledOff.abort(new Error('export lease lost')),
          keepOnFailure: async () => {
            keptAfterwards = true;
          },
        },
        upload,
      ),
      /lease lost|abort/i,
    );
    assert.equal(upload.committed, undefined);
    assert.equal(keptAfterwards, false, "what it read is not kept: the request is another worker's now");
  });

  it('a field that first appears after the columns were chosen still gets its column, without reading the source again', async () => {
    const late = COLUMN_SAMPLE_RECORDS + 50;
    const events = countedSource('events', async function* () {
      for (let i = 0; i < late + 10; i += 1) yield i >= late ? { n: i, returnedAt: `2026-03-0${(i % 9) + 1}` } : { n: i };
    });
    const { files } = await write([events]);
    assert.equal(events.reads, 1, 'the CSV is rebuilt from the staged JSON');
    const csv = files.get('data/events.csv')!.toString().trimEnd().split('\n');
    assert.equal(csv[0], 'n,returnedAt');
    assert.equal(csv[1], '0,');
    assert.equal(csv[late + 1], `${late},2026-03-0${(late % 9) + 1}`);
    assert.equal(csv.length, late + 11);
  });

  it('records kept as they came, with a lone "\\r" inside, survive the CSV being rebuilt for a late column', async () => {
    const late = COLUMN_SAMPLE_RECORDS + 5;
    const events = countedSource('events', async function* () {
      for (let i = 0; i < late + 3; i += 1)
        yield i >= late ? withRawJson({ n: i, extra: 'x' }, `{"n":${i},\r"extra":"x"}`) : withRawJson({ n: i }, `{"n":\r${i}}`);
    });
    const { files } = await write([events]);
    assert.equal((JSON.parse(files.get('data/events.json')!.toString()) as unknown[]).length, late + 3);
    const csv = files.get('data/events.csv')!.toString().trimEnd().split('\n');
    assert.equal(csv[0], 'n,extra');
    assert.equal(csv.length, late + 4);
    assert.equal(csv.at(-1), `${late + 2},x`);
  });

  it('a large source is split into parts, each a complete JSON array and CSV, read once and listed in the manifest', async () => {
    const events = countedSource('events', async function* () {
      for (let i = 0; i < 1000; i += 1) yield i >= 450 ? { n: i, late: `value ${i}` } : { n: i };
    });
    const { files, manifest } = await write([events], { partRecords: 300 });
    assert.equal(events.reads, 1);
    assert.ok(!files.has('data/events.json'), 'no single file when there are parts');
    const parts = manifest.files.filter((file) => file.sourceId === 'events');
    assert.deepEqual(
      parts.map((file) => [file.path, file.part, file.records]),
      [
        ['data/events.part-0001.json', 1, 300],
        ['data/events.part-0001.csv', 1, 300],
        ['data/events.part-0002.json', 2, 300],
        ['data/events.part-0002.csv', 2, 300],
        ['data/events.part-0003.json', 3, 300],
        ['data/events.part-0003.csv', 3, 300],
        ['data/events.part-0004.json', 4, 100],
        ['data/events.part-0004.csv', 4, 100],
      ],
    );
    assert.equal(manifest.sources.find((source) => source.id === 'events')!.records, 1000);
    const json = [1, 2, 3, 4].flatMap((part) => JSON.parse(files.get(`data/events.part-000${part}.json`)!.toString()) as Array<{ n: number }>);
    assert.deepEqual(
      json.map((record) => record.n),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    const csv = (part: number) => files.get(`data/events.part-000${part}.csv`)!.toString().trimEnd().split('\n');
    assert.equal(csv(1)[0], 'n', 'the first part had no late field');
    assert.equal(csv(2)[0], 'n,late', 'the part where it appeared gets the column');
    assert.equal(csv(2)[1], '300,');
    assert.equal(csv(2)[151], '450,value 450');
    assert.equal(csv(4)[0], 'n,late');
    assert.match(
      files.get('cover-letter.md')!.toString(),
      /data\/events\.part-0001\.json, data\/events\.part-0001\.csv, .*data\/events\.part-0004\.csv/,
      'the letter names the parts',
    );
  });

  it('a source that exactly fills its parts gets no empty last part; one that fits in a part keeps a single file', async () => {
    const exact = countedSource('exact', async function* () {
      for (let i = 0; i < 600; i += 1) yield { n: i };
    });
    const small = countedSource('small', async function* () {
      for (let i = 0; i < 300; i += 1) yield { n: i };
    });
    const { manifest } = await write([exact, small], { partRecords: 300 });
    assert.deepEqual(
      manifest.files.filter((file) => file.format === 'json').map((file) => [file.path, file.records]),
      [
        ['data/exact.part-0001.json', 300],
        ['data/exact.part-0002.json', 300],
        ['data/small.json', 300],
      ],
    );
  });

  it('a source with fewer records than the sample, or none, still gets its CSV', async () => {
    const { files } = await write([
      countedSource('few', async function* () {
        yield { a: 1 };
        yield { a: 2, b: 'x' };
      }),
      countedSource('none', async function* () {}),
    ]);
    assert.equal(files.get('data/few.csv')!.toString(), 'a,b\n1,\n2,x\n');
    assert.equal(files.get('data/none.csv')!.toString(), '');
  });

  it('what waits on disk is unreadable, and is gone afterwards', async () => {
    let onDisk: Buffer[] = [];
    const events = countedSource('events', async function* () {
      for (let i = 0; i < 8 * COLUMN_SAMPLE_RECORDS; i += 1) {
        if (i === 8 * COLUMN_SAMPLE_RECORDS - 1) {
          // The last record waits until both staged files hold data on disk (compression and writing
          // run in the background); a writer that stopped staging as it reads would hang here, and
          // mocha's timeout would say so.
          for (;;) {
            onDisk = await Promise.all((await readdir(spoolDirectory)).map((name) => readFile(join(spoolDirectory, name))));
            if (onDisk.length === 2 && onDisk.every((file) => file.length > 64 * 1024)) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
        yield { n: i, diagnosis: SECRET_MARKER, note: randomBytes(300).toString('base64') };
      }
    });
    const { files } = await write([events]);
    assert.equal(onDisk.length, 2, 'the JSON and the CSV are staged side by side');
    for (const file of onDisk) {
      assert.ok(file.length > 64 * 1024, 'records were staged as they were read');
      // Staged files are compressed: without encryption they would inflate back to the records.
      assert.ok(!inflatedPrefix(file).includes(SECRET_MARKER), 'a staged file cannot be read without its key');
    }
    assert.ok(files.get('data/events.csv')!.toString().includes(SECRET_MARKER), 'the package can');
    assert.deepEqual(await readdir(spoolDirectory), []);
  });

  it("a source's file that breaks while read is that source's failure; storage breaking while its files are stored is not", async () => {
    const withFiles = (open: () => Promise<NodeJS.ReadableStream>): DataSource => ({
      ...countedSource('m365', async function* () {
        yield { n: 1 };
      }),
      async *files() {
        yield { name: 'mailbox/export.json', bytes: 10, open };
      },
    });
    const broken = withFiles(async () =>
      Readable.from(
        (async function* () {
          yield Buffer.from('{"partial":');
          throw new Error('socket hang up');
        })(),
      ),
    );
    await assert.rejects(
      write([broken]),
      (error: unknown) => error instanceof SourceFailure && error.sourceId === 'm365' && error.reason === 'its files could not be read',
    );

    const fine = withFiles(async () => Readable.from([Buffer.from('{"ok":true}')]));
    const storage = new MemoryBlockUpload();
    let stagedBlocks = 0;
    // Injected fault: the store refuses the block that holds the handed-over file (after the data's JSON and CSV).
    storage.stageBlock = async (data) => {
      stagedBlocks += 1;
      if (stagedBlocks > 2) throw new Error('503 ServerBusy');
      return MemoryBlockUpload.prototype.stageBlock.call(storage, data);
    };
    await assert.rejects(
      writePackage(
        {
          request,
          sources: [fine],
          controller: { name: 'C', contact: 'c', supervisoryAuthority: 'a' },
          timeZone: 'UTC',
          generatedAt: new Date(),
          signal: new AbortController().signal,
          spoolDirectory,
        },
        storage,
      ),
      (error: unknown) => !(error instanceof SourceFailure) && /ServerBusy/.test(String(error)),
    );
  });

  it('a source failing mid-stream leaves nothing staged behind', async () => {
    const flaky = countedSource('flaky', async function* () {
      for (let i = 0; i < 2 * COLUMN_SAMPLE_RECORDS; i += 1) yield { n: i };
      throw new Error('connection reset');
    });
    await assert.rejects(write([flaky]), (error: unknown) => error instanceof SourceFailure && error.sourceId === 'flaky');
    assert.deepEqual(await readdir(spoolDirectory), []);
  });

  it('a failure hands over the sources read completely; the next attempt copies them instead of reading them', async () => {
    const events = countedSource('events', async function* () {
      for (let i = 0; i < 2 * COLUMN_SAMPLE_RECORDS; i += 1) yield { n: i, note: `event ${i}` };
    });
    let flakyFails = true;
    const flaky = countedSource('flaky', async function* () {
      yield { n: 1 };
      if (flakyFails) throw new Error('connection reset');
    });
    // Stands in for the package store's staging area.
    const stored = new Map<string, Buffer>();
    let handedOver: readonly GatheredSource[] = [];
    const keepOnFailure = async (sources: readonly GatheredSource[]) => {
      handedOver = sources;
      for (const source of sources) {
        for (const { staged } of source.files) {
          const chunks: Buffer[] = [];
          for await (const chunk of await staged.open()) chunks.push(chunk as Buffer);
          stored.set(`kept/${staged.path}`, Buffer.concat(chunks));
        }
      }
    };
    const firstAttempt = new Date('2026-03-03T09:00:00Z');
    await assert.rejects(
      write([events, flaky], { keepOnFailure, generatedAt: firstAttempt }),
      (error: unknown) => error instanceof SourceFailure && error.sourceId === 'flaky',
    );
    assert.deepEqual(
      handedOver.map((source) => source.sourceId),
      ['events'],
      'only what was read completely',
    );
    assert.deepEqual([...stored.keys()].sort(), ['kept/data/events.csv', 'kept/data/events.json']);
    assert.deepEqual(await readdir(spoolDirectory), [], 'local staging is deleted once handed over');

    const kept: KeptSource = {
      records: handedOver[0]!.records,
      gatheredAt: handedOver[0]!.gatheredAt,
      files: handedOver[0]!.files.map((file) => keptFile(file, `kept/${file.staged.path}`)),
    };
    flakyFails = false;
    const { files, manifest } = await write([events, flaky], { kept: { events: kept }, readKept: async (name) => Readable.from([stored.get(name)!]) });
    assert.equal(events.reads, 1, 'the kept source was not read again');
    assert.equal(flaky.reads, 2);
    assert.equal((JSON.parse(files.get('data/events.json')!.toString()) as unknown[]).length, 2 * COLUMN_SAMPLE_RECORDS);
    assert.equal(files.get('data/events.csv')!.toString().split('\n')[1], '0,event 0');
    assert.deepEqual(
      manifest.sources.map((source) => [source.id, source.gatheredAt]),
      [
        ['events', firstAttempt.toISOString()],
        ['flaky', '2026-03-03T10:00:00.000Z'],
      ],
    );

    // Kept without its compressed size (the ZIP's header needs it before the data): read again instead.
    const unsized: KeptSource = { ...kept, files: kept.files.map(({ compressedBytes: _unknown, ...file }) => file) };
    const again = await write([events, flaky], { kept: { events: unsized }, readKept: async (name) => Readable.from([stored.get(name)!]) });
    assert.equal(events.reads, 2, 'read again');
    assert.equal((JSON.parse(again.files.get('data/events.json')!.toString()) as unknown[]).length, 2 * COLUMN_SAMPLE_RECORDS);
  });
});
