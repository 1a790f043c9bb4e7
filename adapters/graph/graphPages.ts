/**
 * Reading a whole Graph collection: follow @odata.nextLink page by page. Bounded, so a misbehaving
 * server (or a loop of links) cannot keep a request running for ever.
 */
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';

/** 50 pages of up to 999 items: far beyond any one person's groups or licences. */
export const MAX_PAGES = 50;

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/**
 * All items of a collection. `first` is the first request; `prepare` is applied to it and to each
 * next-page request (headers such as ConsistencyLevel are not part of the link and must be re-sent).
 */
export async function allPages<T>(client: Client, first: GraphRequest, prepare: (request: GraphRequest) => GraphRequest = (r) => r): Promise<T[]> {
  const items: T[] = [];
  let page = (await prepare(first).get()) as Page<T>;
  for (let pages = 1; ; pages++) {
    items.push(...(page.value ?? []));
    const next = page['@odata.nextLink'];
    if (!next || pages >= MAX_PAGES) return items;
    page = (await prepare(client.api(next)).get()) as Page<T>;
  }
}
