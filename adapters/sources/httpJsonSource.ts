import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { SourceFailure, type DataSource, type SourceDisclosure, type SourceRecord } from '../../domain/export/dataSource';
import type { SubjectSnapshot } from '../../domain/requests/exportRequest';

/** How the source proves who is calling: nothing, a secret from configuration, or an app token (Entra). */
export type HttpSourceAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  | { readonly kind: 'token'; readonly getToken: () => Promise<string> };

export interface HttpJsonSourceOptions {
  /** The endpoint, with {objectId}, {userPrincipalName} or {mail} where the subject's id goes. */
  readonly urlTemplate: string;
  /** Dot path to the records array in each page ("" when the page is the array). */
  readonly recordsPath: string;
  /** Dot path to the next page's URL (absolute or relative), e.g. "@odata.nextLink" or "paging.next". */
  readonly nextLinkPath?: string;
  readonly auth: HttpSourceAuth;
  /** Retries of one page on 429, 5xx and network errors (Retry-After honoured). */
  readonly retries: number;
  /** First retry delay; doubles per attempt. */
  readonly retryDelayMs: number;
  /** A guard against an endpoint that pages forever. */
  readonly maxPages: number;
}

const NOT_FOUND = Symbol('notFound');
const SUBJECT_PLACEHOLDER = /\{(objectId|userPrincipalName|mail)\}/g;
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * An application's own API holding personal data: called with the subject's id, page by page, so
 * memory holds one page at a time. Errors name the HTTP status, never the response body (it may
 * quote personal data).
 */
export class HttpJsonSource implements DataSource {
  readonly tabular = true;
  constructor(
    readonly id: string,
    readonly disclosure: SourceDisclosure,
    private readonly options: HttpJsonSourceOptions,
  ) {}

  async *records(subject: SubjectSnapshot, signal: AbortSignal): AsyncIterable<SourceRecord> {
    let url: string | undefined = this.firstUrl(subject);
    for (let page = 1; url; page += 1) {
      if (page > this.options.maxPages) throw new SourceFailure(this.id, `more than ${this.options.maxPages} pages`);
      const body = await this.fetchPage(url, signal, page);
      // An API that does not know the person answers 404 on the first page: that is "no records".
      if (body === NOT_FOUND) return;
      const records = pick(body, this.options.recordsPath);
      if (!Array.isArray(records)) throw new SourceFailure(this.id, `page ${page} has no records array at "${this.options.recordsPath}"`);
      for (const record of records) {
        signal.throwIfAborted();
        if (record && typeof record === 'object' && !Array.isArray(record)) yield record as SourceRecord;
      }
      const next = this.options.nextLinkPath ? pick(body, this.options.nextLinkPath) : undefined;
      url = typeof next === 'string' && next ? new URL(next, url).toString() : undefined;
    }
  }

  private firstUrl(subject: SubjectSnapshot): string {
    return this.options.urlTemplate.replace(SUBJECT_PLACEHOLDER, (_, key: 'objectId' | 'userPrincipalName' | 'mail') => {
      const value = subject[key];
      if (!value) throw new SourceFailure(this.id, `the subject has no ${key} to call the endpoint with`);
      return encodeURIComponent(value);
    });
  }

  private async fetchPage(url: string, signal: AbortSignal, page: number): Promise<unknown> {
    const { retries, retryDelayMs } = this.options;
    try {
      return await pRetry(
        async () => {
          const response = await fetch(url, { headers: { accept: 'application/json', ...(await this.authHeaders()) }, signal });
          if (response.ok) {
            try {
              return (await response.json()) as unknown;
            } catch {
              // The parser's message quotes the body, which may hold personal data: say where, not what.
              throw new AbortError(new NotJsonError(page));
            }
          }
          await response.body?.cancel();
          if (response.status === 404 && page === 1) return NOT_FOUND;
          const failure = new HttpStatusError(response.status, retryAfterMs(response.headers.get('retry-after')));
          // 4xx other than 408/429 will not get better by asking again.
          if (response.status < 500 && response.status !== 408 && response.status !== 429) throw new AbortError(failure);
          throw failure;
        },
        {
          retries,
          minTimeout: retryDelayMs,
          factor: 2,
          randomize: false,
          signal,
          // Retry-After from the server wins over our own back-off.
          onFailedAttempt: async ({ error }) => {
            if (error instanceof HttpStatusError && error.retryAfterMs !== undefined) await delay(error.retryAfterMs, signal);
          },
        },
      );
    } catch (error) {
      if (signal.aborted) throw error;
      const reason =
        error instanceof HttpStatusError
          ? `HTTP ${error.status}`
          : error instanceof NotJsonError
            ? `page ${error.page} with something that is not JSON`
            : error instanceof Error
              ? error.message
              : String(error);
      throw new SourceFailure(this.id, `the endpoint answered ${reason}`, { cause: error });
    }
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const auth = this.options.auth;
    switch (auth.kind) {
      case 'none':
        return {};
      case 'header':
        return { [auth.name]: auth.value };
      case 'token':
        return { authorization: `Bearer ${await auth.getToken()}` };
    }
  }
}

class NotJsonError extends Error {
  constructor(readonly page: number) {
    super(`page ${page} is not JSON`);
  }
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

function pick(value: unknown, path: string): unknown {
  if (!path) return value;
  // Keys like "@odata.nextLink" contain dots: try the whole path as one key first.
  if (value && typeof value === 'object' && path in (value as object)) return (value as Record<string, unknown>)[path];
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** Waits, or stops waiting when the export is aborted (pRetry then sees the abort). */
async function delay(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
