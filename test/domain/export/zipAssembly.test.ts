import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { ZipWriter } from '@zip.js/zip.js';
import { BlockStager } from '../../../domain/export/blockStaging';
import { pushed } from '../../../domain/export/webStreams';
import { ZipAssembly, type ExpectedEntry } from '../../../domain/export/zipAssembly';
import { MemoryBlockUpload } from '../../helpers/memoryBlockUpload';
import { unzip } from '../../helpers/unzip';

const mtime = new Date('2026-03-03T10:00:00Z');

interface TestFile {
  readonly path: string;
  readonly content: Buffer;
  readonly compressed: Buffer;
  /** Stage the compressed data as blocks first, as a source's JSON and CSV are. */
  readonly preStaged: boolean;
}

function file(path: string, content: Buffer, preStaged: boolean): TestFile {
  return { path, content, compressed: deflateRawSync(content), preStaged };
}

/** One chunk at a time, so the data reaches the writer in several pieces. */
function chunked(bytes: Buffer, size = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

function zipOptions(f: TestFile) {
  return { passThrough: true, compressionMethod: 8, uncompressedSize: f.content.length, crc32: crc32(f.content) >>> 0, lastModDate: mtime };
}

/** What zip.js writes for these files when nothing is replaced: the reference the assembly must reproduce. */
async function plainZip(files: readonly TestFile[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(Buffer.from(chunk)) });
  const zip = new ZipWriter(sink, { useWebWorkers: false, useCompressionStream: false });
  for (const f of files) await zip.add(f.path, { readable: chunked(f.compressed), size: f.compressed.length }, zipOptions(f));
  await zip.close();
  return Buffer.concat(chunks);
}

/** Writes the files through a ZipAssembly; `framed` may differ from what was staged (to test the check). */
async function assembled(files: readonly TestFile[], framed: (f: TestFile) => Buffer = (f) => f.compressed) {
  const upload = new MemoryBlockUpload();
  const stager = new BlockStager(upload, 1024);
  const assembly = new ZipAssembly(stager);
  const expected: ExpectedEntry[] = [];
  for (const f of files) {
    if (!f.preStaged) {
      expected.push({ compressedBytes: f.compressed.length });
      continue;
    }
    const own = new BlockStager(upload, 1024);
    await own.write(f.compressed);
    expected.push({
      compressedBytes: f.compressed.length,
      staged: { blocks: await own.finish(), bytes: f.compressed.length, crc32: crc32(f.compressed) >>> 0 },
    });
  }
  const stagedBeforeAssembly = upload.stagedBytes;
  const zip = new ZipWriter(pushed(assembly), { useWebWorkers: false, useCompressionStream: false });
  for (const [index, f] of files.entries()) {
    assembly.expect(expected[index]!);
    const data = framed(f);
    await zip.add(f.path, { readable: chunked(data), size: data.length }, zipOptions(f));
  }
  await zip.close();
  await finished(assembly);
  await upload.commit(await stager.finish());
  return { zip: upload.committed!, summary: assembly.result(), stagedByAssembly: upload.stagedBytes - stagedBeforeAssembly };
}

describe('ZipAssembly', function () {
  this.timeout(10_000);
  const files = [
    file('data/events.json', randomBytes(300 * 1024), true),
    file('data/events.csv', Buffer.from('n,text\n'.repeat(20_000)), true),
    file('data/notes.json', Buffer.from('[]\n'), false),
    file('cover-letter.md', Buffer.from('# Your data\n'.repeat(200)), false),
    file('manifest.json', Buffer.from('{"schemaVersion":"1.1"}\n'), false),
  ];

  it('commits byte for byte the ZIP the library writes, without staging the pre-staged data again', async () => {
    const reference = await plainZip(files);
    const { zip, summary, stagedByAssembly } = await assembled(files);
    assert.ok(zip.equals(reference), 'same bytes as an ordinary zip.js archive');
    assert.equal(summary.sizeBytes, zip.length);
    assert.equal(summary.sha256, createHash('sha256').update(zip).digest('hex'));
    const preStaged = files.filter((f) => f.preStaged).reduce((sum, f) => sum + f.compressed.length, 0);
    assert.equal(stagedByAssembly, zip.length - preStaged, 'the assembly staged only headers, small files and the directory');
    const unpacked = await unzip(zip);
    for (const f of files) assert.ok(unpacked.get(f.path)!.equals(f.content), f.path);
  });

  it('refuses to commit when the data framed differs from the blocks staged for it', async () => {
    const tampered = (f: TestFile) => (f.path === 'data/events.csv' ? Buffer.from(f.compressed).fill(0, 10, 20) : f.compressed);
    await assert.rejects(assembled(files, tampered), /differs from the blocks staged/);
  });

  it('refuses an entry whose sizes follow its data, which it could not find the end of', async () => {
    const upload = new MemoryBlockUpload();
    const assembly = new ZipAssembly(new BlockStager(upload));
    const zip = new ZipWriter(pushed(assembly), { useWebWorkers: false, useCompressionStream: false });
    const f = files[3]!;
    assembly.expect({ compressedBytes: f.compressed.length });
    // No size given with the data: zip.js leaves the sizes for a data descriptor.
    await assert.rejects(zip.add(f.path, chunked(f.compressed), zipOptions(f)), /data descriptor/);
  });
});
