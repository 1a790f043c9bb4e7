import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../../domain/clock';
import type { RequestStore } from '../../domain/requests/requestStore';
import { azureCredential } from '../azure/credential';
import type { KeyValueStore } from './keyValueStore';
import { entraTokenPassword } from './postgres/entraTokenPassword';
import { describeDatabase, PostgresDatabase } from './postgres/postgresDatabase';
import { PostgresKeyValueStore } from './postgres/postgresKeyValueStore';
import { PostgresRequestStore } from './postgres/postgresRequestStore';
import { SqliteDatabase } from './sqlite/sqliteDatabase';
import { SqliteKeyValueStore } from './sqlite/sqliteKeyValueStore';
import { SqliteRequestStore } from './sqlite/sqliteRequestStore';

/**
 * Where everything durable lives: the SQLite file (one instance, local mode) or PostgreSQL (any
 * number of instances; decision 0020). `url` may hold a password: it is never logged or shown.
 */
export type StoreSettings =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly auth: 'password' | 'entra'; readonly maxConnections?: number };

/** The durable side of one instance: requests (with audit, outbox, leases, runs) and the key-value store for bot state and conversation references. */
export interface OpenedStore {
  readonly kind: StoreSettings['kind'];
  /** For logs: the file, or host:port/database — never a password. */
  readonly location: string;
  readonly requests: RequestStore;
  readonly keyValues: KeyValueStore;
  /** Undefined when the database answers and its schema is this build's, else a short reason (for /readyz and the log). */
  readiness(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** The store could not be opened; the message is one sentence for the operator, with nothing secret in it. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Opens (and migrates) the configured store. `credential` signs in to PostgreSQL with DATABASE_AUTH=entra. */
export async function openStore(settings: StoreSettings, clock: Clock, credential: () => TokenCredential = azureCredential): Promise<OpenedStore> {
  if (settings.kind === 'sqlite') {
    mkdirSync(dirname(settings.file), { recursive: true });
    const database = await SqliteDatabase.open(settings.file);
    return {
      kind: 'sqlite',
      location: settings.file,
      requests: new SqliteRequestStore(database, clock),
      keyValues: new SqliteKeyValueStore(database),
      readiness: () => database.readiness(),
      close: async () => database.close(),
    };
  }
  let database: PostgresDatabase;
  try {
    database = await PostgresDatabase.open({
      url: settings.url,
      ...(settings.auth === 'entra' ? { password: entraTokenPassword(credential()) } : {}),
      ...(settings.maxConnections ? { maxConnections: settings.maxConnections } : {}),
    });
  } catch (error) {
    // PostgresDatabase's messages name host, port and database and never the password.
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(/[.!?]$/.test(message) ? message : `${message}.`, { cause: error });
  }
  return {
    kind: 'postgres',
    location: describeDatabase(settings.url),
    requests: new PostgresRequestStore(database, clock),
    keyValues: new PostgresKeyValueStore(database),
    readiness: () => database.readiness(),
    close: () => database.close(),
  };
}
