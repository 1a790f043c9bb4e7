import { readFileSync } from 'node:fs';
import type { ChildInput, ChildResult, MemoryReport, TimelinePoint, VariantName } from './protocol';

const SAMPLE_EVERY_MS = 50;
/** process.memoryUsage() (heap details) costs more than .rss(): take it every 20th sample, about once a second. */
const FULL_SAMPLE_EVERY = 20;
/** The timeline keeps one point per full sample; past this many it keeps every other point. */
const MAX_TIMELINE_POINTS = 600;

/** The kernel's peak resident set for this process (VmHWM), in bytes; undefined off Linux. */
export function readVmHwmBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples RSS every 50 ms (and heap details about once a second) until stopped. */
export function startMemorySampler(): { stop(): MemoryReport } {
  const rssBeforeWorkBytes = process.memoryUsage.rss();
  let sampledPeakRssBytes = rssBeforeWorkBytes;
  let peakHeapUsedBytes = 0;
  let peakExternalBytes = 0;
  let peakArrayBuffersBytes = 0;
  let samples = 0;
  const started = performance.now();
  let timeline: TimelinePoint[] = [];
  let timelineEvery = 1;
  let fullSamples = 0;
  const full = () => {
    const m = process.memoryUsage();
    fullSamples += 1;
    if (fullSamples % timelineEvery === 0) {
      const mb = (bytes: number) => Math.round(bytes / 100_000) / 10;
      timeline.push({
        s: Math.round(performance.now() - started) / 1000,
        rssMB: mb(m.rss),
        heapUsedMB: mb(m.heapUsed),
        heapTotalMB: mb(m.heapTotal),
        externalMB: mb(m.external),
        arrayBuffersMB: mb(m.arrayBuffers),
      });
      if (timeline.length > MAX_TIMELINE_POINTS) {
        timeline = timeline.filter((_, i) => i % 2 === 0);
        timelineEvery *= 2;
      }
    }
    sampledPeakRssBytes = Math.max(sampledPeakRssBytes, m.rss);
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, m.heapUsed);
    peakExternalBytes = Math.max(peakExternalBytes, m.external);
    peakArrayBuffersBytes = Math.max(peakArrayBuffersBytes, m.arrayBuffers);
  };
  full();
  const timer = setInterval(() => {
    samples += 1;
    if (samples % FULL_SAMPLE_EVERY === 0) full();
    else sampledPeakRssBytes = Math.max(sampledPeakRssBytes, process.memoryUsage.rss());
  }, SAMPLE_EVERY_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      full();
      return {
        peakRssBytes: readVmHwmBytes() ?? sampledPeakRssBytes,
        sampledPeakRssBytes,
        rssBeforeWorkBytes,
        peakHeapUsedBytes,
        peakExternalBytes,
        peakArrayBuffersBytes,
        samples,
        timeline,
      };
    },
  };
}

function lifetimeCpuMs(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

export function readChildInput(expected: VariantName): ChildInput {
  const raw = process.env.BENCH_CHILD_INPUT;
  if (!raw) throw new Error('BENCH_CHILD_INPUT is not set: this script is started by bench/exportBenchmark.ts');
  const input = JSON.parse(raw) as ChildInput;
  if (input.variant !== expected) throw new Error(`expected variant ${expected}, got ${input.variant}`);
  return input;
}

/**
 * Runs `work` as the measured part of a child process: wall time, CPU time and memory around it,
 * then sends the result to the parent over IPC and exits.
 */
export async function runMeasured(
  variant: VariantName,
  work: () => Promise<Omit<ChildResult, 'variant' | 'ok' | 'wallMs' | 'cpuMs' | 'processCpuMs' | 'memory'>>,
): Promise<never> {
  const sampler = startMemorySampler();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let result: ChildResult;
  try {
    const details = await work();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    result = { variant, ok: true, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, processCpuMs: lifetimeCpuMs(), memory: sampler.stop(), ...details };
  } catch (error) {
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    result = { variant, ok: false, error: message, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, processCpuMs: lifetimeCpuMs(), memory: sampler.stop() };
  }
  return new Promise<never>(() => {
    if (!process.send) {
      console.log(JSON.stringify(result));
      process.exit(result.ok ? 0 : 1);
    }
    process.send(result, () => process.exit(result.ok ? 0 : 1));
  });
}
