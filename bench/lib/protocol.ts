// What the benchmark's parent sends to a measured child process, and what the child reports back.
// Each measured variant runs in its own process so its peak RSS is its own.

/** The objectId of Megan Bowen in local/demo/directory.json: the benchmark's data subject. */
export const BENCH_SUBJECT_ID = 'a1b2c3d4-0002-4000-8000-00000000a002';
/** Where the generated JSON-lines blobs live. */
export const DATA_CONTAINER = 'bench-telemetry';
export const DATA_PREFIX = 'events/';
/** Where both variants write their ZIPs. */
export const PACKAGE_CONTAINER = 'bench-exports';
/** The source id the product's config uses for blob JSON lines (config/sources.json), kept for both variants. */
export const TELEMETRY_SOURCE_ID = 'app-telemetry';

export type VariantName = 'privacy-desk' | 'baseline';

/** Passed to the child in the BENCH_CHILD_INPUT environment variable, as JSON. */
export interface ChildInput {
  readonly variant: VariantName;
  readonly connectionString: string;
  readonly dataContainer: string;
  readonly dataPrefix: string;
  readonly packageContainer: string;
  readonly subjectId: string;
  /** Used by the baseline to name its blob; Privacy Desk names its own. */
  readonly runLabel: string;
}

export interface MemoryReport {
  /** Kernel high-water mark of the resident set (VmHWM) at the end: the true peak, spikes included. */
  readonly peakRssBytes: number;
  /** Highest RSS seen by the 50 ms sampler (can miss spikes shorter than a sample, or while the loop is blocked). */
  readonly sampledPeakRssBytes: number;
  /** RSS just before the measured work began (modules loaded, clients built). */
  readonly rssBeforeWorkBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly peakExternalBytes: number;
  readonly peakArrayBuffersBytes: number;
  readonly samples: number;
  /** Memory about once a second (thinned to at most ~600 points), in MB, for seeing growth over the run. */
  readonly timeline: readonly TimelinePoint[];
}

export interface TimelinePoint {
  /** Seconds since the measured work began. */
  readonly s: number;
  readonly rssMB: number;
  readonly heapUsedMB: number;
  readonly heapTotalMB: number;
  readonly externalMB: number;
  readonly arrayBuffersMB: number;
}

export interface ChildResult {
  readonly variant: VariantName;
  readonly ok: boolean;
  readonly error?: string;
  /** Measured work only: from just before the export starts to the committed upload. */
  readonly wallMs: number;
  /** User + system CPU of the child over the measured work (all its threads, zlib's pool included). */
  readonly cpuMs: number;
  /** The same over the child's whole life until it reported (start-up and setup included). */
  readonly processCpuMs: number;
  readonly memory: MemoryReport;
  /** The ZIP blob written, in PACKAGE_CONTAINER. */
  readonly packageBlob?: string;
  readonly zipBytes?: number;
  /** SHA-256 of the ZIP as the writer reported it (Privacy Desk only). */
  readonly zipSha256?: string;
  /** Records (lines) the variant kept for the subject, as it counted them. */
  readonly keptRecords?: number;
  /** Privacy Desk only: the state the request ended in ("ready" on success). */
  readonly requestState?: string;
}
