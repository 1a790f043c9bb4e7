import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import {
  DEFAULT_SPOOL_DIRECTORY,
  isLiveSpool,
  ownSpoolFolder,
  procStat,
  PROCESS_FOLDER_PATTERN,
  SPOOL_OWNER_FILE,
  SPOOL_SUFFIX,
  thisProcess,
  type SpoolOwner,
} from './encryptedSpool';

/** What one sweep removed: counts only (the names are random, but logs get counts and nothing else). */
export interface SpoolSweepResult {
  /** Folders of processes that ended, removed whole. */
  readonly folders: number;
  /** Spool files removed: in those folders, orphans in this process's folder, and old flat ones. */
  readonly files: number;
  readonly bytes: number;
}

type Verdict = 'alive' | 'dead' | 'unknown';

/**
 * Removes the encrypted spools nobody can read any more (their key died with a process, or with a
 * spool object that was never discarded), and never one a live export may still read, however old:
 * - a folder `<pid>-<random>` whose owner process has ended — the pid is gone, is a zombie, or now
 *   belongs to a process that started at another time — is removed whole, whatever its age;
 * - in this process's own folder, spool files no live spool object refers to;
 * - a folder whose owner cannot be looked up from here (another host, boot or container sharing the
 *   folder) or that has no owner file yet goes when its owner file (refreshed by every sweep of the
 *   owner) or the folder is older than `staleMs`;
 * - flat `*.spool` files of versions before process folders go when older than `staleMs`.
 * A folder that does not exist is an empty one.
 */
export async function sweepSpools(directory: string = DEFAULT_SPOOL_DIRECTORY, staleMs: number, now: Date): Promise<SpoolSweepResult> {
  const result = { folders: 0, files: 0, bytes: 0 };
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result; // nothing spooled yet
    throw error;
  }
  const self = await thisProcess();
  const own = ownSpoolFolder(directory);
  const olderThan = (mtimeMs: number) => now.getTime() - mtimeMs > staleMs;

  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isFile() && entry.name.endsWith(SPOOL_SUFFIX)) {
      // Left by a version that spooled flat: no owner to ask, so by age, as before.
      const info = await stat(path).catch(() => undefined);
      if (info && olderThan(info.mtimeMs) && (await removed(path))) count(result, info.size);
    } else if (entry.isDirectory() && path === own) {
      // The heartbeat that tells sweepers which cannot look our pid up that we still run.
      await utimes(join(path, SPOOL_OWNER_FILE), now, now).catch(() => undefined);
      for (const name of await readdir(path).catch(() => [] as string[])) {
        const file = join(path, name);
        if (!name.endsWith(SPOOL_SUFFIX) || isLiveSpool(file)) continue;
        const info = await stat(file).catch(() => undefined);
        if (info && (await removed(file))) count(result, info.size);
      }
    } else if (entry.isDirectory() && PROCESS_FOLDER_PATTERN.test(entry.name)) {
      const owner = await readOwner(path);
      const verdict = owner ? await judge(owner.owner, self) : 'unknown';
      const heartbeat = owner?.mtimeMs ?? (await stat(path).catch(() => undefined))?.mtimeMs;
      if (verdict === 'alive' || (verdict === 'unknown' && (heartbeat === undefined || !olderThan(heartbeat)))) continue;
      const inside = await sizes(path);
      if (await removed(path)) {
        result.folders += 1;
        for (const size of inside) count(result, size);
      }
    }
  }
  return result;
}

/**
 * Whether the owner of a folder still runs. From the same host, boot and pid namespace its pid can be
 * asked: gone (or a zombie) is dead; alive with another start time is a reused pid, so dead too;
 * alive where the start time cannot be read (no /proc, or not allowed) counts as alive. From
 * anywhere else the pid means nothing here: unknown.
 */
async function judge(owner: SpoolOwner, self: SpoolOwner): Promise<Verdict> {
  if (owner.host !== self.host || owner.boot !== self.boot || owner.pidNamespace !== self.pidNamespace) return 'unknown';
  if (!pidExists(owner.pid)) return 'dead';
  const now = await procStat(owner.pid);
  if (now && (now.state === 'Z' || now.state === 'X')) return 'dead';
  if (owner.started !== undefined && now && now.started !== owner.started) return 'dead';
  return 'alive';
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: nothing is sent, the kernel only checks
    return true;
  } catch (error) {
    // EPERM: it exists, under another user. Anything else unexpected: assume alive, keep the files.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function readOwner(folder: string): Promise<{ owner: SpoolOwner; mtimeMs: number } | undefined> {
  try {
    const path = join(folder, SPOOL_OWNER_FILE);
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const owner = JSON.parse(text) as Partial<SpoolOwner>;
    const optional = (value: unknown) => value === undefined || typeof value === 'string';
    const valid =
      Number.isSafeInteger(owner.pid) &&
      owner.pid! > 0 &&
      typeof owner.host === 'string' &&
      optional(owner.boot) &&
      optional(owner.pidNamespace) &&
      optional(owner.started);
    return valid ? { owner: owner as SpoolOwner, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined; // not written yet, or damaged: judged by the folder's age
  }
}

/** The sizes of the spool files in a folder about to be removed. */
async function sizes(folder: string): Promise<number[]> {
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith(SPOOL_SUFFIX));
  const infos = await Promise.all(names.map((name) => stat(join(folder, name)).catch(() => undefined)));
  return infos.flatMap((info) => (info ? [info.size] : []));
}

async function removed(path: string): Promise<boolean> {
  try {
    await rm(path, { recursive: true });
    return true;
  } catch {
    return false; // gone already (another instance swept it), or busy: the next sweep tries again
  }
}

function count(result: { files: number; bytes: number }, size: number): void {
  result.files += 1;
  result.bytes += size;
}

export interface SpoolSweeperOptions {
  readonly directory?: string;
  /** For what cannot be judged by its owner (flat files of earlier versions, other hosts' folders). */
  readonly staleMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The sweep as a background job: once at start, then on a slow beat. */
export class SpoolSweeper {
  private readonly directory: string;

  constructor(private readonly options: SpoolSweeperOptions) {
    this.directory = options.directory ?? DEFAULT_SPOOL_DIRECTORY;
  }

  /** Never throws: a sweep that fails is logged and tried again at the next beat. Nothing is left to do at once. */
  async runOnce(): Promise<false> {
    try {
      const { folders, files, bytes } = await sweepSpools(this.directory, this.options.staleMs, this.options.clock.now());
      if (folders > 0 || files > 0) this.options.logger.info({ folders, files, bytes }, 'removed staging files left by processes that ended');
    } catch (error) {
      this.options.logger.warn({ code: (error as NodeJS.ErrnoException).code ?? 'unknown' }, 'could not sweep the staging folder; will try again');
    }
    return false;
  }
}
