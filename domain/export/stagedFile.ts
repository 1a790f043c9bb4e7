import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { stagingTee, type StagedBlocks } from './blockStaging';
import { EncryptedSpool } from './encryptedSpool';
import type { BlockUpload } from './packageStore';

/**
 * zlib's output chunk. Node's default (16 KB) costs a round trip to the main thread per 16 KB of
 * compressed output; while the main thread is busy reading records the deflater waits for it.
 */
const DEFLATE_CHUNK_BYTES = 256 * 1024;
/**
 * The deflater is handed input in chunks of about this size. Each chunk is one job on zlib's thread
 * pool followed by a turn of the main thread; with small chunks (a CSV row, a 64 KB batch) the
 * deflater spends its time waiting for that turn while the main thread reads records.
 */
const DEFLATE_INPUT_BYTES = 1024 * 1024;

/**
 * A package file, already compressed (raw deflate): staged as blocks of the package's upload, with a
 * copy waiting, encrypted, on local disk for its turn in the ZIP (which hashes it in order) and, if
 * the attempt fails, for being kept.
 */
export interface StagedFile {
  readonly path: string;
  /** Size, SHA-256 and CRC-32 of the file's content, as the recipient will unpack it. */
  readonly bytes: number;
  readonly sha256: string;
  readonly crc32: number;
  /** Size of the raw deflate data, as it sits in the ZIP. */
  readonly compressedBytes: number;
  /** Where that data already is in the package's upload, when it was staged as it was produced. */
  readonly blocks?: StagedBlocks;
  /** The raw deflate stream (decrypted, when it waited on local disk). */
  open(): Readable | Promise<Readable>;
  discard(): Promise<void>;
}

export interface StagingOptions {
  /** zlib's compression level for this file. */
  readonly level: number;
  /** The package's upload, where the compressed data is staged as blocks while it is produced. */
  readonly upload: BlockUpload;
  readonly spoolDirectory?: string;
}

/** Measures the plaintext flowing through: size, SHA-256 and CRC-32 (the ZIP's checksum). */
function measuring(): { stream: Transform; result: () => { bytes: number; sha256: string; crc32: number } } {
  const digest = createHash('sha256');
  let bytes = 0;
  let crc = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.update(chunk);
      crc = crc32(chunk, crc);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: digest.digest('hex'), crc32: crc >>> 0 }) };
}

/**
 * Compresses one package file into an encrypted spool as it is produced. Several files can be staged
 * at once (a source's JSON and CSV), each deflating on its own thread of zlib's pool, which is what
 * lets a large export use both cores; the ZIP is then assembled from the staged files without
 * compressing anything again.
 */
export class FileStaging {
  private constructor(
    readonly path: string,
    private readonly head: Readable,
    private readonly spool: EncryptedSpool,
    private readonly plain: ReturnType<typeof measuring>,
    private readonly staged: ReturnType<typeof stagingTee>,
  ) {}

  /**
   * Starts staging what `head` produces at the given zlib level. Write into `head`; end it when the file is complete, then await `finished()`.
   */
  static async start(path: string, head: Readable, options: StagingOptions): Promise<FileStaging> {
    const spool = await EncryptedSpool.create(options.spoolDirectory);
    const plain = measuring();
    const staged = stagingTee(options.upload);
    const stages: Transform[] = [
      rechunked(DEFLATE_INPUT_BYTES),
      plain.stream,
      createDeflateRaw({ level: options.level, chunkSize: DEFLATE_CHUNK_BYTES }),
      staged.stream,
    ];
    spool.writer(head, ...stages);
    return new FileStaging(path, head, spool, plain, staged);
  }

  async finished(): Promise<StagedFile> {
    await this.spool.finished();
    const spool = this.spool;
    const blocks = await this.staged.result();
    return { path: this.path, ...this.plain.result(), compressedBytes: blocks.bytes, blocks, open: () => spool.reader(), discard: () => spool.discard() };
  }

  /** Stops and deletes the staging; safe after a failure and more than once. */
  async discard(): Promise<void> {
    if (!this.head.readableEnded) this.head.destroy();
    await this.spool.finished().catch(() => undefined);
    await this.spool.discard();
  }
}

/** Joins small chunks (a CSV row, a batch of records) into ones of about `size` bytes. */
function rechunked(size: number): Transform {
  let parts: Buffer[] = [];
  let held = 0;
  const flush = (stream: Transform) => {
    if (held === 0) return;
    stream.push(Buffer.concat(parts, held));
    parts = [];
    held = 0;
  };
  // Holds at most one chunk being built and one finished: the deflater gets big jobs, memory stays small.
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // Big enough already (TextChunker's chunks stop a little short of 1 MiB): pass it on rather
      // than copy it (every copy is garbage for the GC to find).
      if (held === 0 && bytes.length >= size / 2) {
        this.push(bytes);
        return done();
      }
      parts.push(bytes);
      held += bytes.length;
      if (held >= size) flush(this);
      done();
    },
    flush(done) {
      flush(this);
      done();
    },
  });
}
