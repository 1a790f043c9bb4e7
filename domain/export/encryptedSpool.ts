import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where spools go unless the caller says otherwise. */
export const DEFAULT_SPOOL_DIRECTORY = join(tmpdir(), 'privacy-desk-spool');
const CIPHER = 'aes-256-ctr';
export const SPOOL_SUFFIX = '.spool';
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * This process's folder in a spool directory: `<pid>-<random>`. The random part tells it apart from a
 * folder a dead process with the same pid left; the owner file inside tells the sweeper
 * (spoolSweep.ts) whether that process still runs.
 */
const PROCESS_FOLDER = `${process.pid}-${randomBytes(8).toString('hex')}`;
export const PROCESS_FOLDER_PATTERN = /^([1-9]\d*)-[0-9a-f]{16}$/;
/** Who owns a process folder, written once when the folder is made; its mtime is the owner's heartbeat. */
export const SPOOL_OWNER_FILE = 'owner.json';

/**
 * What identifies a process beyond its pid, so a reused pid is not mistaken for the owner. The start
 * time (clock ticks since boot, Linux) changes when a pid is reused; `host`, `boot` and `pidNamespace`
 * say whether the pid can be looked up from here at all (another machine sharing the folder, a
 * previous boot, another container). Where /proc is missing (macOS, Windows) only pid and host are known.
 */
export interface SpoolOwner {
  readonly pid: number;
  readonly host: string;
  readonly boot?: string;
  readonly pidNamespace?: string;
  readonly started?: string;
}

/** The state letter and start time of a process from /proc (Linux); undefined where it cannot be read. */
export async function procStat(pid: number): Promise<{ readonly state: string; readonly started: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ... field 22 is starttime; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ? { state: fields[0]!, started: fields[19] } : undefined;
  } catch {
    return undefined;
  }
}

let thisProcessOwner: Promise<SpoolOwner> | undefined;

/** This process, as its folders' owner file records it. */
export function thisProcess(): Promise<SpoolOwner> {
  thisProcessOwner ??= (async () => {
    const [boot, pidNamespace, stat] = await Promise.all([
      readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
        (id) => id.trim(),
        () => undefined,
      ),
      readlink(`/proc/${process.pid}/ns/pid`).catch(() => undefined),
      procStat(process.pid),
    ]);
    return {
      pid: process.pid,
      host: hostname(),
      ...(boot ? { boot } : {}),
      ...(pidNamespace ? { pidNamespace } : {}),
      ...(stat ? { started: stat.started } : {}),
    };
  })();
  return thisProcessOwner;
}

/** Where this process's spools go under `root`, whether or not it exists yet. */
export function ownSpoolFolder(root: string = DEFAULT_SPOOL_DIRECTORY): string {
  return join(root, PROCESS_FOLDER);
}

const ownerWritten = new Set<string>();

/**
 * This process's folder under `root`, made (with its owner file) if needed — again if something
 * removed it while the process ran.
 */
export async function processSpoolFolder(root: string = DEFAULT_SPOOL_DIRECTORY): Promise<string> {
  const folder = ownSpoolFolder(root);
  const made = await mkdir(folder, { recursive: true, mode: 0o700 });
  if (made !== undefined || !ownerWritten.has(folder)) {
    // Written aside and renamed: a sweeper never reads half an owner file.
    const aside = join(folder, `${SPOOL_OWNER_FILE}.${randomBytes(4).toString('hex')}`);
    await writeFile(aside, JSON.stringify(await thisProcess()), { mode: 0o600 });
    await rename(aside, join(folder, SPOOL_OWNER_FILE));
    ownerWritten.add(folder);
  }
  return folder;
}

/**
 * Spools of this process by path. Weak: a spool dropped without `discard` (an exception on the way)
 * is collected with its key, and the sweeper may then delete its unreadable file. A spool whose file
 * is being written or read is also held strongly (`busy`), so it cannot be collected mid-way.
 */
const spools = new Map<string, WeakRef<EncryptedSpool>>();
const busy = new Map<EncryptedSpool, number>();

function hold(spool: EncryptedSpool): () => void {
  busy.set(spool, (busy.get(spool) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (busy.get(spool) ?? 1) - 1;
    if (left > 0) busy.set(spool, left);
    else busy.delete(spool);
  };
}

/** Whether a spool object of this process still refers to the file at `path` (anything else there is an orphan). */
export function isLiveSpool(path: string): boolean {
  const spool = spools.get(path)?.deref();
  if (!spool) spools.delete(path);
  return spool !== undefined;
}

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

  /**
   * A new spool in this process's folder under DEFAULT_SPOOL_DIRECTORY, which the sweeper looks
   * after. With `directory`, the spool goes straight into that folder, and the caller cleans it up (tests).
   */
  static async create(directory?: string): Promise<EncryptedSpool> {
    if (directory !== undefined) await mkdir(directory, { recursive: true, mode: 0o700 });
    const folder = directory ?? (await processSpoolFolder(DEFAULT_SPOOL_DIRECTORY));
    const spool = new EncryptedSpool(join(folder, `${randomUUID()}${SPOOL_SUFFIX}`));
    // Known before the file exists: a sweep never sees the file without its spool.
    spools.set(spool.path, new WeakRef(spool));
    return spool;
  }

  /**
   * Writes what `input` produces (through `stages`, in order) once; `finished()` settles when the
   * bytes are on disk. A failure anywhere destroys every stream, so no writer waits for a drain.
   */
  writer(input: Readable, ...stages: Transform[]): void {
    const release = hold(this);
    this.written = pipeline([input, ...stages, createCipheriv(CIPHER, this.key, this.iv), createWriteStream(this.path, { flags: 'wx', mode: 0o600 })]);
    // Observed by finished(); a failure here must not also surface as an unhandled rejection.
    this.written.then(release, release);
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
    const release = hold(this);
    decipher.once('close', release);
    const file = createReadStream(this.path, { highWaterMark: READ_CHUNK_BYTES });
    file.on('error', (error) => decipher.destroy(error));
    return file.pipe(decipher);
  }

  async discard(): Promise<void> {
    // Forgotten first: if removing fails, the sweeper removes the file later.
    spools.delete(this.path);
    await rm(this.path, { force: true });
  }
}
