import type { RequestStore } from '../domain/requests/requestStore';

/**
 * The store's writes through which a turn can give the export or outbox loops something to do:
 * a request filed (its notifications, a self-service request confirmed at once), any change of
 * state (confirmed, approved, retried, reissued: an export or notifications queued) and a
 * once-only job's notifications. Reading, auditing a refusal, and the outbox's own bookkeeping
 * queue nothing. Waking a person's deferred notifications is not here: it runs on every turn that
 * comes from a 1:1 chat and kicks by itself when it woke something (onReachable below).
 */
const WORK_QUEUING_WRITES: ReadonlySet<keyof RequestStore> = new Set<keyof RequestStore>(['create', 'update', 'scheduleOnce', 'releaseExportLease']);

/**
 * The store as the turns see it, counting the writes that may have queued work, so a turn that
 * queued none (most: `help`, `requests`, `status`) does not set the export and outbox loops
 * querying the store. Every other call goes straight to the store.
 */
export function countingQueuedWork(store: RequestStore): { readonly store: RequestStore; readonly writes: () => number } {
  let writes = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!WORK_QUEUING_WRITES.has(property as keyof RequestStore)) return method.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await method.apply(target, args);
        } finally {
          // Counted when settled, failed writes included: a write that failed late may still have
          // committed, and a kick too many costs one empty claim.
          writes += 1;
        }
      };
    },
  });
  return { store: counted, writes: () => writes };
}
