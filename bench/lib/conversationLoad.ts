// The load of the conversation benchmark: N conversations in flight at once, each sending its
// messages one after another (a person waits for the answer before typing again), and what the
// latencies of their turns add up to.
import { performance } from 'node:perf_hooks';

export interface TurnLoad {
  /** Conversations in flight at once. */
  readonly conversations: number;
  /** Messages each conversation sends in one round. */
  readonly turnsPerConversation: number;
  /** The text of a conversation's n-th message (e.g. help, requests, help, …). */
  readonly textOf: (conversation: number, turn: number) => string;
  /** Sends one message and resolves when the bot has answered the HTTP request; rejects on a non-2xx. */
  readonly send: (conversation: number, text: string) => Promise<void>;
}

export interface LoadResult {
  readonly turns: number;
  readonly failures: number;
  readonly wallMs: number;
  /** Every successful turn's latency in ms, in completion order. */
  readonly latenciesMs: readonly number[];
  readonly firstFailure?: string;
}

/** Runs one round: every conversation sends its messages in order; all conversations at once. */
export async function runLoad(load: TurnLoad): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: load.conversations }, async (_, conversation) => {
      for (let turn = 0; turn < load.turnsPerConversation; turn++) {
        const sent = performance.now();
        try {
          await load.send(conversation, load.textOf(conversation, turn));
          latenciesMs.push(performance.now() - sent);
        } catch (error) {
          failures += 1;
          firstFailure ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return { turns: latenciesMs.length, failures, wallMs: performance.now() - started, latenciesMs, ...(firstFailure ? { firstFailure } : {}) };
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface RoundSummary {
  readonly turnsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly failures: number;
}

export function summarise(result: LoadResult): RoundSummary {
  return {
    turnsPerSecond: result.turns / (result.wallMs / 1000),
    p50Ms: percentile(result.latenciesMs, 50),
    p95Ms: percentile(result.latenciesMs, 95),
    p99Ms: percentile(result.latenciesMs, 99),
    maxMs: percentile(result.latenciesMs, 100),
    failures: result.failures,
  };
}
