import { PassThrough, type Writable } from 'node:stream';
import Papa from 'papaparse';
import type { SourceRecord } from './dataSource';
import { FileStaging, type StagingOptions } from './stagedFile';
import { TextChunker } from './textChunks';

/** Columns beyond this are left to the JSON file: a CSV with thousands of columns helps nobody. */
export const MAX_CSV_COLUMNS = 200;
/**
 * A CSV needs its header before its first row, so the columns are taken from the first records
 * (held in memory, a few hundred kilobytes). Records whose keys all appear there, the usual case for
 * one application's data, are staged as they are read.
 */
export const COLUMN_SAMPLE_RECORDS = 500;
/**
 * Rows are turned into text a batch at a time: one papaparse call and one string per batch. A
 * batch's cells live until it is written; at 500 rows many of them outlived a young-generation GC
 * and were copied, and at 100 scavenges took about 15 % less time (bench/, docs/decisions/0009).
 */
const ROWS_PER_BATCH = 100;
/**
 * RFC 4180 quoting, "\n" line ends, and formula escaping: a cell that a spreadsheet would run as a
 * formula (=, +, -, @, tab, carriage return) starts with a quote mark instead. The JSON beside it
 * keeps every value exactly.
 */
const UNPARSE: Papa.UnparseConfig = { header: false, newline: '\n', escapeFormulae: true };

/** A cell: nested values as JSON, the rest as they are (papaparse writes null and undefined as empty). */
function cell(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** Writes records as CSV rows under a fixed header, in batches, with backpressure. */
export class CsvWriter {
  private batch: unknown[][] = [];
  private rows = 0;
  private readonly text: TextChunker;

  /**
   * `headerWhenEmpty`: a file with no rows still gets its header (the request register: an empty
   * register is a table with nothing in it). A package's data file without records stays empty.
   */
  constructor(
    private readonly columns: readonly string[],
    private readonly sink: Writable,
    private readonly options: { readonly headerWhenEmpty?: boolean } = {},
  ) {
    this.text = new TextChunker(sink);
  }

  async add(record: SourceRecord): Promise<void> {
    this.rows += 1;
    // No columns (records without fields): an empty file, not empty lines.
    if (this.columns.length === 0) return;
    if (this.rows === 1) this.batch.push([...this.columns]);
    this.batch.push(this.columns.map((column) => cell(record[column])));
    if (this.batch.length >= ROWS_PER_BATCH) await this.flush();
  }

  /** Writes what is left and ends the sink; returns the number of rows. */
  async end(): Promise<number> {
    if (this.rows === 0 && this.options.headerWhenEmpty && this.columns.length > 0) this.batch.push([...this.columns]);
    await this.flush();
    await this.text.flush();
    this.sink.end();
    return this.rows;
  }

  private async flush(): Promise<void> {
    // No records: an empty file, not a header for nothing.
    if (this.batch.length === 0) return;
    const rows = Papa.unparse(this.batch, UNPARSE);
    this.batch = [];
    await this.text.add(rows);
    await this.text.add('\n');
  }
}

/** Stages a CSV of exactly these columns; write records into `writer`, end it, then await `staging.finished()`. */
export async function stageCsv(path: string, columns: readonly string[], options: StagingOptions): Promise<{ writer: CsvWriter; staging: FileStaging }> {
  const head = new PassThrough();
  const staging = await FileStaging.start(path, head, options);
  return { writer: new CsvWriter(columns, head), staging };
}
