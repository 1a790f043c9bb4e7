/**
 * Another process holding encrypted spools, for the sweep's tests: run as a script, it spools
 * SPOOLS files of random bytes into its own folder under the spool directory given as its argument,
 * prints `READY <folder> <sha-256 of each file's bytes>`, then answers `read` on stdin with
 * `READ <sha-256 of what each spool reads back>`. It stays alive until killed or its stdin closes —
 * like an export waiting on a slow source, with its staging files on disk.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { EncryptedSpool, processSpoolFolder } from '../../domain/export/encryptedSpool';

const SPOOLS = 3;
const SPOOL_BYTES = 256 * 1024;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function readBack(spool: EncryptedSpool): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of spool.reader()) chunks.push(chunk as Buffer);
  return sha256(Buffer.concat(chunks));
}

async function main(root: string): Promise<void> {
  const folder = await processSpoolFolder(root);
  const spools: EncryptedSpool[] = [];
  const digests: string[] = [];
  for (let i = 0; i < SPOOLS; i += 1) {
    const bytes = randomBytes(SPOOL_BYTES);
    const spool = await EncryptedSpool.create(folder);
    spool.writer(Readable.from([bytes]));
    await spool.finished();
    spools.push(spool);
    digests.push(sha256(bytes));
  }
  process.stdout.write(`READY ${folder} ${digests.join(' ')}\n`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === 'read') process.stdout.write(`READ ${(await Promise.all(spools.map(readBack))).join(' ')}\n`);
  }
}

export interface SpoolHolder {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its process folder under the spool directory. */
  readonly folder: string;
  /** SHA-256 of the bytes written to each of its spools. */
  readonly written: readonly string[];
  /** Asks it to read its spools back; resolves with the SHA-256 of what each read. */
  read(): Promise<string[]>;
  /** kill -9, and waits until it is gone (reaped: no zombie left). */
  kill(): Promise<void>;
  /** Closes its stdin (it exits) and waits for it. */
  stop(): Promise<void>;
}

/** Starts a holder whose spools live under `root` and resolves once they are all on disk. */
export async function startSpoolHolder(root: string): Promise<SpoolHolder> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, root], { stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void exited.then(([code, signal]) => reject(new Error(`spool holder exited (${code ?? signal}):\n${errors}`)));
    });
  const [ready, folder, ...written] = (await nextLine()).split(' ');
  assert.equal(ready, 'READY');
  return {
    child,
    pid: child.pid!,
    folder: folder!,
    written,
    async read() {
      const answer = nextLine();
      child.stdin!.write('read\n');
      const [word, ...digests] = (await answer).split(' ');
      assert.equal(word, 'READ');
      return digests;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.stdin!.end();
      await exited;
    },
  };
}

if (require.main === module) {
  main(process.argv[2]!).catch((error: unknown) => {
    process.stderr.write(error instanceof Error && error.stack ? error.stack : String(error));
    process.exit(1);
  });
}
