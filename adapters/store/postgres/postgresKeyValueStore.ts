import { randomUUID } from 'node:crypto';
import { IF_ABSENT, KeyValueConflict, type KeyValueStore } from '../keyValueStore';
import type { PostgresDatabase } from './postgresDatabase';

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
 * The KeyValueStore on PostgreSQL. Each write is one statement, so the etag check and the write
 * cannot be split by another instance. Values are JSON text rather than jsonb, which would refuse a
 * \u0000 in a message and reorder keys. Etags are random, as on SQLite, so a key that is deleted and
 * written again never hands out an etag an old reader might still hold.
 */
export class PostgresKeyValueStore implements KeyValueStore {
  constructor(private readonly db: PostgresDatabase) {}

  async get(key: string): Promise<{ value: unknown; etag: string } | undefined> {
    const { rows } = await this.db.query<KeyValueRow>('SELECT value, etag FROM key_values WHERE key = $1', [key]);
    const row = rows[0];
    return row ? { value: JSON.parse(row.value), etag: row.etag } : undefined;
  }

  async put(key: string, value: unknown, expectedEtag?: string): Promise<string> {
    const etag = randomUUID();
    const json = toJson(key, value);
    const { rowCount } =
      expectedEtag === undefined
        ? await this.db.query(
            `INSERT INTO key_values (key, value, etag) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag`,
            [key, json, etag],
          )
        : expectedEtag === IF_ABSENT
          ? await this.db.query('INSERT INTO key_values (key, value, etag) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, json, etag])
          : await this.db.query('UPDATE key_values SET value = $2, etag = $3 WHERE key = $1 AND etag = $4', [key, json, etag, expectedEtag]);
    if (rowCount === 0) throw new KeyValueConflict(key);
    return etag;
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM key_values WHERE key = $1', [key]);
  }
}
