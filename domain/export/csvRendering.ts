import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import type { SourceRecord } from './dataSource';
import { FileStaging, type StagedFile } from './stagedFile';

/** Columns beyond this are left to the JSON file: a CSV with thousands of columns helps nobody. */
export const MAX_CSV_COLUMNS = 200;
/**
 * A CSV needs its header before its first row, so the columns are taken from the first records
 * (held in memory, a few hundred kilobytes). Records whose keys all appear there, the usual case for
 * one application's data, are staged as they are read.
 */
export const COLUMN_SAMPLE_RECORDS = 500;

export function csvStringifier(columns: readonly string[]): Stringifier {
  return stringify({ header: true, columns: [...columns], cast: { object: (value) => JSON.stringify(value), boolean: (v) => String(v) } });
}

/** How the CSV of a source came out of the single read. */
export type CsvOutcome =
  | { readonly kind: 'staged'; readonly file: StagedFile; readonly rows: number }
  /** A key appeared after the columns were fixed: the CSV is written from a second read, with every column. */
  | { readonly kind: 'reread'; readonly columns: readonly string[] };

/**
 * Renders a tabular source's records as CSV while its JSON is being staged, compressed into its own
 * staging, so the source is read once and both files deflate at the same time.
 */
export class CsvRendering {
  private readonly keys = new Set<string>();
  private sample: SourceRecord[] = [];
  private writing?: { readonly csv: Stringifier; readonly staging: FileStaging };
  private rows = 0;
  private incomplete = false;

  constructor(
    private readonly path: string,
    private readonly options: { readonly level: number; readonly spoolDirectory?: string },
  ) {}

  async add(record: SourceRecord): Promise<void> {
    let newKey = false;
    for (const key of Object.keys(record)) {
      if (this.keys.has(key) || this.keys.size >= MAX_CSV_COLUMNS) continue;
      this.keys.add(key);
      newKey = true;
    }
    if (this.incomplete) return;
    if (!this.writing) {
      this.sample.push(record);
      if (this.sample.length >= COLUMN_SAMPLE_RECORDS) await this.start();
      return;
    }
    if (newKey) {
      this.incomplete = true;
      await this.dispose();
      return;
    }
    await this.row(record);
  }

  async finish(): Promise<CsvOutcome> {
    if (this.incomplete) return { kind: 'reread', columns: [...this.keys] };
    if (!this.writing) await this.start();
    const { csv, staging } = this.writing!;
    csv.end();
    return { kind: 'staged', file: await staging.finished(), rows: this.rows };
  }

  /** Deletes what was staged; safe to call more than once and after a failure. */
  async dispose(): Promise<void> {
    await this.writing?.staging.discard();
  }

  private async start(): Promise<void> {
    const columns = [...this.keys];
    // No records, no columns: an empty file rather than a header line for nothing.
    const csv = columns.length === 0 ? stringify() : csvStringifier(columns);
    const staging = await FileStaging.start(this.path, csv, this.options);
    this.writing = { csv, staging };
    const sample = this.sample;
    this.sample = [];
    for (const record of sample) await this.row(record);
  }

  private async row(record: SourceRecord): Promise<void> {
    const { csv } = this.writing!;
    this.rows += 1;
    if (!csv.write(record)) await once(csv, 'drain');
  }
}
