/**
 * For tests that run several Privacy Desk processes on one store: a directory with enough people,
 * a view of the shared store from outside the processes, and the questions asked of what reached
 * the Bot Connector stand-in (who sent it, and was anything sent twice).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresDatabase } from '../../adapters/store/postgres/postgresDatabase';
import { PostgresRequestStore } from '../../adapters/store/postgres/postgresRequestStore';
import { SqliteDatabase } from '../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import type { RequestStore } from '../../domain/requests/requestStore';
import type { CapturedActivity } from '../support/botConnector';
import { cardOf, textOfActivity } from './cardQueries';
import type { TeamsPerson } from './teamsClient';

/** The demo directory's tenant: the generated one belongs to the same. */
const DIRECTORY_TENANT_ID = '6e1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

export interface DirectoryPerson extends TeamsPerson {
  readonly userPrincipalName: string;
}

/** A valid, recognisable objectId: `kind` 1 = admin, 2 = subject. */
function objectId(kind: number, index: number): string {
  return `d0c0${kind}000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

function person(kind: number, index: number, prefix: string, title: string): DirectoryPerson {
  const id = String(index + 1).padStart(2, '0');
  return { objectId: objectId(kind, index), name: `${title} ${id}`, userPrincipalName: `${prefix}${id}@example.com` };
}

/**
 * Writes a directory file with `admins` privacy admins and `subjects` ordinary members (the demo
 * directory has only a handful, and each subject may have one open request at a time).
 */
export function writeDirectory(path: string, counts: { admins: number; subjects: number }): { admins: DirectoryPerson[]; subjects: DirectoryPerson[] } {
  const admins = Array.from({ length: counts.admins }, (_, i) => person(1, i, 'privacyadmin', 'Privacy Admin'));
  const subjects = Array.from({ length: counts.subjects }, (_, i) => person(2, i, 'subject', 'Subject'));
  const users = [...admins, ...subjects].map((p) => ({
    objectId: p.objectId,
    displayName: p.name,
    userPrincipalName: p.userPrincipalName,
    mail: p.userPrincipalName,
    department: 'Operations',
    preferredLanguage: 'en-US',
    accountEnabled: true,
    userType: 'Member',
  }));
  writeFileSync(path, JSON.stringify({ tenantId: DIRECTORY_TENANT_ID, users, admins: admins.map((a) => a.objectId) }, null, 2));
  return { admins, subjects };
}

/** The store the instances share, read from the test process as one more instance would. */
export interface StoreView {
  readonly store: RequestStore;
  close(): Promise<void>;
}

export async function openStoreView(where: { databaseUrl: string } | { sqliteDataDir: string }): Promise<StoreView> {
  if ('databaseUrl' in where) {
    const db = await PostgresDatabase.open({ url: where.databaseUrl });
    return { store: new PostgresRequestStore(db), close: () => db.close() };
  }
  const db = await SqliteDatabase.open(join(where.sqliteDataDir, 'privacy-desk.db'));
  return { store: new SqliteRequestStore(db), close: async () => db.close() };
}

/** The Authorization header an instance started with OUTBOUND_TOKEN=outboundToken(name) puts on its Connector calls. */
export function outboundToken(instance: string): string {
  return `outbound-token-${instance}`;
}

export function sentBy(instance: string) {
  return (c: CapturedActivity) => c.authorization === `Bearer ${outboundToken(instance)}`;
}

/**
 * Where a new message went and what it said: two messages with the same key are the same message
 * sent twice. Not the id it replies to: each proactive reply in a channel thread carries its own.
 */
export function messageKey(c: CapturedActivity): string {
  // A new channel post gets a conversation of its own: two posts of one card are two threads, so they are keyed by the card alone.
  const where = c.operation === 'createConversation' ? 'a new channel post' : decodeURIComponent(c.conversationId);
  return JSON.stringify([where, textOfActivity(c), cardOf(c) ?? null]);
}

/** New messages (not edits of earlier ones) among `activities` that went out more than once, each with every copy in arrival order. */
export function repeatedMessages(activities: readonly CapturedActivity[]): CapturedActivity[][] {
  const byKey = new Map<string, CapturedActivity[]>();
  for (const c of activities) {
    if (c.operation === 'updateActivity') continue;
    const key = messageKey(c);
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  return [...byKey.values()].filter((copies) => copies.length > 1);
}

/** Runs `work` over `items` with at most `limit` at a time, in order of start. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  // Filled by index as each item finishes; every index is set before Promise.all resolves.
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
