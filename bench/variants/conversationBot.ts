// One bot of the conversation benchmark, in a process of its own (forked by bench/conversationBenchmark.ts):
// - 'desk-sqlite' / 'desk-postgres': Privacy Desk exactly as createPrivacyDesk wires it in production
//   mode (JWT validation on, restify + PrivacyDeskAdapter), on the store its environment names;
// - 'echo': the ceiling, a bare botbuilder bot on the same stack (restify, CloudAdapter with the same
//   ConfigurationBotFrameworkAuthentication settings) that answers every message with its text.
// The parent drives both over HTTP with real channel tokens; replies go to its stand-in connector.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { silentLogger } from '../../domain/logger';
import { performance } from 'node:perf_hooks';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { loadConfig } from '../../app/config';
import { createPrivacyDesk, type PrivacyDesk } from '../../app/createPrivacyDesk';
import { createLogger } from '../../app/logger';
import { PostgresKeyValueStore } from '../../adapters/store/postgres/postgresKeyValueStore';
import { PostgresRequestStore } from '../../adapters/store/postgres/postgresRequestStore';
import { SqliteKeyValueStore } from '../../adapters/store/sqlite/sqliteKeyValueStore';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import { buildDigestCard } from '../../cards';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { DeadlineWatch, type Digest } from '../../domain/deadlines/deadlineWatch';
import type { CalendarDate } from '../../domain/deadlines/calendarDate';
import type { Messenger } from '../../domain/delivery/messenger';
import { auditEvent } from '../../domain/requests/changes';
import { AuditEventType } from '../../domain/requests/auditEvent';
import type { NewExportRequest, RequestStore } from '../../domain/requests/requestStore';
import { RequestState } from '../../domain/requests/lifecycle';
import { testCredentialsFactory } from '../../test/support/credentials';
import type {
  BotStart,
  ChildMessage,
  DeadlinePass,
  MeasureStore,
  ParentMessage,
  ProfileRequest,
  SeedRequests,
  StoreCallCounts,
} from '../lib/conversationProtocol';

const DAY_MS = 24 * 3600_000;

/** A calendar date `days` after (or before) another, in UTC. */
function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10) as CalendarDate;
}
/** Seeding runs this many creates at a time (PostgreSQL answers over the network; SQLite does not care). */
const SEED_CONCURRENCY = 8;

function send(message: ChildMessage): void {
  process.send!(message);
}

// ---------------------------------------------------------------------------------------------------
// Counting store calls: which store methods a turn uses, so "a turn that changes nothing writes
// nothing" can be checked from the outside. Prototypes are wrapped in this process only.

const counts: { keyValues: Record<string, number>; requests: Record<string, number> } = { keyValues: {}, requests: {} };

function countCalls(prototype: object, into: Record<string, number>): void {
  for (const name of Object.getOwnPropertyNames(prototype)) {
    if (name === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (!descriptor || typeof descriptor.value !== 'function') continue;
    const original = descriptor.value as (...args: unknown[]) => unknown;
    Object.defineProperty(prototype, name, {
      ...descriptor,
      value: function counted(this: unknown, ...args: unknown[]) {
        into[name] = (into[name] ?? 0) + 1;
        return original.apply(this, args);
      },
    });
  }
}

// Only the public methods the port declares are counted (private helpers are called from inside them).
countCalls(SqliteKeyValueStore.prototype, counts.keyValues);
countCalls(PostgresKeyValueStore.prototype, counts.keyValues);
for (const prototype of [SqliteRequestStore.prototype, PostgresRequestStore.prototype]) countCalls(prototype, counts.requests);

function snapshotCounts(): StoreCallCounts {
  return { keyValues: { ...counts.keyValues }, requests: { ...counts.requests } };
}

// ---------------------------------------------------------------------------------------------------

async function startEcho(start: BotStart): Promise<{ url: string; stop(): Promise<void> }> {
  const auth = new ConfigurationBotFrameworkAuthentication(start.env, testCredentialsFactory(start.appId));
  const adapter = new CloudAdapter(auth);
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
      }),
  };
}

let desk: PrivacyDesk | undefined;
let stopEcho: (() => Promise<void>) | undefined;

async function startDesk(start: BotStart): Promise<string> {
  const config = loadConfig(start.env);
  // The production logger at the configured level, so logging costs what it costs in production.
  desk = await createPrivacyDesk(config, { logger: createLogger(config.logLevel), credentialsFactory: testCredentialsFactory(start.appId) });
  if (desk.storeKind !== (start.variant === 'desk-postgres' ? 'postgres' : 'sqlite'))
    throw new Error(`expected ${start.variant}, got a ${desk.storeKind} store`);
  return desk.server.url;
}

/**
 * Open requests through the store API, in bulk: most await the subject's confirmation, one in ten
 * failed; received over the last 40 days, so some are due this week and some overdue (the digest
 * has something in each list). States the export worker never claims, so nothing runs behind the bench.
 */
async function seed(message: SeedRequests): Promise<{ count: number; ms: number }> {
  const store = desk!.store;
  const today = desk!.requests.today();
  const year = Number(today.slice(0, 4));
  const started = performance.now();
  const requestFor = (index: number): NewExportRequest => {
    const subjectId = message.subjectIds[index] ?? `b0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    const receivedOn = addCalendarDays(today, -(index % 40));
    const now = new Date();
    return {
      id: randomUUID(),
      version: 1,
      state: index % 10 === 9 ? RequestState.Failed : RequestState.AwaitingConfirmation,
      regime: index % 3 === 0 ? 'ccpa' : 'gdpr',
      subject: { objectId: subjectId, displayName: `Bench Person ${index}`, userPrincipalName: `person${index}@bench.example` },
      requesterId: message.requesterIds[index % message.requesterIds.length]!,
      selfService: false,
      receivedOn,
      // Close enough for the lists: GDPR's month as 30 days, CCPA's 45.
      dueOn: addCalendarDays(receivedOn, index % 3 === 0 ? 45 : 30),
      deliverTo: 'subject',
      exportAttempts: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    } as NewExportRequest;
  };
  let next = 0;
  const worker = async () => {
    while (next < message.count) {
      const request = requestFor(next++);
      await store.create(
        request,
        year,
        (reference) => [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.Filed, new Date(), { reference, seeded: true })],
        [],
      );
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return { count: message.count, ms: performance.now() - started };
}

/** Wraps the store so a pass can say where its time went. */
function timedStore(store: RequestStore, into: { listOpenMs: number; listOpenCalls: number; scheduleOnceMs: number; scheduleOnceCalls: number }): RequestStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'listOpen' || property === 'scheduleOnce') {
        return async (...args: unknown[]) => {
          const started = performance.now();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            if (property === 'listOpen') {
              into.listOpenMs += performance.now() - started;
              into.listOpenCalls += 1;
            } else {
              into.scheduleOnceMs += performance.now() - started;
              into.scheduleOnceCalls += 1;
            }
          }
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function measureStore(message: MeasureStore) {
  const running = desk!;
  const admin = { objectId: message.adminId, displayName: 'Bench Admin' };
  const listMs: number[] = [];
  for (let i = 0; i < message.repeats; i++) {
    const started = performance.now();
    await running.requests.list(admin as never);
    listMs.push(performance.now() - started);
  }
  const passes: DeadlinePass[] = [];
  // Each pass is a new day (the digest runs once per day), starting tomorrow so no seeded key exists yet.
  for (let day = 1; day <= message.digestDays; day++) {
    const at = new Date(Date.now() + day * DAY_MS);
    const timing = { listOpenMs: 0, listOpenCalls: 0, scheduleOnceMs: 0, scheduleOnceCalls: 0 };
    let digestCardMs = 0;
    let digestCardBytes = 0;
    let digestCounts = { dueThisWeek: 0, overdue: 0, awaitingConfirmation: 0, failed: 0 };
    const messenger: Messenger = {
      deliver: async () => ({ kind: 'skipped', reason: 'bench' }),
      postDigest: async (digest: Digest) => {
        const started = performance.now();
        digestCardBytes = JSON.stringify(buildDigestCard(digest)).length;
        digestCardMs = performance.now() - started;
        digestCounts = {
          dueThisWeek: digest.dueThisWeek.count,
          overdue: digest.overdue.count,
          awaitingConfirmation: digest.awaitingConfirmation.count,
          failed: digest.failed.count,
        };
        return { kind: 'sent' };
      },
    } as Messenger;
    const watch = new DeadlineWatch({
      store: timedStore(running.store, timing),
      messenger,
      clock: { now: () => at },
      logger: silentLogger,
      owner: `bench-${day}`,
      timeZone: 'UTC',
      reminderDays: [1, 3],
      escalateAfterDays: 5,
      lapseAfterDays: 10_000,
      dueWarningDays: [7, 2],
      digestHour: 0,
      dailyDigest: true,
    });
    const started = performance.now();
    await watch.runOnce();
    passes.push({ totalMs: performance.now() - started, ...timing, digestCardMs, digestCardBytes, digestCounts });
  }
  return { listMs, passes };
}

let profiler: { session: Session; cpu: boolean; allocations: boolean } | undefined;
/** Bytes between two sampled allocations (V8's default is 32 KiB; a turn allocates a few hundred KiB). */
const ALLOCATION_SAMPLING_BYTES = 4096;

/**
 * V8's sampling profiler in this process, as `node --cpu-prof` runs it, but for a chosen stretch; and
 * V8's allocation sampler, keeping objects the collector already freed (what a turn allocates, not
 * what it keeps, is what costs garbage collection).
 */
async function profile(message: ProfileRequest): Promise<void> {
  if (message.action === 'start') {
    const session = new Session();
    session.connect();
    profiler = { session, cpu: message.cpu, allocations: message.allocations };
    if (message.allocations) {
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: ALLOCATION_SAMPLING_BYTES,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
    if (message.cpu) {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    return;
  }
  if (!profiler) throw new Error('The profiler was not started.');
  const { session, cpu, allocations } = profiler;
  profiler = undefined;
  const taken: [string, unknown][] = [];
  if (cpu) taken.push([message.cpuFile, (await session.post('Profiler.stop')).profile]);
  if (allocations) taken.push([message.heapFile, (await session.post('HeapProfiler.stopSampling')).profile]);
  session.disconnect();
  for (const [file, data] of taken) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(data));
  }
}

process.on('message', (raw: ParentMessage) => {
  const handle = async () => {
    switch (raw.type) {
      case 'start': {
        if (raw.variant === 'echo') {
          const echo = await startEcho(raw);
          stopEcho = () => echo.stop();
          send({ type: 'ready', url: echo.url });
        } else {
          send({ type: 'ready', url: await startDesk(raw) });
        }
        return;
      }
      case 'seed':
        send({ type: 'seeded', ...(await seed(raw)) });
        return;
      case 'measure-store':
        send({ type: 'store-measured', measurement: await measureStore(raw) });
        return;
      case 'counters': {
        const usage = process.cpuUsage();
        send({ type: 'counters', counts: snapshotCounts(), cpuUserMs: usage.user / 1000, cpuSystemMs: usage.system / 1000 });
        if (raw.reset) {
          for (const key of Object.keys(counts.keyValues)) delete counts.keyValues[key];
          for (const key of Object.keys(counts.requests)) delete counts.requests[key];
        }
        return;
      }
      case 'profile':
        await profile(raw);
        send({ type: 'profiled' });
        return;
      case 'stop':
        await desk?.stop();
        await stopEcho?.();
        process.disconnect();
        setImmediate(() => process.exit(0));
        return;
    }
  };
  handle().catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});
