// Measured child: the baseline. The least a script could do with the same storage SDK and the same
// deflate (Node's zlib, same level): download each blob as a stream, keep the lines that pass
// BlobJsonLinesSource's own pre-filter, pipe them straight into one yazl ZIP entry (yazl deflates
// with zlib as it goes; Privacy Desk's zip.js only frames data zlib already compressed), and upload
// with BlockBlobClient.uploadStream in 4 MiB blocks, 4 at a time. No JSON parse, no CSV pass, no
// hashing, no manifest.
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { BlobServiceClient } from '@azure/storage-blob';
import { ZipFile } from 'yazl';
import { preFilter } from '../../adapters/sources/blobJsonLinesSource';
import { readChildInput, runMeasured } from '../lib/measure';
import { TELEMETRY_SOURCE_ID } from '../lib/protocol';

/** The same numbers as adapters/storage/azureBlobPackageStore.ts and domain/export/packageWriter.ts. */
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;
const ZIP_COMPRESSION_LEVEL = 6;

/**
 * Splits what flows through into lines and passes on, per incoming chunk, the lines that pass the
 * cheap check (the subject's id anywhere in the line, ignoring case), newline-terminated.
 */
class SubjectLines extends Transform {
  kept = 0;
  private tail = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly mentionsSubject: (line: string) => boolean) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const lines = (this.tail + this.decoder.write(chunk)).split('\n');
    this.tail = lines.pop() ?? '';
    done(null, this.keep(lines) || undefined);
  }

  override _flush(done: TransformCallback): void {
    const rest = this.tail + this.decoder.end();
    done(null, (rest && this.keep([rest])) || undefined);
  }

  private keep(lines: string[]): string {
    let out = '';
    for (const line of lines) {
      if (!this.mentionsSubject(line)) continue;
      out += line + '\n';
      this.kept += 1;
    }
    return out;
  }
}

async function main(): Promise<void> {
  const input = readChildInput('baseline');
  const service = BlobServiceClient.fromConnectionString(input.connectionString);
  const data = service.getContainerClient(input.dataContainer);
  const packages = service.getContainerClient(input.packageContainer);
  await packages.createIfNotExists();
  const blobName = `baseline/${input.runLabel}.zip`;
  // The same pre-filter as BlobJsonLinesSource.
  const wanted = preFilter(input.subjectId.toLowerCase());

  await runMeasured('baseline', async () => {
    const zip = new ZipFile();
    const entry = new PassThrough();
    zip.addReadStream(entry, `data/${TELEMETRY_SOURCE_ID}.jsonl`, { compressionLevel: ZIP_COMPRESSION_LEVEL });
    const zipped = zip.outputStream as Readable;
    let zipBytes = 0;
    zipped.on('data', (chunk: Buffer) => (zipBytes += chunk.length));
    const uploaded = packages.getBlockBlobClient(blobName).uploadStream(zipped, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
      blobHTTPHeaders: { blobContentType: 'application/zip' },
    });
    uploaded.catch((error: Error) => zipped.destroy(error));
    let kept = 0;
    for await (const blob of data.listBlobsFlat({ prefix: input.dataPrefix })) {
      const download = await data.getBlobClient(blob.name).download();
      if (!download.readableStreamBody) throw new Error(`blob ${blob.name} has no body`);
      const filter = new SubjectLines(wanted);
      await pipeline(download.readableStreamBody, filter, entry, { end: false });
      kept += filter.kept;
    }
    entry.end();
    zip.end();
    await uploaded;
    // What the ZIP emitted is what was uploaded; the parent checks the blob's size afterwards.
    return { packageBlob: blobName, zipBytes, keptRecords: kept };
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
