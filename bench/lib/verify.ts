import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import yauzl from 'yauzl';
import type { PackageManifest } from '../../domain/export/packageLayout';
import { TELEMETRY_SOURCE_ID } from './protocol';

const NEWLINE = 0x0a;

interface EntryDigest {
  readonly bytes: number;
  readonly sha256: string;
  readonly newlines: number;
}

export interface Verification {
  readonly ok: boolean;
  readonly problems: string[];
  /** What was checked, for the JSON report. */
  readonly checked: Record<string, unknown>;
}

async function digest(stream: Readable): Promise<EntryDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  let newlines = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) newlines += 1;
  }
  return { bytes, sha256: hash.digest('hex'), newlines };
}

/** Every entry of the ZIP at `path`: manifest.json kept as text, everything else digested while streaming. */
async function readZip(path: string): Promise<{ entries: Map<string, EntryDigest>; manifestText?: string }> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const entries = new Map<string, EntryDigest>();
  let manifestText: string | undefined;
  try {
    for await (const entry of zip.eachEntry()) {
      const stream = await zip.openReadStreamPromise(entry);
      if (entry.fileName === 'manifest.json') {
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        manifestText = Buffer.concat(chunks).toString('utf8');
        entries.set(entry.fileName, { bytes: Buffer.byteLength(manifestText), sha256: '', newlines: 0 });
      } else {
        entries.set(entry.fileName, await digest(stream));
      }
    }
  } finally {
    zip.close();
  }
  return { entries, ...(manifestText !== undefined ? { manifestText } : {}) };
}

async function downloadAndHash(container: ContainerClient, blobName: string, path: string): Promise<{ bytes: number; sha256: string }> {
  await container.getBlobClient(blobName).downloadToFile(path);
  const { bytes, sha256 } = await digest(createReadStream(path));
  return { bytes, sha256 };
}

/**
 * Privacy Desk's package: manifest.json must count exactly the subject's generated records for the
 * telemetry source in both JSON and CSV; every file's bytes and SHA-256 must match the manifest; the
 * data files must really hold that many records; the ZIP must match what the request recorded.
 */
export async function verifyPrivacyDeskPackage(
  container: ContainerClient,
  blobName: string,
  localPath: string,
  expected: { subjectRecords: number; zipBytes?: number; zipSha256?: string },
): Promise<Verification> {
  const problems: string[] = [];
  const zipFile = await downloadAndHash(container, blobName, localPath);
  if (expected.zipBytes !== undefined && zipFile.bytes !== expected.zipBytes)
    problems.push(`ZIP is ${zipFile.bytes} bytes, the request recorded ${expected.zipBytes}`);
  if (expected.zipSha256 !== undefined && zipFile.sha256 !== expected.zipSha256) problems.push('ZIP SHA-256 differs from the one the request recorded');
  const { entries, manifestText } = await readZip(localPath);
  if (manifestText === undefined) return { ok: false, problems: [...problems, 'no manifest.json in the ZIP'], checked: { zip: zipFile } };
  const manifest = JSON.parse(manifestText) as PackageManifest;

  const source = manifest.sources.find((s) => s.id === TELEMETRY_SOURCE_ID);
  if (source?.records !== expected.subjectRecords)
    problems.push(`manifest.sources[${TELEMETRY_SOURCE_ID}].records = ${source?.records}, generated ${expected.subjectRecords}`);
  const fileChecks: Record<string, unknown>[] = [];
  for (const file of manifest.files) {
    const actual = entries.get(file.path);
    if (!actual) {
      problems.push(`${file.path} is in the manifest but not in the ZIP`);
      continue;
    }
    if (actual.bytes !== file.bytes) problems.push(`${file.path}: ${actual.bytes} bytes, manifest says ${file.bytes}`);
    if (actual.sha256 !== file.sha256) problems.push(`${file.path}: SHA-256 differs from the manifest`);
    // Content counts. JSON: "[\n  {..},\n  {..}\n]\n" has records + 2 newlines; CSV: a header line plus one per record.
    // The generated values hold no newlines, so counting lines counts records.
    let contentRecords: number | undefined;
    if (file.format === 'json') contentRecords = file.records === 0 ? 0 : actual.newlines - 2;
    if (file.format === 'csv') contentRecords = Math.max(0, actual.newlines - 1);
    if (contentRecords !== undefined && contentRecords !== file.records)
      problems.push(`${file.path}: holds ${contentRecords} records, manifest says ${file.records}`);
    fileChecks.push({
      path: file.path,
      format: file.format,
      manifestRecords: file.records,
      contentRecords,
      bytes: actual.bytes,
      sha256Matches: actual.sha256 === file.sha256,
    });
  }
  // A large source is split into parts: its JSON files together, and its CSV files together, hold every record.
  for (const format of ['json', 'csv'] as const) {
    const files = manifest.files.filter((f) => f.sourceId === TELEMETRY_SOURCE_ID && f.format === format);
    if (files.length === 0) problems.push(`no ${format} file for ${TELEMETRY_SOURCE_ID} in the manifest`);
    const total = files.reduce((sum, f) => sum + (f.records ?? 0), 0);
    if (total !== expected.subjectRecords) problems.push(`${TELEMETRY_SOURCE_ID} ${format} files count ${total} records, generated ${expected.subjectRecords}`);
  }
  const unlisted = [...entries.keys()].filter((name) => name !== 'manifest.json' && !manifest.files.some((f) => f.path === name));
  if (unlisted.length) problems.push(`in the ZIP but not in the manifest: ${unlisted.join(', ')}`);
  return {
    ok: problems.length === 0,
    problems,
    checked: { zip: zipFile, expectedSubjectRecords: expected.subjectRecords, manifestSources: manifest.sources, files: fileChecks },
  };
}

/** The baseline's ZIP: one entry holding exactly the subject's lines. */
export async function verifyBaselinePackage(
  container: ContainerClient,
  blobName: string,
  localPath: string,
  expected: { subjectRecords: number; subjectBytes: number; zipBytes?: number },
): Promise<Verification> {
  const problems: string[] = [];
  const zipFile = await downloadAndHash(container, blobName, localPath);
  if (expected.zipBytes !== undefined && zipFile.bytes !== expected.zipBytes)
    problems.push(`ZIP blob is ${zipFile.bytes} bytes, the archive emitted ${expected.zipBytes}`);
  const { entries } = await readZip(localPath);
  const name = `data/${TELEMETRY_SOURCE_ID}.jsonl`;
  const entry = entries.get(name);
  if (entries.size !== 1 || !entry) problems.push(`expected one entry ${name}, found ${[...entries.keys()].join(', ')}`);
  if (entry && entry.newlines !== expected.subjectRecords) problems.push(`${name}: ${entry.newlines} lines, generated ${expected.subjectRecords}`);
  if (entry && entry.bytes !== expected.subjectBytes) problems.push(`${name}: ${entry.bytes} bytes, generated ${expected.subjectBytes}`);
  return { ok: problems.length === 0, problems, checked: { zip: zipFile, entry: entry ? { name, ...entry } : undefined, expected } };
}
