import type { Writable } from 'node:stream';
import { write } from './streamWrites';

/** About what zlib is handed per job (stagedFile.ts): one chunk here is one deflate job there. */
const CHUNK_BYTES = 1024 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes in UTF-8. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Encodes text (JSON records, CSV batches) straight into buffers of about 1 MiB and writes each, with
 * backpressure, when it is full. Joining the pieces into one string and converting that to a buffer
 * made two copies of every byte, the first of them garbage for the young generation to collect.
 */
export class TextChunker {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  constructor(private readonly sink: Writable) {}

  async add(text: string): Promise<void> {
    const worstCase = text.length * MAX_UTF8_BYTES_PER_UNIT;
    if (this.used + worstCase > this.buffer.length) {
      await this.flush();
      // A text bigger than a chunk (a huge record) gets a buffer of its exact size, not three times it.
      if (worstCase > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, Buffer.byteLength(text)));
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** Writes what is held. The buffer written belongs to the stream from then on: a new one is taken. */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    await write(this.sink, chunk);
  }
}
