import { randomUUID } from 'node:crypto';
import { IF_ABSENT, KeyValueConflict, type KeyValueStore } from '../keyValueStore';
import type { SqliteDatabase } from './sqliteDatabase';

interface KeyValueRow {
  readonly value: string;
  readonly etag: string;
}

/** Values are JSON text; "undefined" has no JSON form, and removing a value is what delete is for. */
function toJson(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`The value for "${key}" cannot be stored as JSON; use delete to remove a value.`);
  return json;
}

/**
 * The KeyValueStore on SQLite. Etags are random rather than counters, so a key that is deleted and
 * written again never hands out an etag an old reader might still hold.
 */
export class SqliteKeyValueStore implements KeyValueStore {
  constructor(private readonly db: SqliteDatabase) {}

  async get(key: string): Promise<{ value: unknown; etag: string } | undefined> {
    const row = this.db.statement('SELECT value, etag FROM key_values WHERE key = ?').get(key) as KeyValueRow | undefined;
    return row ? { value: JSON.parse(row.value), etag: row.etag } : undefined;
  }

  async put(key: string, value: unknown, expectedEtag?: string): Promise<string> {
    const params = { key, value: toJson(key, value), etag: randomUUID(), expectedEtag };
    const { changes } = this.db.write(() => {
      if (expectedEtag === undefined) {
        return this.db
          .statement(
            `INSERT INTO key_values (key, value, etag) VALUES (:key, :value, :etag)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag`,
          )
          .run(params);
      }
      if (expectedEtag === IF_ABSENT) {
        return this.db.statement('INSERT INTO key_values (key, value, etag) VALUES (:key, :value, :etag) ON CONFLICT (key) DO NOTHING').run(params);
      }
      return this.db.statement('UPDATE key_values SET value = :value, etag = :etag WHERE key = :key AND etag = :expectedEtag').run(params);
    });
    if (changes === 0) throw new KeyValueConflict(key);
    return params.etag;
  }

  async delete(key: string): Promise<void> {
    this.db.write(() => this.db.statement('DELETE FROM key_values WHERE key = ?').run(key));
  }
}
