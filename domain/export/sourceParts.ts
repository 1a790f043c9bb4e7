import { PassThrough, pipeline, type Writable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { COLUMN_SAMPLE_RECORDS, MAX_CSV_COLUMNS, stageCsv, type CsvWriter } from './csvRendering';
import { rawJsonOf, type SourceRecord } from './dataSource';
import { jsonLines } from './jsonLines';
import { dataFile, dataPartFile, type ManifestFile } from './packageLayout';
import type { BlockUpload } from './packageStore';
import { FileStaging, type StagedFile } from './stagedFile';
import { TextChunker } from './textChunks';

/**
 * Records per part. A source with more is split into parts of this many records, each a complete
 * JSON array and CSV, so every CSV opens in a spreadsheet (Excel stops at 1,048,576 rows, header
 * included). Each part goes into the ZIP while the next one is read.
 */
export const PART_RECORDS = 1_000_000;

/** A staged file and what the manifest says about it. */
export interface PackageFile {
  readonly staged: StagedFile;
  readonly entry: Omit<ManifestFile, 'path' | 'bytes' | 'sha256'>;
}

export interface StagedPart {
  /** The part's JSON, then its CSV when the source is tabular. */
  readonly files: readonly PackageFile[];
  readonly records: number;
}

export interface PartOptions {
  readonly sourceId: string;
  readonly tabular: boolean;
  readonly portable: boolean;
  readonly jsonLevel: number;
  readonly csvLevel: number;
  readonly upload: BlockUpload;
  readonly spoolDirectory?: string;
  readonly partRecords?: number;
}

/**
 * Reads a source once and stages it part by part (see PART_RECORDS). A part is handed over once it is
 * known whether another follows, since that decides its file names: data/<id>.json for a source that
 * fits in one part, data/<id>.part-0001.json and on for one that does not. On failure, or when the
 * consumer stops early, nothing staged by this generator is left behind except parts already yielded
 * (those are the consumer's).
 */
export async function* stageParts(records: AsyncIterable<SourceRecord>, options: PartOptions): AsyncGenerator<StagedPart> {
  const partRecords = options.partRecords ?? PART_RECORDS;
  const columns = new Set<string>();
  let current: PartStaging | undefined;
  // A finished part waits here until it is known whether another follows (that decides its name).
  let waiting: FinishedPart | undefined;
  let number = 0;
  // Once yielded, a part is the consumer's: take it out of `waiting` first, so `finally` leaves it alone.
  const take = (): FinishedPart => {
    const part = waiting!;
    waiting = undefined;
    return part;
  };
  // finish() cleans up after itself when it fails, so a part leaves `current` before it is finished.
  const finishCurrent = async () => {
    const part = current!;
    current = undefined;
    waiting = await part.finish();
  };
  try {
    for await (const record of records) {
      if (!current) {
        if (waiting) yield named(take(), number, options); // another part follows: this one was part `number`
        number += 1;
        current = await PartStaging.start(options, columns, number === 1 ? COLUMN_SAMPLE_RECORDS : 0);
      }
      await current.add(record);
      if (current.records >= partRecords) await finishCurrent();
    }
    if (!current && !waiting) {
      // No records at all: still one (empty) JSON array and CSV.
      number = 1;
      current = await PartStaging.start(options, columns, 0);
    }
    if (current) {
      if (waiting) yield named(take(), number - 1, options);
      await finishCurrent();
    }
    yield named(take(), number > 1 ? number : undefined, options);
  } finally {
    await current?.discard();
    if (waiting) await Promise.all([waiting.json.discard(), waiting.csv?.file.discard()]);
  }
}

/** A part once staged: its JSON, its CSV when the source is tabular, and how many records it holds. */
interface FinishedPart {
  readonly json: StagedFile;
  readonly csv?: { readonly file: StagedFile; readonly rows: number };
  readonly records: number;
}

/** Names a finished part's files: data/<id>.json when the source fits in one part, else .part-0001 and on. */
function named(part: FinishedPart, partNumber: number | undefined, options: PartOptions): StagedPart {
  const path = (format: 'json' | 'csv') => (partNumber === undefined ? dataFile(options.sourceId, format) : dataPartFile(options.sourceId, partNumber, format));
  const entry = (format: 'json' | 'csv', records: number) => ({
    sourceId: options.sourceId,
    format,
    records,
    portable: options.portable,
    ...(partNumber === undefined ? {} : { part: partNumber }),
  });
  const files: PackageFile[] = [{ staged: { ...part.json, path: path('json') }, entry: entry('json', part.records) }];
  if (part.csv) files.push({ staged: { ...part.csv.file, path: path('csv') }, entry: entry('csv', part.csv.rows) });
  return { files, records: part.records };
}

/**
 * One part being staged: its JSON, and its CSV in the same pass. The CSV's columns are the keys seen
 * so far (the first part waits for a sample of records first). If a record brings a new key after
 * the CSV started, the part's CSV is written again at the end from the part's own staged JSON, with
 * the new column; later parts start with it.
 */
class PartStaging {
  records = 0;
  private readonly batch: TextChunker;
  private sample: SourceRecord[] = [];
  private csv?: { readonly writer: CsvWriter; readonly staging: FileStaging };
  private csvStale = false;

  private constructor(
    private readonly options: PartOptions,
    private readonly columns: Set<string>,
    private readonly sampleSize: number,
    private readonly jsonHead: Writable,
    private readonly json: FileStaging,
  ) {
    this.batch = new TextChunker(jsonHead);
  }

  static async start(options: PartOptions, columns: Set<string>, sampleSize: number): Promise<PartStaging> {
    const head = new PassThrough();
    const json = await FileStaging.start('part.json', head, { level: options.jsonLevel, upload: options.upload, spoolDirectory: options.spoolDirectory });
    const part = new PartStaging(options, columns, sampleSize, head, json);
    await part.batch.add('[');
    if (options.tabular && sampleSize === 0) await part.startCsv();
    return part;
  }

  async add(record: SourceRecord): Promise<void> {
    await this.batch.add((this.records === 0 ? '\n  ' : ',\n  ') + (rawJsonOf(record) ?? JSON.stringify(record)));
    this.records += 1;
    if (!this.options.tabular) return;
    let newKey = false;
    for (const key of Object.keys(record)) {
      if (this.columns.has(key) || this.columns.size >= MAX_CSV_COLUMNS) continue;
      this.columns.add(key);
      newKey = true;
    }
    if (!this.csv) {
      this.sample.push(record);
      if (this.sample.length >= this.sampleSize) await this.startCsv();
      return;
    }
    if (newKey) this.csvStale = true;
    if (!this.csvStale) await this.csv.writer.add(record);
  }

  /** Ends the part; on failure everything it staged is deleted before the error is passed on. */
  async finish(): Promise<FinishedPart> {
    try {
      await this.batch.add(this.records === 0 ? ']\n' : '\n]\n');
      await this.batch.flush();
      this.jsonHead.end();
      const json = await this.json.finished();
      if (!this.options.tabular) return { json, records: this.records };
      if (!this.csv) await this.startCsv();
      const { writer, staging } = this.csv!;
      if (this.csvStale) {
        await staging.discard();
        this.csv = undefined;
        return { json, csv: await this.csvFromStagedJson(json), records: this.records };
      }
      const rows = await writer.end();
      return { json, csv: { file: await staging.finished(), rows }, records: this.records };
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  async discard(): Promise<void> {
    await Promise.all([this.json.discard(), this.csv?.staging.discard()]);
  }

  private stageCsv() {
    return stageCsv('part.csv', [...this.columns], { level: this.options.csvLevel, upload: this.options.upload, spoolDirectory: this.options.spoolDirectory });
  }

  private async startCsv(): Promise<void> {
    this.csv = await this.stageCsv();
    const sample = this.sample;
    this.sample = [];
    for (const record of sample) await this.csv.writer.add(record);
  }

  /** The part's CSV again, with every column, from the records its JSON already holds. */
  private async csvFromStagedJson(json: StagedFile): Promise<{ file: StagedFile; rows: number }> {
    const { writer, staging } = await this.stageCsv();
    try {
      for await (const record of stagedJsonRecords(json)) await writer.add(record);
      const rows = await writer.end();
      return { file: await staging.finished(), rows };
    } catch (error) {
      await staging.discard();
      throw error;
    }
  }
}

/** Reads back a staged JSON part: one record per line, between "[" and "]", as written above. */
async function* stagedJsonRecords(json: StagedFile): AsyncGenerator<SourceRecord> {
  const inflate = createInflateRaw();
  pipeline(await json.open(), inflate, (error) => {
    if (error) inflate.destroy(error);
  });
  // Split as the records were written: a record kept as it came may hold a lone "\r", never a "\n".
  for await (const lines of jsonLines(inflate)) {
    for (const line of lines) {
      const text = line.trim();
      if (text === '[' || text === ']' || text === '[]' || text === '') continue;
      yield JSON.parse(text.endsWith(',') ? text.slice(0, -1) : text) as SourceRecord;
    }
  }
}
