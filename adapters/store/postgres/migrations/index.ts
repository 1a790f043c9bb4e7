import { createHash } from 'node:crypto';
import { sql as initial } from './0001_initial';
import { sql as pendingByRequest } from './0002_pending_by_request';

/**
 * One schema change. Its SQL lives in a TypeScript module rather than a .sql file because `tsc`
 * copies only TypeScript into dist/: a module is found the same way from source (tsx) and from a build.
 */
export interface Migration {
  /** 1, 2, 3… in order, with no gaps: the schema version the database is at once this is applied. */
  readonly version: number;
  /** The file's name without its extension, as printed and recorded: "0001_initial". */
  readonly name: string;
  readonly sql: string;
}

/** Every migration, oldest first. Append a line for each new file; never edit or reorder one that shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001_initial', sql: initial },
  { version: 2, name: '0002_pending_by_request', sql: pendingByRequest },
];

/** What the database records for a migration, so an edit made after it was applied is noticed. */
export function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}
