import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where spools go unless the caller says otherwise. */
export const DEFAULT_SPOOL_DIRECTORY = join(tmpdir(), 'privacy-desk-spool');
const CIPHER = 'aes-256-ctr';
const SPOOL_SUFFIX = '.spool';
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * A temporary file for personal data that must wait its turn (a staged package file waits, compressed,
 * until it goes into the ZIP). It is encrypted with a key that exists only in this
 * object's memory, so a file left behind by a crash is unreadable, and it is deleted by `discard`.
 * Confidentiality is what matters here: the same process reads the file back minutes later, so
 * CTR mode without an authentication tag is enough.
 */
export class EncryptedSpool {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(16);
  private written?: Promise<void>;

  private constructor(readonly path: string) {}

  static async create(directory: string = DEFAULT_SPOOL_DIRECTORY): Promise<EncryptedSpool> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return new EncryptedSpool(join(directory, `${randomUUID()}${SPOOL_SUFFIX}`));
  }

  /**
   * Writes what `input` produces (through `stages`, in order) once; `finished()` settles when the
   * bytes are on disk. A failure anywhere destroys every stream, so no writer waits for a drain.
   */
  writer(input: Readable, ...stages: Transform[]): void {
    this.written = pipeline([input, ...stages, createCipheriv(CIPHER, this.key, this.iv), createWriteStream(this.path, { flags: 'wx', mode: 0o600 })]);
    // Observed by finished(); a failure here must not also surface as an unhandled rejection.
    this.written.catch(() => undefined);
  }

  async finished(): Promise<void> {
    if (!this.written) throw new Error('nothing was written to the spool');
    await this.written;
  }

  /** The plaintext again, from the start. */
  reader(): Readable {
    const decipher = createDecipheriv(CIPHER, this.key, this.iv);
    // Read back in the chunks it was written in, about 1 MiB: every chunk costs a trip through the
    // decipher and the ZIP writer's streams, and 64 KB chunks made the trips add up.
    const file = createReadStream(this.path, { highWaterMark: READ_CHUNK_BYTES });
    file.on('error', (error) => decipher.destroy(error));
    return file.pipe(decipher);
  }

  async discard(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/**
 * Removes spools older than `olderThanMs` (left by a process that crashed: unreadable without their
 * key, but they take disk space). Younger ones may belong to a live export of another instance.
 */
export async function sweepSpools(directory: string = DEFAULT_SPOOL_DIRECTORY, olderThanMs: number, now: Date): Promise<number> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return 0; // no directory, nothing spooled yet
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(SPOOL_SUFFIX))) {
    const path = join(directory, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now.getTime() - info.mtimeMs > olderThanMs) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}
