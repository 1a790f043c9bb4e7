import type { ContainerClient } from '@azure/storage-blob';
import { SourceFailure, withRawJson, type DataSource, type SourceDisclosure, type SourceRecord } from '../../domain/export/dataSource';
import { jsonLines } from '../../domain/export/jsonLines';
import type { SubjectSnapshot } from '../../domain/requests/exportRequest';

export type SubjectKey = 'objectId' | 'userPrincipalName' | 'mail';

export interface BlobJsonLinesOptions {
  readonly container: ContainerClient;
  readonly prefix: string;
  /** The field in each record that names the person it is about. */
  readonly userIdField: string;
  /** Which of the subject's identifiers that field holds. */
  readonly matchOn: SubjectKey;
}

/**
 * An application's records kept as JSON lines in blobs (telemetry, activity logs). Every blob under
 * the prefix is streamed line by line and only the subject's lines are kept, so memory does not
 * depend on the size of the data.
 */
export class BlobJsonLinesSource implements DataSource {
  readonly tabular = true;
  constructor(
    readonly id: string,
    readonly disclosure: SourceDisclosure,
    private readonly options: BlobJsonLinesOptions,
  ) {}

  async *records(subject: SubjectSnapshot, signal: AbortSignal): AsyncIterable<SourceRecord> {
    const wanted = subject[this.options.matchOn]?.toLowerCase();
    if (!wanted) return;
    const mentionsSubject = preFilter(wanted);
    const { container, prefix, userIdField } = this.options;
    for await (const blob of this.storage(() => container.listBlobsFlat({ prefix }), signal)) {
      signal.throwIfAborted();
      const download = await this.storageCall(() => container.getBlobClient(blob.name).download(0, undefined, { abortSignal: signal }), signal);
      if (!download.readableStreamBody) throw new SourceFailure(this.id, `blob ${blob.name} has no body`);
      let lineNumber = 0;
      try {
        // Lines come a chunk's worth at a time: one wait per chunk of the download, not per line.
        for await (const lines of jsonLines(download.readableStreamBody as AsyncIterable<Buffer>)) {
          for (const line of lines) {
            signal.throwIfAborted();
            lineNumber += 1;
            // Cheap pre-filter: most lines are about other people and need not be parsed.
            if (!mentionsSubject(line)) continue;
            let record: unknown;
            try {
              record = JSON.parse(line);
            } catch {
              // The parser's own message quotes the line, which is personal data: say where, not what.
              throw new SourceFailure(this.id, `line ${lineNumber} of ${blob.name} is not valid JSON`);
            }
            if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
            const value = (record as Record<string, unknown>)[userIdField];
            if (typeof value === 'string' && value.toLowerCase() === wanted) yield withRawJson(record as Record<string, unknown>, line.trim());
          }
        }
      } finally {
        download.readableStreamBody.destroy();
      }
    }
  }

  /** Listing with storage errors in our own words (Azure's messages name containers and blobs, nothing personal, but not ours). */
  private async *storage<T>(list: () => AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
    try {
      for await (const item of list()) yield item;
    } catch (error) {
      if (signal.aborted || error instanceof SourceFailure) throw error;
      throw new SourceFailure(this.id, `the storage container could not be listed (${storageStatus(error)})`, { cause: error });
    }
  }

  private async storageCall<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      throw new SourceFailure(this.id, `a blob could not be read (${storageStatus(error)})`, { cause: error });
    }
  }
}

function storageStatus(error: unknown): string {
  const e = error as { statusCode?: number; code?: string };
  return [e.statusCode, e.code].filter(Boolean).join(' ') || 'storage error';
}

/**
 * Whether a line may be about the subject: their id anywhere in it, ignoring case. Most lines are
 * about other people and are not parsed. For an ASCII id (an object id, most UPNs) a case-insensitive
 * Unicode regular expression does it without a lower-cased copy of every line ("u" also folds the
 * Kelvin sign and the like, as toLowerCase does); other ids compare lower-cased copies.
 */
export function preFilter(wanted: string): (line: string) => boolean {
  if (!/^\p{ASCII}*$/u.test(wanted)) return (line) => line.toLowerCase().includes(wanted);
  const pattern = new RegExp(escapeRegExp(wanted), 'iu');
  return (line) => pattern.test(line);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
