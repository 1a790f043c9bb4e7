import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { BlockStager, StagedBlocks } from './blockStaging';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_FIXED_BYTES = 30;
const NAME_LENGTH_OFFSET = 26;
const EXTRA_LENGTH_OFFSET = 28;
const FLAGS_OFFSET = 6;
/** General-purpose flag bit 3: sizes and CRC follow the data in a descriptor. */
const DATA_DESCRIPTOR_FLAG = 0x0008;

/** An entry the ZIP writer is about to add, and where its data already is, if anywhere. */
export interface ExpectedEntry {
  /** Bytes of the entry's data as stored in the ZIP (compressed). */
  readonly compressedBytes: number;
  /** When the data was staged as blocks while it was produced: those blocks replace it. */
  readonly staged?: StagedBlocks;
}

type Phase =
  | { readonly kind: 'header'; readonly entry: ExpectedEntry; held: Buffer }
  | { kind: 'data'; readonly entry: ExpectedEntry; remaining: number; crc: number }
  | { readonly kind: 'between' }
  | { readonly kind: 'trailer' };

/**
 * The ZIP writer's output, turned into the package's block list.
 *
 * The ZIP library writes the whole archive here, data included, in order. Its headers, the data of
 * small files and the central directory are staged as new blocks. The data of an entry that was
 * staged while it was produced (a source's JSON and CSV) is not staged again: the assembly finds
 * where that data sits in the stream (local headers say how long they are) and puts the entry's
 * blocks in the list instead. Every byte still passes through here, so the size and SHA-256 of the
 * package are those of the ZIP exactly as committed, and a CRC-32 check proves each replaced range
 * equals its blocks.
 *
 * Call `expect()` for each entry before the ZIP writer adds it. Entries must have complete local
 * headers (the ZIP writer knows sizes and CRC up front), so no data descriptor needs finding.
 */
export class ZipAssembly extends Writable {
  private readonly queue: ExpectedEntry[] = [];
  private phase: Phase = { kind: 'between' };
  private readonly digest = createHash('sha256');
  private bytes = 0;

  constructor(private readonly stager: BlockStager) {
    super({ highWaterMark: 0 });
    // A failure reaches the ZIP writer through its pending write, which rejects with it; as an
    // 'error' event with nobody listening it would also bring the process down.
    this.on('error', () => undefined);
  }

  expect(entry: ExpectedEntry): void {
    if (this.phase.kind === 'trailer') throw new Error('the ZIP already ended with its central directory');
    this.queue.push(entry);
  }

  /** Size and SHA-256 of the ZIP, once it has ended. */
  result(): { sizeBytes: number; sha256: string } {
    return { sizeBytes: this.bytes, sha256: this.digest.digest('hex') };
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.digest.update(chunk);
    this.bytes += chunk.length;
    this.take(chunk).then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.phase.kind === 'header' || this.phase.kind === 'data' || this.queue.length > 0) {
      done(new Error('the ZIP ended inside an entry'));
      return;
    }
    this.stager.flush().then(() => done(), done);
  }

  private async take(chunk: Buffer): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      const phase = this.phase;
      switch (phase.kind) {
        case 'between': {
          const entry = this.queue.shift();
          this.phase = entry ? { kind: 'header', entry, held: Buffer.alloc(0) } : { kind: 'trailer' };
          break;
        }
        case 'header': {
          phase.held = Buffer.concat([phase.held, rest]);
          rest = Buffer.alloc(0);
          const length = localHeaderLength(phase.held);
          if (length === undefined || phase.held.length < length) break;
          await this.stager.write(phase.held.subarray(0, length));
          rest = phase.held.subarray(length);
          const { entry } = phase;
          if (entry.staged) await this.stager.insert(entry.staged.blocks);
          this.phase = entry.compressedBytes === 0 ? { kind: 'between' } : { kind: 'data', entry, remaining: entry.compressedBytes, crc: 0 };
          break;
        }
        case 'data': {
          const data = rest.subarray(0, phase.remaining);
          rest = rest.subarray(data.length);
          phase.remaining -= data.length;
          if (phase.entry.staged) phase.crc = crc32(data, phase.crc);
          else await this.stager.write(data);
          if (phase.remaining === 0) {
            const staged = phase.entry.staged;
            // Same length by construction (and a wrong one would misplace the next header, which is checked).
            if (staged && phase.crc >>> 0 !== staged.crc32) {
              throw new Error('a file written into the ZIP differs from the blocks staged for it');
            }
            this.phase = { kind: 'between' };
          }
          break;
        }
        case 'trailer':
          await this.stager.write(rest);
          rest = Buffer.alloc(0);
          break;
      }
    }
  }
}

/** The length of the local file header at the start of `bytes`, or undefined until 30 bytes are there. */
function localHeaderLength(bytes: Buffer): number | undefined {
  if (bytes.length < LOCAL_HEADER_FIXED_BYTES) return undefined;
  if (bytes.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error('the ZIP writer did not start an entry where one was expected');
  if (bytes.readUInt16LE(FLAGS_OFFSET) & DATA_DESCRIPTOR_FLAG)
    throw new Error('the ZIP writer left sizes for a data descriptor; entries need complete headers');
  return LOCAL_HEADER_FIXED_BYTES + bytes.readUInt16LE(NAME_LENGTH_OFFSET) + bytes.readUInt16LE(EXTRA_LENGTH_OFFSET);
}
