import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import { stringify } from 'csv-stringify';
import type { ExportRequest } from '../requests/exportRequest';
import { coverLetterSections, renderHtml, renderMarkdown, type ControllerDetails } from './coverLetter';
import { letterLanguage } from './coverLetterText';
import { rawJsonOf, SourceFailure, type DataSource, type SourceContext, type SourceRecord } from './dataSource';
import {
  COVER_LETTER_HTML,
  COVER_LETTER_MARKDOWN,
  dataFile,
  MANIFEST_FILE,
  sourceFilePath,
  PACKAGE_SCHEMA_VERSION,
  type ManifestFile,
  type PackageManifest,
} from './packageLayout';

/** Columns beyond this are left to the JSON file: a CSV with thousands of columns helps nobody. */
export const MAX_CSV_COLUMNS = 200;
const ZIP_COMPRESSION_LEVEL = 6;

export interface PackageSummary {
  readonly manifest: PackageManifest;
  /** Bytes and SHA-256 of the ZIP itself, as uploaded. */
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface WritePackageInput {
  readonly request: ExportRequest;
  readonly sources: readonly DataSource[];
  readonly controller: ControllerDetails;
  readonly generatedAt: Date;
  readonly signal: AbortSignal;
  /** Called after each source is written (awaited), for progress reporting. */
  readonly onProgress?: (progress: { readonly sourceId: string; readonly records: number; readonly done: number; readonly total: number }) => Promise<void>;
}

/**
 * Streams one export package into `out` as a ZIP: data per source (JSON, and CSV when tabular), the
 * cover letter in Markdown and HTML, then manifest.json with every file's record count and SHA-256.
 * Memory stays flat: records flow from the source through the zip deflater to `out` one chunk at a
 * time, and backpressure is honoured at every step. A source is read twice when it is tabular
 * (JSON pass, then CSV pass) rather than buffered.
 */
export async function writePackage(input: WritePackageInput, out: Writable): Promise<PackageSummary> {
  const archive = new ZipArchive({ zlib: { level: ZIP_COMPRESSION_LEVEL } });
  const tap = hashingTap();
  const uploaded = pipeline(archive, tap.stream, out);
  // If the upload fails first, stop feeding the archive and fail the entry being written, so nothing
  // waits for a drain that will never come.
  const current: { entry?: Transform } = {};
  uploaded.catch((error: unknown) => {
    archive.abort();
    current.entry?.destroy(error instanceof Error ? error : new Error(String(error)));
  });

  const files: ManifestFile[] = [];
  const counted: Array<{ source: DataSource; records: number }> = [];
  try {
    for (const source of input.sources) {
      input.signal.throwIfAborted();
      const json = await writeEntry(archive, current, dataFile(source.id, 'json'), (sink) => writeJson(source, input, sink));
      files.push({ ...json.file, sourceId: source.id, format: 'json', records: json.records, portable: source.disclosure.portable });
      if (source.tabular) {
        const csv = await writeEntry(archive, current, dataFile(source.id, 'csv'), (sink) => writeCsv(source, input, json.columns, sink));
        files.push({ ...csv.file, sourceId: source.id, format: 'csv', records: csv.records, portable: source.disclosure.portable });
      }
      if (source.files) {
        for await (const file of source.files(sourceContext(source, input))) {
          const entry = await writeEntry(archive, current, sourceFilePath(source.id, safeFileName(file.name)), async (sink) => {
            await pipeline(await file.open(), sink, { end: false });
            return { records: 0, columns: [] };
          });
          files.push({ ...entry.file, sourceId: source.id, format: 'file', portable: source.disclosure.portable });
        }
      }
      counted.push({ source, records: json.records });
      await input.onProgress?.({ sourceId: source.id, records: json.records, done: counted.length, total: input.sources.length });
    }
    const sections = coverLetterSections({ request: input.request, sources: counted, generatedAt: input.generatedAt, controller: input.controller });
    for (const [path, format, text] of [
      [COVER_LETTER_MARKDOWN, 'markdown', renderMarkdown(sections)],
      [COVER_LETTER_HTML, 'html', renderHtml(sections, letterLanguage(input.request.subject.preferredLanguage))],
    ] as const) {
      const entry = await writeEntry(archive, current, path, async (sink) => {
        await write(sink, text);
        return { records: 0, columns: [] };
      });
      files.push({ ...entry.file, format });
    }
    const manifest: PackageManifest = {
      schemaVersion: PACKAGE_SCHEMA_VERSION,
      generatedAt: input.generatedAt.toISOString(),
      request: {
        reference: input.request.reference,
        regime: input.request.regime,
        receivedOn: input.request.receivedOn,
        dueOn: input.request.dueOn,
      },
      subject: { objectId: input.request.subject.objectId },
      sources: counted.map(({ source, records }) => ({ id: source.id, title: source.disclosure.title, records, portable: source.disclosure.portable })),
      files,
    };
    archive.append(JSON.stringify(manifest, null, 2) + '\n', { name: MANIFEST_FILE, date: input.generatedAt });
    await archive.finalize();
    await uploaded;
    return { manifest, ...tap.result() };
  } catch (error) {
    archive.abort();
    out.destroy(error instanceof Error ? error : new Error(String(error)));
    await uploaded.catch(() => undefined);
    throw error;
  }
}

interface EntryResult {
  readonly records: number;
  readonly columns: readonly string[];
}

/** Appends one file to the archive through a hashing stream; resolves once the archive has consumed it all. */
async function writeEntry(
  archive: ZipArchive,
  current: { entry?: Transform },
  name: string,
  fill: (sink: Writable) => Promise<EntryResult>,
): Promise<EntryResult & { file: { path: string; bytes: number; sha256: string } }> {
  const tap = hashingTap();
  current.entry = tap.stream;
  archive.append(tap.stream, { name });
  const consumed = once(tap.stream, 'end');
  // Settled here so a failure while filling is reported once, by the fill, not as an unhandled rejection.
  consumed.catch(() => undefined);
  const result = await fill(tap.stream);
  tap.stream.end();
  await consumed;
  const { sizeBytes, sha256 } = tap.result();
  return { ...result, file: { path: name, bytes: sizeBytes, sha256 } };
}

/** A pass-through that counts and hashes what flows through it. */
function hashingTap(): { stream: Transform; result: () => { sizeBytes: number; sha256: string } } {
  const digest = createHash('sha256');
  let sizeBytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      digest.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ sizeBytes, sha256: digest.digest('hex') }) };
}

async function write(sink: Writable, chunk: string): Promise<void> {
  if (!sink.write(chunk)) await once(sink, 'drain');
}

/**
 * Records are about a kilobyte; handing each to the hash, the archive and zlib one by one costs a
 * thread-pool round trip per record and leaves the CPU idle. Batching into ~64 KB chunks keeps
 * memory flat and lets deflate work on real blocks.
 */
const BATCH_BYTES = 64 * 1024;

class BatchedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: Writable) {}

  async add(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await write(this.sink, chunk);
  }
}

function sourceContext(source: DataSource, input: WritePackageInput): SourceContext {
  const checkpoint = input.request.sourceCheckpoints?.[source.id];
  return { requestId: input.request.id, subject: input.request.subject, signal: input.signal, ...(checkpoint ? { checkpoint } : {}) };
}

/** File names come from elsewhere (another service's export): keep them to a safe alphabet inside the folder. */
function safeFileName(name: string): string {
  const cleaned = name
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..')
    .map((part) => part.replace(/[^A-Za-z0-9._-]/g, '_'))
    .join('/');
  return cleaned || 'file';
}

async function* readSource(source: DataSource, input: WritePackageInput): AsyncGenerator<SourceRecord> {
  try {
    for await (const record of source.records(input.request.subject, input.signal, sourceContext(source, input))) yield record;
  } catch (error) {
    if (error instanceof SourceFailure || input.signal.aborted) throw error;
    throw new SourceFailure(source.id, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

async function writeJson(source: DataSource, input: WritePackageInput, sink: Writable): Promise<EntryResult> {
  const columns = new Set<string>();
  let records = 0;
  const out = new BatchedWriter(sink);
  await out.add('[');
  for await (const record of readSource(source, input)) {
    await out.add((records === 0 ? '\n  ' : ',\n  ') + (rawJsonOf(record) ?? JSON.stringify(record)));
    records += 1;
    if (source.tabular && columns.size < MAX_CSV_COLUMNS) for (const key of Object.keys(record)) columns.add(key);
  }
  await out.add(records === 0 ? ']\n' : '\n]\n');
  await out.flush();
  return { records, columns: [...columns].slice(0, MAX_CSV_COLUMNS) };
}

async function writeCsv(source: DataSource, input: WritePackageInput, columns: readonly string[], sink: Writable): Promise<EntryResult> {
  const csv = stringify({ header: true, columns: [...columns], cast: { object: (value) => JSON.stringify(value), boolean: (v) => String(v) } });
  const out = new BatchedWriter(sink);
  // csv-stringify emits a chunk per row; batch them before they reach the archive.
  const drained = (async () => {
    for await (const chunk of csv) await out.add(String(chunk));
    await out.flush();
  })();
  const produced = (async () => {
    let records = 0;
    try {
      for await (const record of readSource(source, input)) {
        if (!csv.write(record)) await once(csv, 'drain');
        records += 1;
      }
    } finally {
      csv.end();
    }
    return records;
  })();
  // Both sides settle together: a failing sink or source rejects here, never unhandled.
  const [records] = await Promise.all([produced, drained]);
  return { records, columns };
}
