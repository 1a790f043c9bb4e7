import { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';

/** Upload with the same block size and concurrency as the product's package upload. */
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;
/** Lines are handed to the upload in chunks of about this size. */
const CHUNK_BYTES = 256 * 1024;
/** Blobs generated and uploaded at the same time. */
const PARALLEL_BLOBS = 2;
/** Below this a record cannot hold its fixed fields. */
export const MIN_BYTES_PER_RECORD = 400;

export interface DatasetSpec {
  readonly records: number;
  /** Size of each JSON line, newline included (ASCII, so characters = bytes). */
  readonly bytesPerRecord: number;
  readonly blobs: number;
  /** Fraction of lines about the subject; the rest are about other (fake) people. */
  readonly subjectShare: number;
  readonly seed: number;
  readonly subjectId: string;
  readonly prefix: string;
}

export interface BlobSummary {
  readonly name: string;
  readonly records: number;
  readonly subjectRecords: number;
  readonly subjectBytes: number;
  readonly bytes: number;
}

export interface DatasetSummary {
  readonly blobs: readonly BlobSummary[];
  readonly records: number;
  readonly subjectRecords: number;
  readonly bytes: number;
  readonly subjectBytes: number;
}

/** sfc32: small, fast, seedable; the same seed gives the same data set on every machine. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
  let c = 0xb7e15162 ^ Math.imul(seed, 0xc2b2ae35);
  let d = 1 ^ seed;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i += 1) next();
  return next;
}

const EVENTS = ['app_open', 'sync', 'upload_photo', 'view_report', 'search', 'share_link', 'edit_form', 'sign_in', 'export_pdf', 'app_close'];
const DEVICES = ['iPhone 15', 'iPhone 13', 'Pixel 8', 'Galaxy S24', 'Galaxy Tab S9', 'Surface Pro 9', 'ThinkPad X1', 'iPad Air'];
const VERSIONS = ['4.1.2', '4.2.0', '4.2.1', '4.3.0', '4.3.1'];
const SCREENS = ['home', 'inbox', 'job-detail', 'map', 'camera', 'settings', 'reports', 'customer'];
const NETWORKS = ['wifi', 'lte', '5g', 'offline', 'ethernet'];
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'nl-NL', 'es-ES'];
const PLACES = [
  ['DE', 'Berlin'],
  ['DE', 'Munich'],
  ['FR', 'Paris'],
  ['NL', 'Utrecht'],
  ['GB', 'Leeds'],
  ['US', 'Seattle'],
  ['ES', 'Madrid'],
  ['US', 'Austin'],
] as const;
/** Filler vocabulary: free text compresses like free text, not like random bytes or a repeated byte. */
const WORDS = (
  'customer site visit completed photo uploaded report pending review signature captured invoice draft meeting ' +
  'scheduled follow up required parts ordered warehouse delivery route delayed traffic weather inspection passed ' +
  'failed safety check equipment serial number warranty claim approved rejected escalated manager note added ' +
  'battery low sync conflict resolved offline queue flushed attachment large retry succeeded timeout network ' +
  'slow login token refreshed permission granted denied location shared map opened directions started arrived ' +
  'departed break lunch overtime shift ended started checklist item ticked unticked comment edited deleted'
).split(' ');
const HEX = '0123456789abcdef';

function pick<T>(rng: () => number, from: readonly T[]): T {
  return from[Math.floor(rng() * from.length)]!;
}

function hex(rng: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += HEX[Math.floor(rng() * 16)];
  return out;
}

/** A fake objectId for someone other than the subject (it cannot contain the subject's id). */
function otherPerson(n: number): string {
  return `c0ffee00-${(n % 10000).toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const OTHER_PEOPLE = 5000;
const BASE_TIME = Date.UTC(2026, 0, 1);

/** One telemetry event as a JSON line of exactly `bytes` bytes (newline included). */
export function recordLine(rng: () => number, index: number, userId: string, bytes: number): string {
  const [country, city] = pick(rng, PLACES);
  const head =
    `{"eventId":"evt-${index.toString().padStart(10, '0')}","userId":"${userId}",` +
    `"timestamp":"${new Date(BASE_TIME + index * 1000 + Math.floor(rng() * 1000)).toISOString()}",` +
    `"event":"${pick(rng, EVENTS)}","device":"${pick(rng, DEVICES)}","appVersion":"${pick(rng, VERSIONS)}",` +
    `"durationMs":${Math.floor(rng() * 20000)},"sessionId":"${hex(rng, 16)}","screen":"${pick(rng, SCREENS)}",` +
    `"network":"${pick(rng, NETWORKS)}","locale":"${pick(rng, LOCALES)}","offline":${rng() < 0.1},` +
    `"geo":{"country":"${country}","city":"${city}"},"details":"`;
  const tail = '"}\n';
  const room = bytes - head.length - tail.length;
  let details = '';
  while (details.length < room) details += (details ? ' ' : '') + pick(rng, WORDS);
  return head + details.slice(0, Math.max(0, room)) + tail;
}

/** The lines of one blob, in chunks, generated as they are read: the blob is never in memory whole. */
function blobStream(
  spec: DatasetSpec,
  blobIndex: number,
  first: number,
  count: number,
  tally: { subjectRecords: number; subjectBytes: number; bytes: number },
): Readable {
  const rng = seededRandom(spec.seed * 1000 + blobIndex);
  function* chunks(): Generator<Buffer> {
    let chunk = '';
    for (let i = 0; i < count; i += 1) {
      const mine = spec.subjectShare >= 1 || rng() < spec.subjectShare;
      const line = recordLine(rng, first + i, mine ? spec.subjectId : otherPerson(Math.floor(rng() * OTHER_PEOPLE)), spec.bytesPerRecord);
      if (mine) {
        tally.subjectRecords += 1;
        tally.subjectBytes += line.length;
      }
      tally.bytes += line.length;
      chunk += line;
      if (chunk.length >= CHUNK_BYTES) {
        yield Buffer.from(chunk, 'latin1');
        chunk = '';
      }
    }
    if (chunk) yield Buffer.from(chunk, 'latin1');
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Generates the data set and uploads it as `spec.blobs` JSON-lines blobs, streamed. */
export async function uploadDataset(container: ContainerClient, spec: DatasetSpec, onBlob?: (blob: BlobSummary) => void): Promise<DatasetSummary> {
  await container.createIfNotExists();
  const blobs: BlobSummary[] = [];
  let nextBlob = 0;
  const worker = async () => {
    for (let k = nextBlob++; k < spec.blobs; k = nextBlob++) {
      const first = Math.floor((k * spec.records) / spec.blobs);
      const count = Math.floor(((k + 1) * spec.records) / spec.blobs) - first;
      const name = `${spec.prefix}part-${k.toString().padStart(3, '0')}.jsonl`;
      const tally = { subjectRecords: 0, subjectBytes: 0, bytes: 0 };
      await container.getBlockBlobClient(name).uploadStream(blobStream(spec, k, first, count, tally), UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
        blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
      });
      blobs[k] = { name, records: count, ...tally };
      onBlob?.(blobs[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BLOBS, spec.blobs) }, worker));
  const sum = (f: (b: BlobSummary) => number) => blobs.reduce((n, b) => n + f(b), 0);
  return {
    blobs,
    records: sum((b) => b.records),
    subjectRecords: sum((b) => b.subjectRecords),
    bytes: sum((b) => b.bytes),
    subjectBytes: sum((b) => b.subjectBytes),
  };
}
