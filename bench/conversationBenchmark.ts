// Conversation benchmark: Privacy Desk answering many people at once, on SQLite and on PostgreSQL,
// next to a bare botbuilder echo bot on the same restify + CloudAdapter stack (the ceiling), in
// the same run. Each store holds --open-requests open requests. Not part of `npm test`.
//
//   node --import tsx bench/conversationBenchmark.ts                  # 50 conversations, 3 rounds, both stores
//   node --import tsx bench/conversationBenchmark.ts --stores sqlite   # without PostgreSQL
//
// See bench/README.md ("Conversation benchmark") for what it measures and how to read the output.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startHttpsAzurite } from '../test/support/azurite';
import { startBotConnector } from '../test/support/botConnector';
import { botFrameworkAuthConfig, startChannelTokenIssuer, TEST_TENANT_ID } from '../test/support/channelTokens';
import { startPostgres, type PostgresServer } from '../test/support/postgres';
import { TEST_TLS_DIR, ensureTestTls } from '../test/support/testTls';
import { TeamsClient, type TeamsPerson } from '../test/helpers/teamsClient';
import { DEMO_DIRECTORY_FILE } from '../test/helpers/domainFixture';
import type { ChildMessage, ConversationVariant, ParentMessage, StoreCallCounts, StoreMeasurement } from './lib/conversationProtocol';
import { median, percentile, runLoad, summarise, type RoundSummary } from './lib/conversationLoad';
import { cpuMsOfProcessesNamed, machineBusyCpuMs } from './lib/processCpu';

const BOT_APP_ID = '3c5f6a2e-7d1b-4e8f-9a0c-1b2d3e4f5a6b';
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 500;
const LABEL: Record<ConversationVariant, string> = { echo: 'Echo bot', 'desk-sqlite': 'PD SQLite', 'desk-postgres': 'PD PostgreSQL' };
const DEFAULT_OUT = join(__dirname, 'results/conversations-latest.json');
/** Sequential `requests` turns by one admin, alone, after the rounds. */
const SINGLE_REQUESTS_TURNS = 20;
const STORE_LIST_REPEATS = 20;
const DEFAULT_DIGEST_DAYS = 3;

const USAGE = `Usage: node --import tsx bench/conversationBenchmark.ts [options]
  --conversations N     conversations in flight at once (default 50)
  --turns N             messages per conversation per round, alternating help / requests (default 20)
  --rounds N            measured rounds; each round runs every bot once, in rotating order (default 3)
  --warmup N            unmeasured messages per conversation before the first round (default 10)
  --open-requests N     open requests seeded into each store before the rounds (default 10000)
  --stores LIST         sqlite,postgres (default both)
  --digest-days N       deadline passes with the digest timed after the rounds, a day each (default 3; 0 skips
                        them, the slowest part of a run: 0.5 to 2 minutes)
  --cpu-prof            V8 CPU profiles of the bots' measured rounds: bench/results/cpuprofiles/<bot>.cpuprofile
  --heap-prof           V8 allocation profiles of the same: <bot>.heapprofile (costs CPU itself: not with --cpu-prof
                        when CPU figures matter). bench/cpuProfileSummary.ts reads both kinds
  --pg-statements       PostgreSQL's own account of the rounds (pg_stat_statements): each statement's calls and
                        server time per turn
  --out FILE            results JSON (default bench/results/conversations-latest.json)
  --help`;

interface Options {
  readonly conversations: number;
  readonly turns: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly openRequests: number;
  readonly stores: readonly ('sqlite' | 'postgres')[];
  readonly digestDays: number;
  readonly cpuProf: boolean;
  readonly heapProf: boolean;
  readonly pgStatements: boolean;
  readonly out: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: '50' },
      turns: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '10' },
      'open-requests': { type: 'string', default: '10000' },
      stores: { type: 'string', default: 'sqlite,postgres' },
      'digest-days': { type: 'string', default: String(DEFAULT_DIGEST_DAYS) },
      'cpu-prof': { type: 'boolean', default: false },
      'pg-statements': { type: 'boolean', default: false },
      'heap-prof': { type: 'boolean', default: false },
      out: { type: 'string', default: DEFAULT_OUT },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}.`);
    return n;
  };
  const stores = values.stores
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const store of stores) if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--stores takes sqlite and postgres, not ${store}.`);
  return {
    conversations: int('conversations', values.conversations, 1),
    turns: int('turns', values.turns, 1),
    rounds: int('rounds', values.rounds, 1),
    warmup: int('warmup', values.warmup, 0),
    openRequests: int('open-requests', values['open-requests'], 0),
    stores: stores as Options['stores'],
    digestDays: int('digest-days', values['digest-days'], 0),
    cpuProf: values['cpu-prof'],
    heapProf: values['heap-prof'],
    pgStatements: values['pg-statements'],
    out: values.out,
  };
}

/** A bot process and a way to ask it things (one question at a time). */
class BotProcess {
  private pending?: { resolve: (m: ChildMessage) => void; reject: (e: Error) => void };
  url = '';

  private constructor(
    readonly variant: ConversationVariant,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: ChildMessage) => {
      const waiting = this.pending;
      this.pending = undefined;
      if (message.type === 'failed') waiting?.reject(new Error(`${LABEL[variant]}: ${message.message}`));
      else waiting?.resolve(message);
    });
    child.on('exit', (code) => this.pending?.reject(new Error(`${LABEL[variant]} exited with ${code}`)));
  }

  static fork(variant: ConversationVariant): BotProcess {
    const child = fork(join(__dirname, 'variants/conversationBot.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(TEST_TLS_DIR, 'ca.pem') },
      // The bot's log lines (pino, stdout) are written as in production, and dropped.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new BotProcess(variant, child);
  }

  ask<T extends ChildMessage['type']>(message: ParentMessage, expect: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (m) =>
          m.type === expect
            ? resolve(m as Extract<ChildMessage, { type: T }>)
            : reject(new Error(`${LABEL[this.variant]} answered ${m.type}, expected ${expect}`)),
        reject,
      };
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

interface RoundFigures extends RoundSummary {
  readonly round: number;
  readonly turns: number;
  readonly storeCallsPerTurn: Record<string, number>;
  readonly cpuMsPerTurn: number;
  /** This process (load generator and stand-in connector): the same work for every bot. */
  readonly loadCpuMsPerTurn: number;
  /** Every `postgres` process on the machine (0 when the bot does not use it). */
  readonly databaseCpuMsPerTurn: number;
  /** All busy CPU of the machine, every process. */
  readonly machineCpuMsPerTurn: number;
  /** What the bot sent the connector (request bodies), which the connector parses: part of load + connector CPU. */
  readonly replyBytesPerTurn: number;
}

interface CpuOutsideTheBot {
  readonly loadMs: number;
  readonly databaseMs: number;
  readonly machineMs: number;
}

function cpuOutsideTheBot(): CpuOutsideTheBot {
  const own = process.cpuUsage();
  return { loadMs: (own.user + own.system) / 1000, databaseMs: cpuMsOfProcessesNamed('postgres'), machineMs: machineBusyCpuMs() };
}

function perTurnCpuOutsideTheBot(before: CpuOutsideTheBot, after: CpuOutsideTheBot, turns: number) {
  const per = (pick: (c: CpuOutsideTheBot) => number) => (pick(after) - pick(before)) / Math.max(1, turns);
  return { loadCpuMsPerTurn: per((c) => c.loadMs), databaseCpuMsPerTurn: per((c) => c.databaseMs), machineCpuMsPerTurn: per((c) => c.machineMs) };
}

function person(index: number): TeamsPerson {
  return { objectId: `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`, name: `Bench User ${index}` };
}

function perTurn(before: StoreCallCounts, after: StoreCallCounts, turns: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, key] of [
    ['kv', 'keyValues'],
    ['req', 'requests'],
  ] as const) {
    for (const [method, count] of Object.entries(after[key])) {
      const delta = count - (before[key][method] ?? 0);
      if (delta > 0) out[`${kind}.${method}`] = Math.round((delta / turns) * 100) / 100;
    }
  }
  return out;
}

/** The https Azurite serves a throwaway test CA, which Node reads only at start: run again trusting it. */
function rerunTrustingTestCa(): never {
  ensureTestTls();
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(TEST_TLS_DIR, 'ca.pem') },
  });
  process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (process.env.NODE_EXTRA_CA_CERTS !== join(TEST_TLS_DIR, 'ca.pem')) rerunTrustingTestCa();
  ensureTestTls();
  const variants: ConversationVariant[] = ['echo', ...options.stores.map((s) => `desk-${s}` as ConversationVariant)];
  const cpuProfDir = options.cpuProf || options.heapProf ? join(__dirname, 'results/cpuprofiles') : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  console.log(
    `Conversation benchmark: ${options.conversations} conversations x ${options.turns} turns (help / requests), ${options.rounds} rounds, ${options.openRequests.toLocaleString('en-US')} open requests per store`,
  );
  console.log(
    `Node ${process.version}, ${cpus().length} CPUs; bots run from TypeScript through tsx, each in its own process; load generator and stand-in connector in this one`,
  );

  const [tokens, connector, azurite] = await Promise.all([startChannelTokenIssuer({ appId: BOT_APP_ID }), startBotConnector(), startHttpsAzurite()]);
  let postgres: PostgresServer | undefined;
  const dataDirs: string[] = [];
  const bots: BotProcess[] = [];
  let databaseUrl: string | undefined;
  try {
    if (options.stores.includes('postgres'))
      postgres = await startPostgres(
        options.pgStatements ? { settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on' } } : {},
      );
    const people = Array.from({ length: options.conversations }, (_, i) => person(i));
    // Half the conversations are privacy admins (`requests` lists the 25 newest of everything),
    // half are not (their own requests: each is the subject of one seeded request).
    const admins = people.filter((_, i) => i % 2 === 0);
    const others = people.filter((_, i) => i % 2 === 1);
    const baseEnv = (extra: Record<string, string>): Record<string, string> => {
      const dataDir = mkdtempSync(join(tmpdir(), 'privacy-desk-bench-'));
      dataDirs.push(dataDir);
      return {
        ...botFrameworkAuthConfig(BOT_APP_ID, tokens),
        HOST: '127.0.0.1',
        PORT: '0',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        PRIVACY_DESK_DATA_DIR: dataDir,
        PRIVACY_DESK_DIRECTORY_FILE: DEMO_DIRECTORY_FILE,
        PRIVACY_ADMIN_IDS: admins.map((p) => p.objectId).join(','),
        PRIVACY_DESK_TIME_ZONE: 'UTC',
        ALLOWED_SERVICE_URL_HOSTS: '127.0.0.1',
        // Production's defaults for the loops and the log; the bot's own deadline watch and digest
        // stay off during the rounds (measured separately, below).
        LOG_LEVEL: 'info',
        DAILY_DIGEST: 'false',
        DEADLINE_CHECK_SECONDS: '3600',
        ...extra,
      };
    };

    for (const variant of variants) {
      const bot = BotProcess.fork(variant);
      bots.push(bot);
      if (variant === 'desk-postgres') databaseUrl = await postgres!.createDatabase();
      const env = variant === 'desk-postgres' ? baseEnv({ DATABASE_URL: databaseUrl! }) : baseEnv({});
      bot.url = (await bot.ask({ type: 'start', variant, env, appId: BOT_APP_ID }, 'ready')).url;
    }
    for (const bot of bots) {
      if (bot.variant === 'echo' || options.openRequests === 0) continue;
      const seeded = await bot.ask(
        { type: 'seed', count: options.openRequests, requesterIds: admins.map((p) => p.objectId), subjectIds: others.map((p) => p.objectId) },
        'seeded',
      );
      console.log(`${LABEL[bot.variant]}: seeded ${seeded.count.toLocaleString('en-US')} open requests in ${(seeded.ms / 1000).toFixed(1)} s`);
    }

    const authorization = await tokens.authorization({ serviceUrl: connector.serviceUrl });
    const clients = new Map(
      bots.map((bot) => [bot.variant, new TeamsClient({ botUrl: bot.url, serviceUrl: connector.serviceUrl, tenantId: TEST_TENANT_ID, botId: BOT_APP_ID })]),
    );
    const sender = (variant: ConversationVariant) => {
      const client = clients.get(variant)!;
      return async (conversation: number, text: string) => {
        // One token for every call, as the channel does (its tokens live an hour): the client signs nothing per turn.
        const answer = await client.post(client.activity(people[conversation]!, { type: 'message', text }), authorization);
        if (answer.status < 200 || answer.status >= 300) throw new Error(`HTTP ${answer.status}`);
      };
    };
    const textOf = (conversation: number, turn: number) => ((conversation + turn) % 2 === 0 ? 'help' : 'requests');

    // Warm-up: first contact (conversation references are written once), JIT, connection pools.
    for (const bot of bots) {
      if (options.warmup > 0) await runLoad({ conversations: options.conversations, turnsPerConversation: options.warmup, textOf, send: sender(bot.variant) });
      connector.reset();
    }

    const statementRounds: { turns: number; statements: StatementFigures[] }[] = [];
    const rounds = new Map<ConversationVariant, RoundFigures[]>(variants.map((v) => [v, []]));
    // Only the rounds are profiled: start-up, seeding and warm-up would otherwise be most of a profile.
    // A bot is idle while the others run their rounds; those samples are V8's "(idle)".
    if (cpuProfDir)
      for (const bot of bots) await bot.ask({ type: 'profile', action: 'start', cpu: options.cpuProf, allocations: options.heapProf }, 'profiled');
    for (let round = 1; round <= options.rounds; round++) {
      // Rotate the order so no bot always runs first (or right after another).
      const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]!);
      for (const variant of order) {
        const bot = bots.find((b) => b.variant === variant)!;
        const before = await bot.ask({ type: 'counters', reset: false }, 'counters');
        if (variant === 'desk-postgres' && options.pgStatements) await statementStats(databaseUrl!, 'reset');
        const othersBefore = cpuOutsideTheBot();
        const result = await runLoad({ conversations: options.conversations, turnsPerConversation: options.turns, textOf, send: sender(variant) });
        const othersAfter = cpuOutsideTheBot();
        const replyBytes = connector.requests.reduce((sum, request) => sum + Buffer.byteLength(request.rawBody ?? ''), 0);
        if (variant === 'desk-postgres' && options.pgStatements)
          statementRounds.push({ turns: result.turns, statements: await statementStats(databaseUrl!, 'read') });
        const after = await bot.ask({ type: 'counters', reset: false }, 'counters');
        connector.reset();
        if (result.failures > 0) console.log(`WARNING: ${LABEL[variant]} round ${round}: ${result.failures} turns failed (first: ${result.firstFailure})`);
        const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
        rounds.get(variant)!.push({
          round,
          turns: result.turns,
          ...summarise(result),
          storeCallsPerTurn: perTurn(before.counts, after.counts, result.turns),
          cpuMsPerTurn: cpuMs / Math.max(1, result.turns),
          ...perTurnCpuOutsideTheBot(othersBefore, othersAfter, result.turns),
          replyBytesPerTurn: replyBytes / Math.max(1, result.turns),
        });
      }
    }

    if (cpuProfDir) {
      for (const bot of bots) {
        const cpuFile = join(cpuProfDir, `${bot.variant}.cpuprofile`);
        const heapFile = join(cpuProfDir, `${bot.variant}.heapprofile`);
        await bot.ask({ type: 'profile', action: 'stop', cpuFile, heapFile }, 'profiled');
        const turns = rounds.get(bot.variant)!.reduce((n, r) => n + r.turns, 0);
        const file = relative(process.cwd(), options.cpuProf ? cpuFile : heapFile);
        console.log(`${LABEL[bot.variant]}: profile of ${turns} turns: node --import tsx bench/cpuProfileSummary.ts ${file} --per ${turns}`);
      }
    }

    // `requests` alone with the seeded store: one admin, one turn at a time.
    const singleRequests = new Map<ConversationVariant, number[]>();
    for (const bot of bots) {
      if (bot.variant === 'echo') continue;
      const result = await runLoad({ conversations: 1, turnsPerConversation: SINGLE_REQUESTS_TURNS, textOf: () => 'requests', send: sender(bot.variant) });
      connector.reset();
      singleRequests.set(bot.variant, [...result.latenciesMs]);
    }
    const storeFigures = new Map<ConversationVariant, StoreMeasurement>();
    for (const bot of bots) {
      if (bot.variant === 'echo') continue;
      const measured = await bot.ask(
        { type: 'measure-store', adminId: admins[0]!.objectId, repeats: STORE_LIST_REPEATS, digestDays: options.digestDays },
        'store-measured',
      );
      storeFigures.set(bot.variant, measured.measurement);
    }

    report(options, variants, rounds, singleRequests, storeFigures);
    if (options.pgStatements) reportStatements(statementRounds);
  } finally {
    await Promise.all(bots.map((bot) => bot.stop().catch(() => undefined)));
    await Promise.all([tokens.stop(), connector.stop(), azurite.stop(), postgres?.stop()]);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

interface StatementFigures {
  readonly query: string;
  readonly calls: number;
  readonly totalMs: number;
}

/** pg_stat_statements of the bot's database: emptied before a round, read after it. */
async function statementStats(url: string, action: 'reset' | 'read'): Promise<StatementFigures[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (action === 'reset') {
      await client.query('SELECT pg_stat_statements_reset()');
      return [];
    }
    const { rows } = await client.query<{ query: string; calls: string; total_ms: number }>(
      `SELECT query, calls, total_exec_time + total_plan_time AS total_ms FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'`,
    );
    return rows.map((row) => ({ query: row.query, calls: Number(row.calls), totalMs: row.total_ms }));
  } finally {
    await client.end();
  }
}

function reportStatements(rounds: readonly { readonly turns: number; readonly statements: readonly StatementFigures[] }[]): void {
  const turns = rounds.reduce((sum, round) => sum + round.turns, 0);
  const byQuery = new Map<string, { calls: number; totalMs: number }>();
  for (const { query, calls, totalMs } of rounds.flatMap((round) => round.statements)) {
    const figures = byQuery.get(query) ?? { calls: 0, totalMs: 0 };
    byQuery.set(query, { calls: figures.calls + calls, totalMs: figures.totalMs + totalMs });
  }
  console.log('');
  console.log('PD PostgreSQL statements during the rounds (pg_stat_statements: calls and server time, planning + execution, per turn):');
  for (const [query, figures] of [...byQuery].sort((a, b) => b[1].totalMs - a[1].totalMs).slice(0, 12)) {
    console.log(
      `  ${(figures.calls / turns).toFixed(2).padStart(6)} calls ${((figures.totalMs / turns) * 1000).toFixed(0).padStart(5)} µs  ${query.replace(/\s+/g, ' ').slice(0, 110)}`,
    );
  }
}

function report(
  options: Options,
  variants: readonly ConversationVariant[],
  rounds: Map<ConversationVariant, RoundFigures[]>,
  singleRequests: Map<ConversationVariant, number[]>,
  storeFigures: Map<ConversationVariant, StoreMeasurement>,
): void {
  const echo = rounds.get('echo')!;
  const column = (text: string) => text.padStart(18);
  const row = (label: string, cell: (v: ConversationVariant) => string) => console.log(label.padEnd(34) + variants.map((v) => column(cell(v))).join(''));
  const med = (v: ConversationVariant, pick: (r: RoundFigures) => number) => median(rounds.get(v)!.map(pick));
  const ratioOf = (v: ConversationVariant) => median(rounds.get(v)!.map((r, i) => r.turnsPerSecond / echo[i]!.turnsPerSecond));
  const worstP99 = (v: ConversationVariant) => Math.max(...rounds.get(v)!.map((r) => r.p99Ms));

  console.log('');
  console.log(`${options.conversations} conversations in flight, ${options.turns} turns each per round; medians of ${options.rounds} rounds`);
  row('', (v) => LABEL[v]);
  row('Throughput (turns/s)', (v) => med(v, (r) => r.turnsPerSecond).toFixed(1));
  row('  ratio to the echo bot', (v) => ratioOf(v).toFixed(2));
  row('Latency p50', (v) => `${med(v, (r) => r.p50Ms).toFixed(0)} ms`);
  row('Latency p95', (v) => `${med(v, (r) => r.p95Ms).toFixed(0)} ms`);
  row('Latency p99 (worst round)', (v) => `${med(v, (r) => r.p99Ms).toFixed(0)} (${worstP99(v).toFixed(0)}) ms`);
  row('Latency max', (v) => `${med(v, (r) => r.maxMs).toFixed(0)} ms`);
  row('Bot CPU per turn', (v) => `${med(v, (r) => r.cpuMsPerTurn).toFixed(2)} ms`);
  row('  PostgreSQL server CPU per turn', (v) => `${med(v, (r) => r.databaseCpuMsPerTurn).toFixed(2)} ms`);
  row('  load + connector CPU per turn', (v) => `${med(v, (r) => r.loadCpuMsPerTurn).toFixed(2)} ms`);
  row('  whole machine CPU per turn', (v) => `${med(v, (r) => r.machineCpuMsPerTurn).toFixed(2)} ms`);
  row('Sent to the connector per turn', (v) => `${(med(v, (r) => r.replyBytesPerTurn) / 1000).toFixed(1)} kB`);
  row('Failed turns (all rounds)', (v) => String(rounds.get(v)!.reduce((n, r) => n + r.failures, 0)));
  for (const v of variants) {
    if (v === 'echo') continue;
    const calls = rounds.get(v)!.at(-1)!.storeCallsPerTurn;
    console.log(
      `${LABEL[v]} store calls per turn (last round): ${
        Object.entries(calls)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      }`,
    );
  }
  for (const v of variants) {
    if (v === 'echo') continue;
    const runs = rounds
      .get(v)!
      .map((r, i) => `${r.turnsPerSecond.toFixed(1)}/s p99 ${r.p99Ms.toFixed(0)} ms (echo ${echo[i]!.turnsPerSecond.toFixed(1)}/s)`)
      .join('; ');
    console.log(`${LABEL[v]} round by round: ${runs}`);
  }
  console.log('');
  console.log(`With ${options.openRequests.toLocaleString('en-US')} open requests:`);
  for (const [v, latencies] of singleRequests) {
    const store = storeFigures.get(v)!;
    console.log(
      `${LABEL[v]}: \`requests\` alone (admin, ${latencies.length} turns) p50 ${median(latencies).toFixed(0)} ms, max ${percentile(latencies, 100).toFixed(0)} ms; RequestService.list p50 ${median(store.listMs).toFixed(1)} ms`,
    );
    for (const [i, pass] of store.passes.entries()) {
      console.log(
        `  deadline pass + digest, day ${i + 1}: ${pass.totalMs.toFixed(0)} ms (listOpen x${pass.listOpenCalls} ${pass.listOpenMs.toFixed(0)} ms, scheduleOnce x${pass.scheduleOnceCalls} ${pass.scheduleOnceMs.toFixed(0)} ms, digest card ${pass.digestCardMs.toFixed(0)} ms / ${(pass.digestCardBytes / 1000).toFixed(0)} kB: ` +
          `${pass.digestCounts.dueThisWeek} due this week, ${pass.digestCounts.overdue} overdue, ${pass.digestCounts.awaitingConfirmation} awaiting, ${pass.digestCounts.failed} failed)`,
      );
    }
  }
  console.log('');
  for (const v of variants) {
    if (v === 'echo') continue;
    const ratio = ratioOf(v);
    const p99 = worstP99(v);
    console.log(
      `${LABEL[v]}: ratio ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}), worst p99 ${p99.toFixed(0)} ms (target < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'MET' : 'MISSED'})`,
    );
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    JSON.stringify(
      { options, rounds: Object.fromEntries(rounds), singleRequests: Object.fromEntries(singleRequests), store: Object.fromEntries(storeFigures) },
      null,
      2,
    ),
  );
  console.log(`Results: ${options.out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    // Whatever was started before the failure (servers, children) must not keep the process alive.
    process.exit(1);
  },
);
