/** Pass as `expectedEtag` to write only when the key has no value yet. */
export const IF_ABSENT = '*';

/**
 * Small durable documents the bot keeps between turns: dialog state, Teams conversation references,
 * settings. Values are stored as JSON, so they come back as plain data (a Date comes back a string).
 */
export interface KeyValueStore {
  get(key: string): Promise<{ value: unknown; etag: string } | undefined>;
  /**
   * Writes `value` and returns its new etag. Without `expectedEtag` the last writer wins; with
   * IF_ABSENT the write happens only if the key has no value; with an etag, only if the stored value
   * still carries it. Otherwise throws KeyValueConflict and writes nothing.
   */
  put(key: string, value: unknown, expectedEtag?: string): Promise<string>;
  delete(key: string): Promise<void>;
}

export class KeyValueConflict extends Error {
  constructor(readonly key: string) {
    super(`The value of "${key}" was changed by someone else first.`);
    this.name = 'KeyValueConflict';
  }
}
