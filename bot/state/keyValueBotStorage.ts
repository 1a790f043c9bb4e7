import type { Storage, StoreItems } from 'botbuilder';
import { KeyValueConflict, type KeyValueStore } from '../../adapters/store/keyValueStore';

const DIALOG_STATE_PREFIX = 'botstate:';

/**
 * botbuilder's Storage on Privacy Desk's own durable key-value store, so a half-finished dialog
 * survives a restart. eTags map onto the store's optimistic concurrency: a turn that read stale
 * state cannot overwrite a newer one.
 */
export class KeyValueBotStorage implements Storage {
  constructor(private readonly store: KeyValueStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const found = await this.store.get(DIALOG_STATE_PREFIX + key);
      if (found) items[key] = { ...(found.value as object), eTag: found.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as { eTag?: string };
      const expected = eTag && eTag !== '*' ? eTag : undefined;
      try {
        await this.store.put(DIALOG_STATE_PREFIX + key, value, expected);
      } catch (error) {
        if (error instanceof KeyValueConflict) throw new Error(`Storage: eTag conflict writing ${key}`);
        throw error;
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.delete(DIALOG_STATE_PREFIX + key);
  }
}
