import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteKeyValueStore } from '../../../../adapters/store/sqlite/sqliteKeyValueStore';
import { SqliteDatabase } from '../../../../adapters/store/sqlite/sqliteDatabase';
import { keyValueStoreContract } from '../../../contracts/keyValueStore.contract';

keyValueStoreContract('SqliteKeyValueStore (temp file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'privacy-desk-kv-'));
  const path = join(dir, 'privacy-desk.db');
  const opened: SqliteDatabase[] = [];
  const open = async (): Promise<SqliteKeyValueStore> => {
    const database = await SqliteDatabase.open(path);
    opened.push(database);
    return new SqliteKeyValueStore(database);
  };
  return {
    store: await open(),
    openAnother: open,
    close: async () => {
      for (const database of opened.splice(0)) database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
