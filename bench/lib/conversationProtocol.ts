// What the conversation benchmark's parent and its bot processes say to each other over IPC.
// Each bot (Privacy Desk on a store, or the bare echo bot) runs in its own process, so the load
// generator and the stand-in connector (in the parent) do not share its event loop.

export type ConversationVariant = 'echo' | 'desk-sqlite' | 'desk-postgres';

/** The first message the parent sends: how to start. */
export interface BotStart {
  readonly type: 'start';
  readonly variant: ConversationVariant;
  /** The environment the bot is configured from (loadConfig), as the tests' world builds it. */
  readonly env: Record<string, string>;
  readonly appId: string;
}

/** Seeds `count` open requests through the store API (not through chat); answers with `seeded`. */
export interface SeedRequests {
  readonly type: 'seed';
  readonly count: number;
  /** Requesters of the seeded requests (the admins among the conversations). */
  readonly requesterIds: readonly string[];
  /** People who get one open request each as its subject (the non-admins among the conversations). */
  readonly subjectIds: readonly string[];
}

/** Times `requests` (RequestService.list) and deadline passes with the digest, in the bot's process. */
export interface MeasureStore {
  readonly type: 'measure-store';
  readonly adminId: string;
  readonly repeats: number;
  readonly digestDays: number;
}

/** Resets the turn-phase counters (store calls per kind) and answers with `counters` at the next ask. */
export interface CountersRequest {
  readonly type: 'counters';
  readonly reset: boolean;
}

/**
 * Starts V8's sampling CPU profiler and/or its allocation sampler in the bot, or stops them and
 * writes the CPU profile (.cpuprofile JSON) to `cpuFile` and every sampled allocation, collected or
 * not (.heapprofile JSON), to `heapFile`; answered with `profiled`. The parent profiles the measured
 * rounds only, not start-up, seeding or warm-up. The allocation sampler costs CPU itself (about half
 * again per turn), so the two are asked for separately.
 */
export type ProfileRequest =
  | { readonly type: 'profile'; readonly action: 'start'; readonly cpu: boolean; readonly allocations: boolean }
  | { readonly type: 'profile'; readonly action: 'stop'; readonly cpuFile: string; readonly heapFile: string };

export type ParentMessage = BotStart | SeedRequests | MeasureStore | CountersRequest | ProfileRequest | { readonly type: 'stop' };

export interface StoreCallCounts {
  /** Calls per method of the key-value store (bot state, conversation references). */
  readonly keyValues: Record<string, number>;
  /** Calls per method of the request store. */
  readonly requests: Record<string, number>;
}

export interface StoreMeasurement {
  /** `RequestService.list` for an admin (the 25 newest of everything), in ms, each call. */
  readonly listMs: readonly number[];
  /** One full DeadlineWatch pass with the digest (a new day each pass), in ms. */
  readonly passes: readonly DeadlinePass[];
}

export interface DeadlinePass {
  readonly totalMs: number;
  readonly listOpenMs: number;
  readonly listOpenCalls: number;
  readonly scheduleOnceCalls: number;
  readonly scheduleOnceMs: number;
  /** Building the digest card from what listOpen returned (in postDigest). */
  readonly digestCardMs: number;
  readonly digestCardBytes: number;
  readonly digestCounts: { readonly dueThisWeek: number; readonly overdue: number; readonly awaitingConfirmation: number; readonly failed: number };
}

export type ChildMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'seeded'; readonly count: number; readonly ms: number }
  | { readonly type: 'store-measured'; readonly measurement: StoreMeasurement }
  | { readonly type: 'counters'; readonly counts: StoreCallCounts; readonly cpuUserMs: number; readonly cpuSystemMs: number }
  | { readonly type: 'profiled' }
  | { readonly type: 'failed'; readonly message: string };
