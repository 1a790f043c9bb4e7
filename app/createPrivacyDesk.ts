import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { JsonFileDirectory, readDemoDirectoryFile } from '../adapters/directory/jsonFileDirectory';
import { GraphAdminPolicy } from '../adapters/graph/graphAdminPolicy';
import { createGraphClient } from '../adapters/graph/graphClient';
import { createGraphCredential } from '../adapters/graph/graphCredential';
import { GraphDirectory } from '../adapters/graph/graphDirectory';
import { GraphMailer } from '../adapters/graph/graphMailer';
import { GraphTeamsInstaller } from '../adapters/graph/graphTeamsInstaller';
import { buildSources, readSourcesFile } from '../adapters/sources/sourcesConfig';
import { calendarEndsTooSoon, loadWorkingDayRule } from '../adapters/calendar/holidayCalendarFile';
import { openStore, type OpenedStore, type StoreSettings } from '../adapters/store/openStore';
import { AzureBlobPackageStore } from '../adapters/storage/azureBlobPackageStore';
import { blobServiceFor, containerReadiness } from '../adapters/storage/blobServiceFor';
import { CardActionRouter } from '../bot/cardActions/cardActionRouter';
import { ApproveRequest, DeclineRequest } from '../bot/cardActions/respondToRequest';
import { AssignFromChannel, CancelFromChannel, ExtendFromChannel, RetryFromChannel, ViewRequestAction } from '../bot/cardActions/channelActions';
import type { CommandHandler } from '../bot/commands/command';
import { ExportCommand } from '../bot/commands/exportCommand';
import { ExportMyDataCommand } from '../bot/commands/exportMyDataCommand';
import { SelfServiceLawDialog } from '../dialogs/selfServiceLawDialog';
import { HelpCommand } from '../bot/commands/helpCommand';
import { NotifyHereCommand } from '../bot/commands/notifyHereCommand';
import { ReissueCommand, RevokeCommand } from '../bot/commands/packageLinkCommands';
import { RequestsCommand } from '../bot/commands/requestsCommand';
import { RetryCommand } from '../bot/commands/retryCommand';
import { ExtendCommand } from '../bot/commands/extendCommand';
import { PauseCommand, ResumeCommand } from '../bot/commands/clockCommands';
import { PausedRequestAnswer } from '../bot/commands/subjectAnswerCommand';
import { AnswerPausedRequest, ResumeFromCard } from '../bot/cardActions/answerPausedRequest';
import { VerifyAuditCommand } from '../bot/commands/verifyAuditCommand';
import { RegisterCommand } from '../bot/commands/registerCommand';
import { RequestRegister } from '../domain/register/requestRegister';
import { StatusCommand } from '../bot/commands/statusCommand';
import { PrivacyDeskAdapter } from '../bot/http/privacyDeskAdapter';
import { BOT_FRAMEWORK_OPENID_METADATA_URL, BOT_FRAMEWORK_TOKEN_ISSUER, ChannelTokenValidator } from '../bot/http/channelTokenValidator';
import { InboundPolicy } from '../bot/http/inboundPolicy';
import { startBotServer, type BotServer } from '../bot/http/server';
import { SsoTokenValidator } from '../tab/api/ssoTokenValidator';
import { TabApi, type TabApiDeps } from '../tab/api/tabApi';
import { loadTabPage, TAB_WEB_BUILD_DIR } from '../tab/tabPage';
import { LocalSignIn } from '../tab/api/localSignIn';
import { Readiness } from '../bot/http/readiness';
import { PrivacyDeskBot } from '../bot/privacyDeskBot';
import { ServiceUrlPolicy } from '../bot/proactive/serviceUrlPolicy';
import { TeamsMessenger } from '../bot/proactive/teamsMessenger';
import { ConversationDirectory } from '../bot/state/conversationReferences';
import { KeyValueBotStorage } from '../bot/state/keyValueBotStorage';
import { systemClock, type Clock } from '../domain/clock';
import type { Mailer, TeamsAppInstaller } from '../domain/delivery/reach';
import { NotificationDispatcher } from '../domain/delivery/notificationDispatcher';
import type { DataSource } from '../domain/export/dataSource';
import { ExportWorker } from '../domain/export/exportWorker';
import { PackageLifecycle } from '../domain/export/packageLifecycle';
import { DeadlineWatch } from '../domain/deadlines/deadlineWatch';
import type { Logger } from '../domain/logger';
import { ConfiguredAdmins, type AdminPolicy } from '../domain/policy/adminPolicy';
import type { Directory } from '../domain/directory/directory';
import { RequestService } from '../domain/requests/requestService';
import type { RequestStore } from '../domain/requests/requestStore';
import { BackgroundJobs } from './backgroundJobs';
import { SpoolSweeper } from '../domain/export/spoolSweep';
import type { AppConfig } from './config';
import { projectPath } from './projectRoot';
import { countingQueuedWork } from './countingQueuedWork';

/** Outbox settings that are policy, not deployment: named here rather than configured. */
const NOTIFICATION_BATCH = 10;
const NOTIFICATION_RETRY_MS = 2_000;
const NOTIFICATION_MAX_RETRY_MS = 5 * 60_000;
const NOTIFICATION_MAX_ATTEMPTS = 12;
const UNREACHABLE_RETRY_MS = 6 * 3600_000;

export interface PrivacyDeskOverrides {
  readonly clock?: Clock;
  readonly logger: Logger;
  /** Outbound Bot Framework credentials; tests pass a local one (MSAL would call login.microsoftonline.com). */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  /** Replaces the configured sources (tests wrap them to inject faults). */
  readonly wrapSources?: (sources: DataSource[]) => DataSource[];
  /** Distinguishes instances in leases; defaults to host + pid + random. */
  readonly instanceId?: string;
  /** How to reach people beyond stored conversations (Graph-backed in production; tests pass their own). */
  readonly reach?: { readonly installer?: TeamsAppInstaller; readonly mailer?: Mailer };
  /** Serves the tab's page built into this folder (tests build it into a temporary one), in any mode. */
  readonly tabPageDir?: string;
}

export interface PrivacyDesk {
  readonly server: BotServer;
  readonly requests: RequestService;
  readonly store: RequestStore;
  /** Which store this instance uses ('sqlite' or 'postgres'). */
  readonly storeKind: OpenedStore['kind'];
  readonly packages: AzureBlobPackageStore;
  readonly jobs: BackgroundJobs;
  readonly lifecycle: PackageLifecycle;
  readonly bot: PrivacyDeskBot;
  readonly readiness: Readiness;
  /**
   * The first half of stopping, for a load balancer: /readyz answers 503 at once, background jobs
   * claim no new work, and work in flight gets up to `graceMs` (SHUTDOWN_GRACE_MS) to finish. HTTP
   * keeps being served meanwhile. Resolves true if everything finished, false if the grace ran out:
   * the leases of what was left run out by themselves and another instance (or the next start)
   * takes the work over.
   */
  drain(graceMs?: number): Promise<boolean>;
  /** Drains (if not yet done), then stops serving HTTP and closes the store. */
  stop(): Promise<void>;
}

/** Where the configuration says everything durable lives. */
export function storeSettingsOf(config: AppConfig): StoreSettings {
  return config.postgres
    ? { kind: 'postgres', url: config.postgres.url, auth: config.postgres.auth, maxConnections: config.postgres.maxConnections }
    : { kind: 'sqlite', file: config.dbFile };
}

/** The Microsoft Graph side of production: directory, admins by group, app installation, mail. */
function buildGraph(config: AppConfig, clock: Clock, logger: Logger) {
  const settings = config.graph!;
  const credential = createGraphCredential(settings.connection.credential);
  const client = createGraphClient({ credential, baseUrl: settings.connection.baseUrl, logger });
  const manifestId = config.teamsAppManifestId ?? (JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as { id: string }).id;
  return {
    /** App-identity tokens for data sources that call other APIs as Privacy Desk. */
    tokenFor: async (scope: string) => {
      const token = await credential.getToken(scope);
      if (!token) throw new Error(`No app token was issued for ${scope}.`);
      return token.token;
    },
    client,
    directory: new GraphDirectory({ client, logger }),
    admins: settings.adminGroupId
      ? new GraphAdminPolicy({ client, adminGroupId: settings.adminGroupId, clock, cacheTtlMs: settings.adminCacheTtlMs, logger })
      : new ConfiguredAdmins(config.adminIds),
    reach: {
      installer: new GraphTeamsInstaller({ client, manifestId, baseUrl: settings.connection.baseUrl, logger }),
      ...(settings.mailFrom ? { mailer: new GraphMailer({ client, fromMailbox: settings.mailFrom, logger }) } : {}),
    },
  };
}

const MANIFEST_FILE = projectPath('appPackage/manifest.json');

/** Validates channel tokens against the same metadata and issuer botbuilder is configured with. */
function channelTokenValidator(config: AppConfig): ChannelTokenValidator {
  const bf = config.botFramework;
  return new ChannelTokenValidator({
    appId: config.appId,
    openIdMetadataUrl: bf.ToBotFromChannelOpenIdMetadataUrl ?? bf.BotOpenIdMetadata ?? BOT_FRAMEWORK_OPENID_METADATA_URL,
    issuer: bf.ToBotFromChannelTokenIssuer ?? BOT_FRAMEWORK_TOKEN_ISSUER,
  });
}

/**
 * For staging files whose owner cannot be asked (flat files of earlier versions; folders of another
 * host or container sharing the temp folder): older than any export's writing phase. Folders of this
 * machine's processes go as soon as their process has ended, whatever their age (decision 0011).
 */
const STALE_SPOOL_MS = 24 * 3600_000;
/**
 * A restart sweeps at once; the beat is for processes that ended and were not restarted (a second
 * instance, a test run) and for spools this process dropped. A sweep is one directory listing and a
 * few syscalls, and a dead export's staging (up to a fifth of its sources) should not hold the disk
 * for long. It also refreshes this process's heartbeat, far inside STALE_SPOOL_MS.
 */
const SPOOL_SWEEP_INTERVAL_MS = 5 * 60_000;

/** Wires the domain to its adapters and the Teams channel, and starts serving. The one composition root. */
export async function createPrivacyDesk(config: AppConfig, overrides: PrivacyDeskOverrides): Promise<PrivacyDesk> {
  const clock = overrides.clock ?? systemClock;
  const owner = overrides.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const opened = await openStore(storeSettingsOf(config), clock);
  try {
    return await serve(config, overrides, opened, owner);
  } catch (error) {
    // Whatever started before the failure is dropped with the process; the store's connections go now.
    await opened.close().catch(() => undefined);
    throw error;
  }
}

async function serve(config: AppConfig, overrides: PrivacyDeskOverrides, opened: OpenedStore, owner: string): Promise<PrivacyDesk> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger;
  // `store` is for the background loops; everything a turn reaches writes through `turnStore`.
  const store = opened.requests;
  const { store: turnStore, writes: queuingWrites } = countingQueuedWork(store);
  const keyValues = opened.keyValues;
  const conversations = new ConversationDirectory(keyValues);

  const graph = config.graph ? buildGraph(config, clock, logger) : undefined;
  const directoryFile = graph ? undefined : await readDemoDirectoryFile(config.directoryFile);
  const directory: Directory = graph?.directory ?? new JsonFileDirectory(directoryFile!);
  const adminIds = config.adminIds.length ? config.adminIds : config.mode === 'local' && directoryFile ? directoryFile.admins : [];
  const admins: AdminPolicy = graph?.admins ?? new ConfiguredAdmins(adminIds);
  const workingDays = await loadWorkingDayRule(config.workingDays);
  const requests = new RequestService({
    store: turnStore,
    directory,
    admins,
    clock,
    timeZone: config.timeZone,
    filingsPerHour: config.filingsPerHour,
    recentWindowDays: config.recentWindowDays,
    regimeDefaults: config.regimeDefaults,
    workingDays,
    receivedDateMaxAgeDays: config.receivedDateMaxAgeDays,
  });
  const calendarEnds = calendarEndsTooSoon(workingDays, requests.today());
  if (calendarEnds) {
    logger.warn(
      { holidaysFile: config.workingDays.holidaysFile, coversUntil: calendarEnds },
      'the holiday calendar ends before some due dates can fall: add the next year’s public holidays, or dates beyond it are moved off weekends only',
    );
  }

  const blobService = blobServiceFor(
    config.storage.connectionString ? { connectionString: config.storage.connectionString } : { accountUrl: config.storage.accountUrl! },
  );
  const packages = await AzureBlobPackageStore.open(blobService, config.storage.container, { localMode: config.mode === 'local' });
  const built = buildSources(await readSourcesFile(config.sourcesFile), {
    directory,
    store,
    blobService,
    ...(graph ? { tokenFor: graph.tokenFor, graphClient: graph.client } : {}),
  });
  const sources = overrides.wrapSources ? overrides.wrapSources(built.sources) : built.sources;

  const serviceUrls = new ServiceUrlPolicy(config.allowedServiceUrlHosts);
  const adapter = PrivacyDeskAdapter.create(config.botFramework, logger, {
    ...(config.mode === 'production' ? { tokens: channelTokenValidator(config) } : {}),
    policy: new InboundPolicy({
      allowedChannelIds: config.allowedChannelIds,
      serviceUrls,
      // Local mode serves the Playground, whose tenant id is not a GUID; production serves one tenant.
      ...(config.mode === 'production' && config.tenantId ? { tenantId: config.tenantId } : {}),
    }),
    ...(overrides.credentialsFactory ? { credentialsFactory: overrides.credentialsFactory } : {}),
  });

  const jobs = new BackgroundJobs(logger, config.pollIntervalMs);
  const lifecycle = new PackageLifecycle({ store: turnStore, packages, admins, clock, logger, retentionMs: config.packageRetentionMs });
  const cardActions = new CardActionRouter(
    [
      new ApproveRequest(requests, turnStore, built.controller),
      new DeclineRequest(requests, turnStore, built.controller),
      new ViewRequestAction(requests),
      new ExtendFromChannel(requests),
      new CancelFromChannel(requests),
      new RetryFromChannel(requests),
      new AssignFromChannel(requests),
      new AnswerPausedRequest(requests),
      new ResumeFromCard(requests, config.timeZone),
    ],
    requests,
    turnStore,
  );
  const bot: PrivacyDeskBot = new PrivacyDeskBot({
    storage: new KeyValueBotStorage(keyValues),
    requests,
    conversations,
    serviceUrls,
    cardActions,
    logger,
    onReachable: async (objectId) => {
      if ((await store.wakeNotificationsFor(objectId, clock.now())) > 0) jobs.kick();
    },
    commands: (dialogs) => {
      const commands: CommandHandler[] = [];
      dialogs.add(new SelfServiceLawDialog(requests));
      commands.push(
        new HelpCommand(requests, () => commands),
        new ExportMyDataCommand(requests, dialogs),
        new ExportCommand(dialogs),
        new StatusCommand(requests, conversations),
        new RequestsCommand(requests, conversations),
        new NotifyHereCommand(requests, conversations, clock),
        new ExtendCommand(dialogs),
        new PauseCommand(requests),
        new ResumeCommand(requests),
        // Also the bot's last resort for a message no command took: a subject's answer to a paused request.
        new PausedRequestAnswer(requests),
        new RetryCommand(requests),
        new ReissueCommand(lifecycle, config.timeZone),
        new RevokeCommand(lifecycle),
        new VerifyAuditCommand({ store: turnStore, admins }),
        new RegisterCommand(new RequestRegister({ store: turnStore, packages, admins, clock, logger, timeZone: config.timeZone }), config.timeZone),
      );
      return commands;
    },
  });

  const reach = overrides.reach ?? graph?.reach;
  const messenger = new TeamsMessenger({
    adapter,
    appId: config.appId,
    conversations,
    directory,
    serviceUrls,
    timeZone: config.timeZone,
    today: () => requests.today(),
    clock,
    complaints: built.controller,
    // Who gets the channel cards' admin view automatically: the admins we can name and have met in Teams.
    adminUserIds: async () => {
      const known = (await admins.knownAdmins?.()) ?? [];
      const ids = await Promise.all(known.map(({ objectId }) => conversations.teamsUserIdOf(objectId)));
      return ids.filter((id): id is string => Boolean(id));
    },
    ...(reach
      ? {
          reach: {
            ...reach,
            ...(config.tenantId ? { tenantId: config.tenantId } : {}),
            serviceUrl: config.teamsServiceUrl,
            botChatLink: `https://teams.microsoft.com/l/chat/0/0?users=28:${config.appId}`,
          },
        }
      : {}),
  });
  // Staging files a crashed process left behind are unreadable (their key died with it) but take disk.
  // Swept before the first export starts, then on its own beat; it logs counts only.
  const spoolSweeper = new SpoolSweeper({ staleMs: STALE_SPOOL_MS, clock, logger });
  await spoolSweeper.runOnce();
  jobs.add('spool-sweep', spoolSweeper, 1, SPOOL_SWEEP_INTERVAL_MS);
  jobs
    .add(
      'export',
      new ExportWorker({
        store,
        packages,
        sources,
        controller: built.controller,
        timeZone: config.timeZone,
        clock,
        logger,
        owner,
        leaseMs: config.exports.leaseMs,
        maxAttempts: config.exports.maxAttempts,
        retryDelayMs: config.exports.retryDelayMs,
      }),
      config.exports.concurrency,
    )
    .add(
      'notify',
      new NotificationDispatcher({
        store,
        messenger,
        packages,
        clock,
        logger,
        owner,
        leaseMs: config.notificationLeaseMs,
        batchSize: NOTIFICATION_BATCH,
        linkLifetimeMs: config.downloadLinkMs,
        retryDelayMs: NOTIFICATION_RETRY_MS,
        maxRetryDelayMs: NOTIFICATION_MAX_RETRY_MS,
        maxAttempts: NOTIFICATION_MAX_ATTEMPTS,
        unreachableRetryMs: UNREACHABLE_RETRY_MS,
      }),
    )
    // Retention and the clock's alerts are about days, not seconds: they are looked at on a slower beat.
    .add('retention', lifecycle, 1, config.deadlines.checkIntervalMs)
    .add(
      'deadlines',
      new DeadlineWatch({ store, messenger, clock, logger, owner, timeZone: config.timeZone, ...config.deadlines }),
      1,
      config.deadlines.checkIntervalMs,
    );

  const readiness = new Readiness(
    [
      { name: 'store', check: () => opened.readiness() },
      { name: 'storage', check: (signal) => containerReadiness(blobService, config.storage.container, signal) },
    ],
    logger,
  );
  const server = await startBotServer({
    adapter,
    host: config.host,
    port: config.port,
    logger,
    readiness: () => readiness.report(),
    ...tabApiOf(config, {
      requests,
      logger,
      clock,
      people: directoryFile?.users,
      confirmation: { store: turnStore, complaints: built.controller },
      lifecycle,
      afterChange: () => jobs.kick(),
    }),
    ...tabPageOf(config, overrides.tabPageDir),
    logic: async (context) => {
      const before = queuingWrites();
      await bot.run(context);
      // What the turn queued is done now rather than at the next poll. Compared with a count shared
      // by concurrent turns, so a turn may kick for another's write: one empty claim at worst.
      if (queuingWrites() !== before) jobs.kick();
    },
  });
  jobs.start();
  let draining: Promise<boolean> | undefined;
  const drainJobs = async (graceMs: number): Promise<boolean> => {
    readiness.stopping();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = await Promise.race([jobs.stop().then(() => true as const), graceOver]);
    clearTimeout(timer);
    if (finished) logger.info({ graceMs }, 'work in flight finished');
    else logger.warn({ graceMs }, 'work still in flight when the shutdown grace ran out; its leases run out by themselves and another instance takes it over');
    return finished;
  };
  logger.info(
    {
      mode: config.mode,
      url: server.url,
      instance: owner,
      store: opened.kind,
      timeZone: config.timeZone,
      timeZoneSource: config.timeZoneSource,
      workingDayRule: workingDays.appliesTo,
    },
    'Privacy Desk is listening',
  );

  return {
    server,
    requests,
    store,
    packages,
    jobs,
    lifecycle,
    bot,
    readiness,
    storeKind: opened.kind,
    drain: (graceMs = config.shutdownGraceMs) => (draining ??= drainJobs(graceMs)),
    async stop() {
      await (draining ??= drainJobs(config.shutdownGraceMs));
      await server.close();
      await opened.close();
    },
  };
}

/**
 * The tab's page as `npm run build` bundled it (scripts/buildTab.ts), in production. Local mode runs
 * from the source, where a bundle in dist/ could be older than the code beside it: it serves none.
 */
function tabPageOf(config: AppConfig, builtInto?: string) {
  if (config.mode !== 'production' && !builtInto) return {};
  const tabPage = loadTabPage(builtInto ?? projectPath(TAB_WEB_BUILD_DIR));
  return tabPage ? { tabPage } : {};
}

/**
 * The tab's API: signed in by Teams SSO in production (when the tab's settings are there), and in
 * local mode by picking one of the demo directory's people (loopback only, tab/api/localSignIn.ts).
 */
function tabApiOf(
  config: AppConfig,
  deps: {
    requests: RequestService;
    logger: Logger;
    clock: Clock;
    people: ReadonlyArray<{ objectId: string; displayName: string }> | undefined;
    confirmation: TabApiDeps['confirmation'];
    lifecycle: TabApiDeps['lifecycle'];
    afterChange: () => void;
  },
) {
  const { requests, logger, clock, people, confirmation, lifecycle, afterChange } = deps;
  if (config.tabSso)
    return { tabApi: new TabApi({ sso: new SsoTokenValidator(config.tabSso, clock), requests, logger, confirmation, lifecycle, afterChange }) };
  if (config.mode !== 'local' || !people) return {};
  const local = new LocalSignIn(
    people.map((person) => ({ objectId: person.objectId, name: person.displayName })),
    clock,
  );
  return { tabApi: new TabApi({ sso: local, requests, logger, local, confirmation, lifecycle, afterChange }) };
}
