import { PostgresDatabase } from '../../../../adapters/store/postgres/postgresDatabase';
import { PostgresKeyValueStore } from '../../../../adapters/store/postgres/postgresKeyValueStore';
import { keyValueStoreContract } from '../../../contracts/keyValueStore.contract';
import { startPostgres, type PostgresServer } from '../../../support/postgres';

describe('PostgresKeyValueStore', () => {
  let server: PostgresServer;

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    await server?.stop();
  });

  keyValueStoreContract('PostgresKeyValueStore (fresh database)', async () => {
    const url = await server.createDatabase();
    const opened: PostgresDatabase[] = [];
    // Each instance is its own pool, as each bot process would have.
    const open = async (): Promise<PostgresKeyValueStore> => {
      const database = await PostgresDatabase.open({ url });
      opened.push(database);
      return new PostgresKeyValueStore(database);
    };
    return {
      store: await open(),
      openAnother: open,
      close: async () => {
        for (const database of opened.splice(0)) await database.close();
      },
    };
  });
});
