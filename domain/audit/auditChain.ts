import { createHash } from 'node:crypto';
import type { AuditEvent } from '../requests/auditEvent';

/** The hash the first event chains to: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Every audit event carries the hash of the one before it (across all requests, in the order
 * written), so an edited, removed or reordered event breaks the chain from that point on. The hash
 * covers the event's canonical JSON (keys sorted), so it does not depend on how a store serialises.
 */
export function chainHash(previousHash: string, event: AuditEvent): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalJson(event)).digest('hex');
}

export interface ChainedAuditEvent {
  /** Position in the log, as the store numbers it. */
  readonly sequence: number;
  readonly event: AuditEvent;
  readonly previousHash: string;
  readonly hash: string;
}

export type ChainVerdict =
  | { readonly intact: true; readonly checked: number }
  | {
      readonly intact: false;
      readonly checked: number;
      readonly brokenAt: number;
      readonly eventId: string;
      readonly requestId: string;
      readonly reason: 'edited' | 'removed_or_reordered';
    };

/** Walks the log in order and says whether every link holds, and where the first one breaks. */
export async function verifyChain(events: AsyncIterable<ChainedAuditEvent>): Promise<ChainVerdict> {
  let expectedPrevious = GENESIS_HASH;
  let checked = 0;
  for await (const entry of events) {
    const broken = (reason: 'edited' | 'removed_or_reordered'): ChainVerdict => ({
      intact: false,
      checked,
      brokenAt: entry.sequence,
      eventId: entry.event.id,
      requestId: entry.event.requestId,
      reason,
    });
    if (entry.previousHash !== expectedPrevious) return broken('removed_or_reordered');
    if (chainHash(entry.previousHash, entry.event) !== entry.hash) return broken('edited');
    expectedPrevious = entry.hash;
    checked += 1;
  }
  return { intact: true, checked };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
