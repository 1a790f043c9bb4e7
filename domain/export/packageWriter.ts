import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { ZipWriter } from '@zip.js/zip.js';
import type { ExportRequest, KeptFile, KeptSource } from '../requests/exportRequest';
import { renderHtml, renderMarkdown, type ControllerDetails } from './coverLetter';
import { BlockStager } from './blockStaging';
import { letterLanguage } from './coverLetterText';
import { letterSections } from './letterForRegime';
import { asSourceFailure, type DataSource, type SourceContext, type SourceRecord } from './dataSource';
import {
  COVER_LETTER_HTML,
  COVER_LETTER_MARKDOWN,
  MANIFEST_FILE,
  sourceFilePath,
  PACKAGE_SCHEMA_VERSION,
  type ManifestFile,
  type PackageManifest,
} from './packageLayout';
import type { BlockUpload } from './packageStore';
import { stageParts, type PackageFile } from './sourceParts';
import { FileStaging, type StagedFile } from './stagedFile';
import { pulled, pushed } from './webStreams';
import { ZipAssembly } from './zipAssembly';

/** zlib's default: what the recipient's data files, letters and manifest are compressed with. */
const DEFAULT_COMPRESSION_LEVEL = 6;
/**
 * The CSV repeats the JSON's records for spreadsheets. Level 1 deflates it about five times faster
 * than level 6 for about 15 % more bytes on that file (measured on telemetry-like records), which
 * keeps a large export close to the cost of zipping its data once (docs/decisions/0008).
 */
const CSV_COMPRESSION_LEVEL = 1;
const DEFLATED = 8;

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
  /** The tenant's IANA time zone, for the letter's dates. */
  readonly timeZone: string;
  readonly generatedAt: Date;
  readonly signal: AbortSignal;
  /** Called after each source is written (awaited), for progress reporting. */
  readonly onProgress?: (progress: { readonly sourceId: string; readonly records: number; readonly done: number; readonly total: number }) => Promise<void>;
  /** Where files wait, compressed and encrypted, for their turn in the ZIP (default: the system's temp folder). */
  readonly spoolDirectory?: string;
  /** Records per part of a large source (default PART_RECORDS); tests use small parts. */
  readonly partRecords?: number;
  /** Sources an earlier attempt gathered, by id: their files are copied from the store, not read again. */
  readonly kept?: Readonly<Record<string, KeptSource>>;
  readonly readKept?: (blobName: string) => Promise<NodeJS.ReadableStream>;
  /**
   * When the package fails, the sources this attempt gathered completely, so the caller can keep them
   * for the next attempt. Awaited before their files are deleted.
   */
  readonly keepOnFailure?: (sources: readonly GatheredSource[]) => Promise<void>;
}

/** A source read completely by this attempt, with its staged files. */
export interface GatheredSource {
  readonly sourceId: string;
  readonly records: number;
  readonly gatheredAt: string;
  readonly files: readonly PackageFile[];
}

/**
 * Writes one export package into `upload` as a ZIP: data per source (JSON, and CSV when tabular), the
 * cover letter in Markdown and HTML, then manifest.json with every file's record count and SHA-256.
 * The upload is committed when the package is complete; on failure the caller abandons it.
 *
 * Each source is read once. Its JSON and CSV are compressed at the same time (two deflaters, two
 * cores) and staged as blocks of the upload while they are produced, so the package is in storage
 * by the time the source is read. The ZIP library (zip.js) then writes the archive around them from
 * an encrypted local copy, and the assembly puts the staged blocks in place of their data
 * (docs/decisions/0009). Memory stays flat: records and compressed bytes flow through in chunks,
 * with backpressure at every step.
 */
export async function writePackage(input: WritePackageInput, upload: BlockUpload): Promise<PackageSummary> {
  const stager = new BlockStager(upload);
  const assembly = new ZipAssembly(stager);
  // The signal stops the assembly too when the export is called off (a lost lease) after the reading.
  const zip = new ZipWriter(pushed(assembly), { useWebWorkers: false, useCompressionStream: false, signal: input.signal });
  const mtime = input.generatedAt;
  const manifestFiles: ManifestFile[] = [];
  const addToZip = async (file: PackageFile) => {
    await addStaged(zip, assembly, file.staged, mtime);
    manifestFiles.push({ path: file.staged.path, ...file.entry, bytes: file.staged.bytes, sha256: file.staged.sha256 });
  };

  const counted: Array<{ source: DataSource; records: number; gatheredAt: string }> = [];
  // Sources this attempt read completely (except those read afresh each attempt): if the package fails, the caller may keep them.
  const gathered: GatheredSource[] = [];
  // Every file this attempt staged on disk, deleted when the attempt ends, whatever happens.
  const staged: PackageFile[] = [];
  try {
    for (const source of input.sources) {
      input.signal.throwIfAborted();
      const kept = usableKept(input.kept?.[source.id]);
      let records: number;
      let gatheredAt: string;
      if (kept) {
        const fromStore = keptSource(source, kept, input.readKept);
        for (const file of fromStore.files) await addToZip(file);
        ({ records, gatheredAt } = fromStore);
      } else {
        gatheredAt = input.generatedAt.toISOString();
        const files: PackageFile[] = [];
        records = await stageAndFrame(source, input, upload, addToZip, (file) => {
          files.push(file);
          staged.push(file);
        });
        if (!source.readEachAttempt) gathered.push({ sourceId: source.id, records, gatheredAt, files });
      }
      counted.push({ source, records, gatheredAt });
      await input.onProgress?.({ sourceId: source.id, records, done: counted.length, total: input.sources.length });
    }
    // The letter names each source's files as they are in the package (parts included).
    const sources = counted.map((entry) => ({
      ...entry,
      dataFiles: manifestFiles
        .filter((file) => file.sourceId === entry.source.id && (file.format === 'json' || file.format === 'csv'))
        .map((file) => file.path),
    }));
    const sections = letterSections({
      request: input.request,
      sources,
      generatedAt: input.generatedAt,
      controller: input.controller,
      timeZone: input.timeZone,
    });
    await addToZip({ staged: inMemory(COVER_LETTER_MARKDOWN, renderMarkdown(sections)), entry: { format: 'markdown' } });
    await addToZip({
      staged: inMemory(COVER_LETTER_HTML, renderHtml(sections, letterLanguage(input.request.subject.preferredLanguage))),
      entry: { format: 'html' },
    });
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
      sources: counted.map(({ source, records, gatheredAt }) => ({
        id: source.id,
        title: source.disclosure.title,
        records,
        portable: source.disclosure.portable,
        gatheredAt,
      })),
      files: manifestFiles,
    };
    await addStaged(zip, assembly, inMemory(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n'), mtime);
    await zip.close();
    await finished(assembly);
    await upload.commit(await stager.finish());
    return { manifest, ...assembly.result() };
  } catch (error) {
    // Stops the ZIP writer's pending writes; nothing is committed, the caller abandons the upload.
    assembly.destroy();
    // Keeping is best effort: the caller reports its own trouble; the export's failure is what is thrown.
    // Called off (a lost lease): the request is another worker's now, and so are its kept files.
    if (gathered.length > 0 && !input.signal.aborted) await input.keepOnFailure?.(gathered).catch(() => undefined);
    throw error;
  } finally {
    await Promise.all(staged.map((file) => file.staged.discard()));
  }
}

/**
 * Reads one source once, staging it part by part, and frames each part into the ZIP while the next
 * one is read (the upload of a large source overlaps its reading). Files the source hands over as
 * they are follow its data. Returns the number of records.
 */
async function stageAndFrame(
  source: DataSource,
  input: WritePackageInput,
  upload: BlockUpload,
  frame: (file: PackageFile) => Promise<void>,
  onStaged: (file: PackageFile) => void,
): Promise<number> {
  let records = 0;
  let framing: Promise<void> = Promise.resolve();
  const frameAfter = async (files: readonly PackageFile[]) => {
    for (const file of files) onStaged(file);
    // One part is framed while the next is read: wait for the one before.
    await framing;
    framing = (async () => {
      for (const file of files) await frame(file);
    })();
    // Observed by the next frameAfter or at the end; never unhandled meanwhile.
    framing.catch(() => undefined);
  };
  const parts = stageParts(readSource(source, input), {
    sourceId: source.id,
    tabular: source.tabular,
    portable: source.disclosure.portable,
    jsonLevel: DEFAULT_COMPRESSION_LEVEL,
    csvLevel: CSV_COMPRESSION_LEVEL,
    upload,
    spoolDirectory: input.spoolDirectory,
    partRecords: input.partRecords,
  });
  for await (const part of parts) {
    records += part.records;
    await frameAfter(part.files);
  }
  if (source.files) {
    const files = source.files.bind(source);
    // Reading the files is the source's part (its failures are its own); staging and framing them
    // is ours, and a storage failure there must not be blamed on the source.
    for await (const file of fromSource(source, input, () => files(sourceContext(source, input)), FILES_UNREADABLE)) {
      const bytes = fromSource(source, input, () => file.open() as Promise<AsyncIterable<Buffer>>, FILES_UNREADABLE);
      const staging = await FileStaging.start(sourceFilePath(source.id, file.name), Readable.from(bytes), {
        level: DEFAULT_COMPRESSION_LEVEL,
        upload,
        spoolDirectory: input.spoolDirectory,
      });
      const staged = await staging.finished().catch(async (error: unknown) => {
        await staging.discard();
        throw error;
      });
      await frameAfter([{ staged, entry: { sourceId: source.id, format: 'file', portable: source.disclosure.portable } }]);
    }
  }
  await framing;
  return records;
}

/** What the request records of a gathered file kept in the store under `blobName` (keptSource reads it back). */
export function keptFile({ staged, entry }: PackageFile, blobName: string): KeptFile {
  const format = entry.format === 'json' || entry.format === 'csv' ? entry.format : 'file';
  return {
    path: staged.path,
    format,
    ...(entry.records === undefined ? {} : { records: entry.records }),
    bytes: staged.bytes,
    sha256: staged.sha256,
    crc32: staged.crc32,
    compressedBytes: staged.compressedBytes,
    ...(entry.part === undefined ? {} : { part: entry.part }),
    blobName,
  };
}

/** A kept source is copied only when every file records its compressed size (the ZIP's headers need it up front); otherwise it is read again. */
function usableKept(kept: KeptSource | undefined): KeptSource | undefined {
  return kept?.files.every((file) => file.compressedBytes !== undefined) ? kept : undefined;
}

/** A source an earlier attempt gathered: its files come from the store, the source is not read. */
function keptSource(
  source: DataSource,
  kept: KeptSource,
  readKept: WritePackageInput['readKept'],
): { files: PackageFile[]; records: number; gatheredAt: string } {
  if (!readKept) throw new Error('kept sources need readKept');
  const files = kept.files.map((file): PackageFile => ({
    staged: {
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      crc32: file.crc32,
      compressedBytes: file.compressedBytes!,
      open: async () => Readable.from(await readKept(file.blobName)),
      discard: async () => undefined,
    },
    entry: {
      sourceId: source.id,
      format: file.format,
      ...(file.records === undefined ? {} : { records: file.records }),
      portable: source.disclosure.portable,
      ...(file.part === undefined ? {} : { part: file.part }),
    },
  }));
  return { files, records: kept.records, gatheredAt: kept.gatheredAt };
}

/**
 * Adds a staged (already deflated) file to the ZIP as it is. The size given with the data lets zip.js
 * write a complete local header, which is what the assembly reads to find the data.
 */
async function addStaged(zip: ZipWriter<unknown>, assembly: ZipAssembly, file: StagedFile, mtime: Date): Promise<void> {
  assembly.expect({ compressedBytes: file.compressedBytes, ...(file.blocks ? { staged: file.blocks } : {}) });
  await zip.add(
    file.path,
    { readable: pulled(await file.open()), size: file.compressedBytes },
    {
      passThrough: true,
      compressionMethod: DEFLATED,
      uncompressedSize: file.bytes,
      crc32: file.crc32,
      lastModDate: mtime,
    },
  );
}

/** Small generated files (letters, manifest) are compressed in memory. */
function inMemory(path: string, text: string): StagedFile {
  const content = Buffer.from(text);
  const compressed = deflateRawSync(content, { level: DEFAULT_COMPRESSION_LEVEL });
  return {
    path,
    bytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    crc32: crc32(content) >>> 0,
    compressedBytes: compressed.length,
    open: () => Readable.from([compressed]),
    discard: async () => undefined,
  };
}

function sourceContext(source: DataSource, input: WritePackageInput): SourceContext {
  const checkpoint = input.request.sourceCheckpoints?.[source.id];
  return { requestId: input.request.id, subject: input.request.subject, signal: input.signal, ...(checkpoint ? { checkpoint } : {}) };
}

function readSource(source: DataSource, input: WritePackageInput): AsyncGenerator<SourceRecord> {
  return fromSource(source, input, () => source.records(input.request.subject, input.signal, sourceContext(source, input)));
}

const FILES_UNREADABLE = 'its files could not be read';

/** What a source hands over, with whatever goes wrong while it does so reported as that source's failure. */
async function* fromSource<T>(
  source: DataSource,
  input: WritePackageInput,
  items: () => AsyncIterable<T> | Promise<AsyncIterable<T>>,
  reason?: string,
): AsyncGenerator<T> {
  try {
    for await (const item of await items()) yield item;
  } catch (error) {
    throw asSourceFailure(source.id, error, input.signal, reason);
  }
}
