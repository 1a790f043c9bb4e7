// Export benchmark: Privacy Desk's real export path against a minimal baseline on the same data,
// both reading from and writing to a real Azurite (on disk). Not part of `npm test`.
//
//   node --import tsx bench/exportBenchmark.ts                 # ~1 GB, 1,000,000 records (the default)
//   node --import tsx bench/exportBenchmark.ts --size-mb 50    # a quick run
//
// See bench/README.md for what it measures and how to read the output.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../local/azurite/startAzurite';
import { MIN_BYTES_PER_RECORD, uploadDataset, type DatasetSpec, type DatasetSummary } from './lib/dataset';
import { BENCH_SUBJECT_ID, DATA_CONTAINER, DATA_PREFIX, PACKAGE_CONTAINER, type ChildInput, type ChildResult, type VariantName } from './lib/protocol';
import { verifyBaselinePackage, verifyPrivacyDeskPackage, type Verification } from './lib/verify';

const MB = 1_000_000; // decimal megabytes throughout: input size, throughput, RSS and ZIP size
const DEFAULT_RECORDS = 1_000_000;
const DEFAULT_BYTES_PER_RECORD = 1000;
const TARGET_PEAK_RSS_BYTES = 200 * MB;
const TARGET_THROUGHPUT_RATIO = 0.8;
const VARIANTS: readonly VariantName[] = ['baseline', 'privacy-desk'];
const LABEL: Record<VariantName, string> = { 'privacy-desk': 'Privacy Desk', baseline: 'Baseline' };
const DEFAULT_OUT = join(__dirname, 'results/latest.json');

const USAGE = `Usage: node --import tsx bench/exportBenchmark.ts [options]

Data set (default: ${DEFAULT_RECORDS.toLocaleString('en-US')} records x ${DEFAULT_BYTES_PER_RECORD} B = ~1 GB):
  --records N              number of JSON lines
  --bytes-per-record B     size of each line, newline included (min ${MIN_BYTES_PER_RECORD})
  --size-mb M              total input size in MB (10^6 bytes); give it with at most one of the two above
  --blobs K                number of JSON-lines blobs (default 8)
  --subject-share S        fraction of lines about the subject, 0 < S <= 1 (default 1)
  --seed N                 generator seed (default 42)
Measurement:
  --runs N                 measured runs per variant, alternating order (default 1; medians reported)
  --variants LIST          comma-separated: privacy-desk,baseline (default both)
  --cpu-prof               write V8 CPU profiles of the measured children into bench/results/cpuprofiles/
  --skip-verify            do not download and check the produced ZIPs
  --keep-data              keep Azurite's temp folder (its path is printed)
  --tsx                    run the variants from TypeScript through tsx (as npm start does) instead of
                           the compiled JavaScript production runs (npm run build)
  --out FILE               results JSON (default bench/results/latest.json)
  --help`;

interface Options {
  readonly spec: DatasetSpec;
  readonly runs: number;
  readonly variants: readonly VariantName[];
  readonly cpuProf: boolean;
  readonly verify: boolean;
  readonly keepData: boolean;
  /** Run the variants from TypeScript through tsx (as `npm start` does) instead of compiled JavaScript. */
  readonly tsx: boolean;
  readonly out: string;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive integer, got "${raw}"`);
  return value;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      records: { type: 'string' },
      'bytes-per-record': { type: 'string' },
      'size-mb': { type: 'string' },
      blobs: { type: 'string' },
      'subject-share': { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      variants: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'skip-verify': { type: 'boolean' },
      'keep-data': { type: 'boolean' },
      tsx: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let records = positiveInt('records', values.records);
  let bytesPerRecord = positiveInt('bytes-per-record', values['bytes-per-record']);
  if (values['size-mb'] !== undefined) {
    const sizeMb = Number(values['size-mb']);
    if (!(sizeMb > 0)) fail(`--size-mb must be a positive number, got "${values['size-mb']}"`);
    if (records !== undefined && bytesPerRecord !== undefined) fail('--size-mb with both --records and --bytes-per-record: give at most two of the three');
    const total = sizeMb * MB;
    if (records !== undefined) bytesPerRecord = Math.round(total / records);
    else {
      bytesPerRecord ??= DEFAULT_BYTES_PER_RECORD;
      records = Math.max(1, Math.round(total / bytesPerRecord));
    }
  }
  records ??= DEFAULT_RECORDS;
  bytesPerRecord ??= DEFAULT_BYTES_PER_RECORD;
  if (bytesPerRecord < MIN_BYTES_PER_RECORD) fail(`each record needs at least ${MIN_BYTES_PER_RECORD} bytes, got ${bytesPerRecord}`);
  const blobs = positiveInt('blobs', values.blobs) ?? 8;
  const subjectShare = values['subject-share'] === undefined ? 1 : Number(values['subject-share']);
  if (!(subjectShare > 0 && subjectShare <= 1)) fail(`--subject-share must be in (0, 1], got "${values['subject-share']}"`);
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  const variants = (values.variants ?? VARIANTS.join(','))
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of variants) if (!VARIANTS.includes(v as VariantName)) fail(`unknown variant "${v}"`);
  return {
    spec: { records, bytesPerRecord, blobs: Math.min(blobs, records), subjectShare, seed, subjectId: BENCH_SUBJECT_ID, prefix: DATA_PREFIX },
    runs: positiveInt('runs', values.runs) ?? 1,
    variants: VARIANTS.filter((v) => variants.includes(v)),
    cpuProf: values['cpu-prof'] ?? false,
    verify: !values['skip-verify'],
    keepData: values['keep-data'] ?? false,
    tsx: values.tsx ?? false,
    out: values.out ?? DEFAULT_OUT,
  };
}

/** The commit measured, and whether the working tree differed from it (figures belong to a version). */
function gitState(): { commit?: string; uncommittedChanges?: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, uncommittedChanges: status.trim().length > 0 };
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------------
// Azurite's CPU time, so a run can show whether the emulator (sharing the same cores) was the limit.

let clockTicks: number | undefined;
function cpuMsOf(pid: number): number | undefined {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks; // utime + stime
  } catch {
    return undefined;
  }
}

/** CPU time used by the whole machine so far (all cores, all processes), from /proc/stat. */
function machineBusyMs(): number | undefined {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Other processes using more CPU than this share of one core during a measured run make its figures suspect. */
const FOREIGN_CPU_WARNING_SHARE = 0.1;

// ---------------------------------------------------------------------------------------------------

interface RunRecord {
  readonly run: number;
  readonly variant: VariantName;
  readonly result: ChildResult;
  /** Spawn to exit, as the parent saw it (includes loading modules and setting up). */
  readonly processElapsedMs: number;
  readonly azuriteCpuMs?: number;
  /**
   * CPU used on the machine during the run by anything but the measured process and Azurite (other
   * users, the parent, the kernel). Near zero on a quiet machine; large values mean contended figures.
   */
  readonly otherCpuMs?: number;
  verification?: Verification;
}

/**
 * Compiles the project with tsc into `outDir`: production runs the compiled JavaScript (`npm run
 * build`, docs/production.md), so that is what is measured unless --tsx is given.
 */
function compileProject(outDir: string): void {
  execFileSync(join(__dirname, '../node_modules/.bin/tsc'), ['-p', join(__dirname, '../tsconfig.json'), '--outDir', outDir], { stdio: 'inherit' });
}

/**
 * The runtime settings of `npm run start:production` (package.json): its environment assignments and
 * node flags. Both variants run with them, so they are measured as production would run them.
 */
function productionRuntime(): { env: Record<string, string>; nodeFlags: string[] } {
  const scripts = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts['start:production'] ?? '').split(/\s+/).filter(Boolean);
  const node = words.indexOf('node');
  if (node < 0) throw new Error('package.json has no "start:production" script running node');
  const env = Object.fromEntries(words.slice(0, node).map((word) => word.split('=', 2) as [string, string]));
  const nodeFlags = words.slice(node + 1).filter((word) => word.startsWith('--'));
  return { env, nodeFlags };
}

function runChild(
  variant: VariantName,
  input: ChildInput,
  cpuProfDir: string | undefined,
  compiledDir: string | undefined,
): Promise<{ result: ChildResult; elapsedMs: number }> {
  const name = variant === 'privacy-desk' ? 'privacyDesk' : 'baseline';
  const script = compiledDir ? join(compiledDir, 'bench/variants', `${name}.js`) : join(__dirname, 'variants', `${name}.ts`);
  const runtime = compiledDir ? productionRuntime() : { env: {}, nodeFlags: [] };
  // One folder per child: tsx's module hooks run on a worker thread, which writes a profile of its own.
  const execArgv = [
    ...(compiledDir ? runtime.nodeFlags : ['--import', 'tsx']),
    ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, `${variant}-${input.runLabel}`)}`] : []),
  ];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv,
      env: { ...process.env, ...runtime.env, BENCH_CHILD_INPUT: JSON.stringify(input) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ChildResult | undefined;
    child.on('message', (message) => {
      result = message as ChildResult;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const elapsedMs = performance.now() - started;
      if (result) resolve({ result, elapsedMs });
      else reject(new Error(`${variant} child exited (code ${code}, signal ${signal}) without a result`));
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface VariantSummary {
  readonly runs: number;
  readonly ok: boolean;
  readonly wallSeconds: number;
  readonly throughputMBps: number;
  readonly peakRssMB: number;
  readonly sampledPeakRssMB: number;
  readonly rssBeforeWorkMB: number;
  readonly peakHeapUsedMB: number;
  readonly peakExternalMB: number;
  readonly zipMB: number;
  readonly cpuSeconds: number;
  readonly azuriteCpuSeconds?: number;
  readonly otherCpuSeconds?: number;
  readonly verified?: boolean;
}

function summarize(records: RunRecord[], inputBytes: number): VariantSummary {
  const ok = records.every((r) => r.result.ok);
  const wallMs = median(records.map((r) => r.result.wallMs));
  const azurite = records.map((r) => r.azuriteCpuMs).filter((v): v is number => v !== undefined);
  const other = records.map((r) => r.otherCpuMs).filter((v): v is number => v !== undefined);
  const verified = records.every((r) => r.verification === undefined) ? undefined : records.every((r) => r.verification?.ok);
  return {
    runs: records.length,
    ok,
    wallSeconds: wallMs / 1000,
    throughputMBps: inputBytes / MB / (wallMs / 1000),
    peakRssMB: Math.max(...records.map((r) => r.result.memory.peakRssBytes)) / MB,
    sampledPeakRssMB: Math.max(...records.map((r) => r.result.memory.sampledPeakRssBytes)) / MB,
    rssBeforeWorkMB: median(records.map((r) => r.result.memory.rssBeforeWorkBytes)) / MB,
    peakHeapUsedMB: Math.max(...records.map((r) => r.result.memory.peakHeapUsedBytes)) / MB,
    peakExternalMB: Math.max(...records.map((r) => r.result.memory.peakExternalBytes)) / MB,
    zipMB: median(records.map((r) => r.result.zipBytes ?? 0)) / MB,
    cpuSeconds: median(records.map((r) => r.result.cpuMs)) / 1000,
    ...(azurite.length ? { azuriteCpuSeconds: median(azurite) / 1000 } : {}),
    ...(other.length ? { otherCpuSeconds: median(other) / 1000 } : {}),
    ...(verified !== undefined ? { verified } : {}),
  };
}

function printTable(
  dataset: DatasetSummary,
  spec: DatasetSpec,
  summaries: Partial<Record<VariantName, VariantSummary>>,
  runs: number,
): {
  ratio?: number;
  rssTargetMet?: boolean;
  ratioTargetMet?: boolean;
} {
  const shown = (['privacy-desk', 'baseline'] as const).filter((v) => summaries[v]);
  const n = (value: number, digits = 1) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const rows: Array<[string, (s: VariantSummary) => string]> = [
    [runs > 1 ? `Wall time (median of ${runs})` : 'Wall time', (s) => `${n(s.wallSeconds)} s`],
    ['Throughput (input MB/s)', (s) => `${n(s.throughputMBps)} MB/s`],
    ['Peak RSS (VmHWM)', (s) => `${n(s.peakRssMB)} MB`],
    ['  sampled peak RSS (50 ms)', (s) => `${n(s.sampledPeakRssMB)} MB`],
    ['  RSS before work', (s) => `${n(s.rssBeforeWorkMB)} MB`],
    ['  peak heap used / external', (s) => `${n(s.peakHeapUsedMB)} / ${n(s.peakExternalMB)} MB`],
    ['ZIP size', (s) => `${n(s.zipMB)} MB`],
    ['CPU time, export process', (s) => `${n(s.cpuSeconds)} s`],
    ['CPU time, Azurite', (s) => (s.azuriteCpuSeconds === undefined ? 'n/a' : `${n(s.azuriteCpuSeconds)} s`)],
    ['CPU time, everything else', (s) => (s.otherCpuSeconds === undefined ? 'n/a' : `${n(s.otherCpuSeconds)} s`)],
    ['Verified', (s) => (s.verified === undefined ? 'skipped' : s.verified ? 'ok' : 'FAILED')],
  ];
  const width = 30;
  const col = 18;
  console.log('');
  console.log(
    `Input: ${dataset.records.toLocaleString('en-US')} records x ${spec.bytesPerRecord} B = ${n(dataset.bytes / MB)} MB in ${dataset.blobs.length} blobs; ` +
      `subject's: ${dataset.subjectRecords.toLocaleString('en-US')} records, ${n(dataset.subjectBytes / MB)} MB (share ${spec.subjectShare})`,
  );
  console.log('');
  console.log(''.padEnd(width) + shown.map((v) => LABEL[v].padStart(col)).join(''));
  for (const [label, cell] of rows) console.log(label.padEnd(width) + shown.map((v) => cell(summaries[v]!).padStart(col)).join(''));
  console.log('');
  const pd = summaries['privacy-desk'];
  const base = summaries.baseline;
  const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');
  const out: { ratio?: number; rssTargetMet?: boolean; ratioTargetMet?: boolean } = {};
  if (pd && base) {
    out.ratio = pd.throughputMBps / base.throughputMBps;
    out.ratioTargetMet = out.ratio >= TARGET_THROUGHPUT_RATIO;
    console.log(
      `Throughput ratio Privacy Desk / baseline: ${out.ratio.toFixed(2)}   (target >= ${TARGET_THROUGHPUT_RATIO.toFixed(2)}: ${verdict(out.ratioTargetMet)})`,
    );
  }
  if (pd) {
    out.rssTargetMet = pd.peakRssMB * MB < TARGET_PEAK_RSS_BYTES;
    console.log(`Peak RSS Privacy Desk: ${n(pd.peakRssMB)} MB   (target < ${TARGET_PEAK_RSS_BYTES / MB} MB: ${verdict(out.rssTargetMet)})`);
  }
  return out;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const benchStarted = performance.now();
  const gitAtStart = gitState();
  const { spec } = options;
  const workDir = mkdtempSync(join(tmpdir(), 'privacy-desk-bench-'));
  const azuriteDir = join(workDir, 'azurite');
  mkdirSync(azuriteDir);
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });

  let azurite: AzuriteInstance | undefined;
  const cleanUp = async () => {
    await azurite?.stop();
    if (options.keepData) console.log(`Kept Azurite's data in ${azuriteDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    console.error('\ninterrupted: stopping Azurite');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    console.log(
      `Privacy Desk export benchmark: ${spec.records.toLocaleString('en-US')} records x ${spec.bytesPerRecord} B in ${spec.blobs} blobs, ` +
        `subject share ${spec.subjectShare}, seed ${spec.seed}; ${options.runs} run(s) of ${options.variants.join(', ')}`,
    );
    // Inside the project (node_modules must be found from the compiled files), where npm run build puts it.
    const compiledDir = options.tsx ? undefined : join(__dirname, '../dist');
    if (compiledDir) compileProject(compiledDir);
    azurite = await startAzurite({ location: azuriteDir });
    console.log(`Azurite (pid ${azurite.pid}) on disk in ${azuriteDir}`);
    if (compiledDir) {
      const runtime = productionRuntime();
      console.log(
        `Variants run compiled (dist/) as npm run start:production does: ${[...Object.entries(runtime.env).map(([k, v]) => `${k}=${v}`), 'node', ...runtime.nodeFlags].join(' ')}`,
      );
    } else console.log('Variants run from TypeScript through tsx (--tsx)');
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);

    const uploadStarted = performance.now();
    let uploaded = 0;
    const dataset = await uploadDataset(service.getContainerClient(DATA_CONTAINER), spec, (blob) => {
      uploaded += 1;
      console.log(`  uploaded ${blob.name}: ${blob.records.toLocaleString('en-US')} lines, ${(blob.bytes / MB).toFixed(1)} MB (${uploaded}/${spec.blobs})`);
    });
    const uploadMs = performance.now() - uploadStarted;
    console.log(`Data set: ${(dataset.bytes / MB).toFixed(1)} MB generated and uploaded in ${(uploadMs / 1000).toFixed(1)} s`);

    await service.getContainerClient(PACKAGE_CONTAINER).createIfNotExists();
    const records: RunRecord[] = [];
    const toVerify: Array<{ record: RunRecord; packageBlob: string }> = [];
    for (let run = 1; run <= options.runs; run += 1) {
      // Alternate the order so neither variant always runs on a warmer (or more fragmented) Azurite.
      const order = run % 2 === 1 ? options.variants : [...options.variants].reverse();
      for (const variant of order) {
        // A fresh Azurite process (same folder, same blobs) for every measured run. Measured: in one
        // long-lived Azurite, the run after a change of variant cost Azurite about twice the CPU of a
        // run after the same variant (baseline then Privacy Desk: 14-16 s against 8; Privacy Desk
        // then baseline: 9.7 s against 4), so whichever ran second was charged for the first.
        if (records.length > 0) {
          await azurite.stop();
          azurite = await startAzurite({ location: azuriteDir });
        }
        // The previous run's files (its package's blocks, its staging files) are written out now,
        // not while this run is measured.
        execFileSync('sync');
        const input: ChildInput = {
          variant,
          connectionString: azurite.connectionString,
          dataContainer: DATA_CONTAINER,
          dataPrefix: DATA_PREFIX,
          packageContainer: PACKAGE_CONTAINER,
          subjectId: BENCH_SUBJECT_ID,
          runLabel: `run-${run}`,
        };
        process.stdout.write(`Run ${run}: ${LABEL[variant]} ... `);
        const azuriteBefore = cpuMsOf(azurite.pid);
        const machineBefore = machineBusyMs();
        const { result, elapsedMs } = await runChild(variant, input, options.cpuProf ? join(resultsDir, 'cpuprofiles') : undefined, compiledDir);
        const machineAfter = machineBusyMs();
        const azuriteAfter = cpuMsOf(azurite.pid);
        const azuriteCpuMs = azuriteBefore !== undefined && azuriteAfter !== undefined ? azuriteAfter - azuriteBefore : undefined;
        // Whatever the machine spent beyond the child (its whole life) and Azurite: other processes,
        // this parent, the kernel. Near zero when the machine is quiet.
        const otherCpuMs =
          machineBefore !== undefined && machineAfter !== undefined && azuriteCpuMs !== undefined
            ? Math.max(0, machineAfter - machineBefore - azuriteCpuMs - result.processCpuMs)
            : undefined;
        const record: RunRecord = {
          run,
          variant,
          result,
          processElapsedMs: elapsedMs,
          ...(azuriteCpuMs !== undefined ? { azuriteCpuMs } : {}),
          ...(otherCpuMs !== undefined ? { otherCpuMs } : {}),
        };
        records.push(record);
        if (!result.ok) {
          console.log(`FAILED: ${result.error}`);
          continue;
        }
        console.log(
          `${(result.wallMs / 1000).toFixed(1)} s, peak RSS ${(result.memory.peakRssBytes / MB).toFixed(1)} MB, ZIP ${((result.zipBytes ?? 0) / MB).toFixed(1)} MB`,
        );
        if (otherCpuMs !== undefined && otherCpuMs > FOREIGN_CPU_WARNING_SHARE * elapsedMs) {
          console.log(
            `  WARNING: other processes used ${(otherCpuMs / 1000).toFixed(1)} s of CPU during this ${(elapsedMs / 1000).toFixed(1)} s run: ` +
              'the machine was not quiet, so these figures are contended',
          );
        }
        // Checked after every measured run: reading a package back (and unzipping it here) while
        // Azurite holds the data set made the next measured run cost Azurite up to twice the CPU.
        if (options.verify && result.packageBlob) toVerify.push({ record, packageBlob: result.packageBlob });
      }
    }

    for (const { record, packageBlob } of toVerify) {
      const { variant, run, result } = record;
      process.stdout.write(`Verifying run ${run}: ${LABEL[variant]} ... `);
      const local = join(workDir, `verify-${variant}-${run}.zip`);
      const packageContainer = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(PACKAGE_CONTAINER);
      const verifyStarted = performance.now();
      record.verification =
        variant === 'privacy-desk'
          ? await verifyPrivacyDeskPackage(packageContainer, packageBlob, local, {
              subjectRecords: dataset.subjectRecords,
              ...(result.zipBytes !== undefined ? { zipBytes: result.zipBytes } : {}),
              ...(result.zipSha256 !== undefined ? { zipSha256: result.zipSha256 } : {}),
            })
          : await verifyBaselinePackage(packageContainer, packageBlob, local, {
              subjectRecords: dataset.subjectRecords,
              subjectBytes: dataset.subjectBytes,
              ...(result.zipBytes !== undefined ? { zipBytes: result.zipBytes } : {}),
            });
      unlinkSync(local);
      const seconds = ((performance.now() - verifyStarted) / 1000).toFixed(1);
      if (record.verification.ok) console.log(`verified in ${seconds} s: ${dataset.subjectRecords.toLocaleString('en-US')} records as generated`);
      else console.log(`VERIFICATION FAILED (${seconds} s):\n    ${record.verification.problems.join('\n    ')}`);
    }

    const summaries: Partial<Record<VariantName, VariantSummary>> = {};
    for (const variant of options.variants) {
      const mine = records.filter((r) => r.variant === variant && r.result.ok);
      if (mine.length) summaries[variant] = summarize(mine, dataset.bytes);
    }
    const verdict = printTable(dataset, spec, summaries, options.runs);
    const totalSeconds = (performance.now() - benchStarted) / 1000;
    console.log(`Benchmark took ${totalSeconds.toFixed(1)} s in all (data set upload ${(uploadMs / 1000).toFixed(1)} s).`);

    const gitAtEnd = gitState();
    if (gitAtStart.commit !== gitAtEnd.commit || gitAtStart.uncommittedChanges !== gitAtEnd.uncommittedChanges) {
      console.log(
        `WARNING: the code changed during the run (git ${gitAtStart.commit?.slice(0, 7)} -> ${gitAtEnd.commit?.slice(0, 7)}): which version each variant measured is uncertain`,
      );
    }
    const failed = records.some((r) => !r.result.ok || r.verification?.ok === false);
    const report = {
      generatedAt: new Date().toISOString(),
      command: `node --import tsx bench/exportBenchmark.ts ${process.argv.slice(2).join(' ')}`.trim(),
      git: { atStart: gitAtStart, atEnd: gitAtEnd },
      environment: {
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        totalMemoryMB: Math.round(totalmem() / MB),
        freeMemoryMB: Math.round(freemem() / MB),
        variantsRunAs: options.tsx ? 'TypeScript through tsx' : { compiledJavaScript: true, ...productionRuntime() },
      },
      units: 'MB = 10^6 bytes; seconds',
      dataset: { ...spec, ...dataset, uploadSeconds: uploadMs / 1000 },
      targets: { peakRssMB: TARGET_PEAK_RSS_BYTES / MB, throughputRatio: TARGET_THROUGHPUT_RATIO },
      summary: { ...summaries, ...verdict },
      runs: records,
      totalSeconds,
      ok: !failed,
    };
    mkdirSync(join(options.out, '..'), { recursive: true });
    writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
    console.log(`Results written to ${relative(process.cwd(), options.out) || options.out}`);
    if (failed) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
