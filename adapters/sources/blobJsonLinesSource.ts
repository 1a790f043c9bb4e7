import { createInterface } from 'node:readline';
import type { ContainerClient } from '@azure/storage-blob';
import { SourceFailure, withRawJson, type DataSource, type SourceDisclosure, type SourceRecord } from '../../domain/export/dataSource';
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
    const { container, prefix, userIdField } = this.options;
    for await (const blob of container.listBlobsFlat({ prefix })) {
      const download = await container.getBlobClient(blob.name).download(0, undefined, { abortSignal: signal });
      if (!download.readableStreamBody) throw new SourceFailure(this.id, `blob ${blob.name} has no body`);
      const lines = createInterface({ input: download.readableStreamBody, crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber += 1;
        // Cheap pre-filter: most lines are about other people and need not be parsed.
        if (!line.toLowerCase().includes(wanted)) continue;
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
  }
}
