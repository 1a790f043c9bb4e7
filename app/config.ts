import { resolve } from 'node:path';
import { z } from 'zod';
import { entraSsoSettings, type SsoSettings } from '../tab/api/ssoTokenValidator';
import { GraphConfigError } from '../adapters/graph/graphCredential';
import { hasGraphSettings, parseGraphSettings, type GraphSettings } from '../adapters/graph/graphSettings';
import { isValidTimeZone } from '../domain/deadlines/calendarDate';
import type { DeadlineWatchOptions } from '../domain/deadlines/deadlineWatch';
import { DEFAULT_RECEIVED_DATE_MAX_AGE_DAYS } from '../domain/deadlines/receivedDate';
import { DEFAULT_WEEKEND, WEEKDAY_NUMBER, WORKING_DAY_RULE_DEFAULT, type WeekdayName } from '../domain/deadlines/workingDays';
import type { Regime } from '../domain/requests/regime';
import { isRegime, parseRegimeByLocation, type RegimeDefaults } from '../domain/requests/regimeDefaults';
import { TEAMS_CHANNEL_ID } from '../bot/http/inboundPolicy';
import { connectionStringScheme, urlScheme } from '../adapters/storage/storageEndpoint';
import { describeDatabase, isLoopbackHost } from '../adapters/store/postgres/postgresDatabase';

/**
 * Every setting Privacy Desk reads, validated once at start. `.env.example` documents each one; a
 * bad value stops the process with a message that names the setting and says what is expected.
 */

/** botbuilder's own settings, passed to ConfigurationBotFrameworkAuthentication unchanged. */
export const BOT_FRAMEWORK_KEYS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'CallerId',
  'ValidateAuthority',
  'BotOpenIdMetadata',
] as const;

/** Hosts Teams and the Bot Framework send activities from; replies may go only there. */
export const DEFAULT_SERVICE_URL_HOSTS = [
  'smba.trafficmanager.net',
  '*.botframework.com',
  '*.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Local mode's zone when none is set (production requires one). */
export const LOCAL_TIME_ZONE = 'UTC';
/** The demo holiday calendar (Germany, nationwide, 2026–2027); a tenant points PRIVACY_DESK_HOLIDAYS_FILE at its own. */
export const DEFAULT_HOLIDAYS_FILE = 'config/holidays.json';

const intFrom = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
const list = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );
const dayList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number),
    )
    .refine((days) => days.every((d) => Number.isInteger(d) && d >= 0 && d <= 365), 'must be whole numbers of days, comma-separated, e.g. 1,3');
const WEEKDAY_NAMES = Object.keys(WEEKDAY_NUMBER) as WeekdayName[];
/** "sat,sun": the days of the week that are not working days; at least one day of the week must be one. */
const weekendDays = z
  .string()
  .default(DEFAULT_WEEKEND.join(','))
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toLowerCase().slice(0, 3))
      .filter(Boolean),
  )
  .refine((days) => days.every((d) => (WEEKDAY_NAMES as string[]).includes(d)), `must be days of the week, comma-separated, e.g. ${DEFAULT_WEEKEND.join(',')}`)
  .refine((days) => new Set(days).size < WEEKDAY_NAMES.length, 'cannot be every day of the week')
  .transform((days) => [...new Set(days)] as WeekdayName[]);
const yesNo = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

/** A URL the bot fetches keys from: https, except on this machine (a test's key set). */
const httpsUnlessLoopback = z.url().refine((text) => {
  const url = new URL(text);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'must be an https URL (http only on 127.0.0.1 or localhost)');

const envSchema = z
  .object({
    MicrosoftAppId: z.string().trim().optional().default(''),
    MicrosoftAppPassword: z.string().optional().default(''),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    MicrosoftAppTenantId: z.string().trim().optional().default(''),
    HOST: z.string().trim().optional(),
    BOT_PUBLIC_HOSTNAME: z
      .string()
      .trim()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be the bot’s public host name only, like privacydesk.contoso.com')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    TAB_SSO_AUDIENCE: z.string().trim().optional(),
    TAB_SSO_ISSUER: z.url().optional(),
    TAB_SSO_JWKS_URL: httpsUnlessLoopback.optional(),
    PORT: intFrom(3978, 0, 65535),
    PRIVACY_DESK_DATA_DIR: z.string().default('.data'),
    PRIVACY_DESK_DB_FILE: z.string().optional(),
    PRIVACY_DESK_SOURCES_FILE: z.string().default('config/sources.json'),
    PRIVACY_DESK_DIRECTORY_FILE: z.string().optional(),
    PRIVACY_ADMIN_IDS: list.pipe(z.array(z.uuid({ message: 'each admin must be an Entra objectId (a GUID)' }))),
    PRIVACY_DESK_TIME_ZONE: z
      .string()
      .optional()
      .refine((zone) => zone === undefined || isValidTimeZone(zone), 'must be an IANA time zone such as Europe/Berlin'),
    PRIVACY_DESK_HOLIDAYS_FILE: z.string().default(DEFAULT_HOLIDAYS_FILE),
    WORKING_DAYS_RULE_GDPR: yesNo(WORKING_DAY_RULE_DEFAULT.gdpr),
    WORKING_DAYS_RULE_CCPA: yesNo(WORKING_DAY_RULE_DEFAULT.ccpa),
    WEEKEND_DAYS: weekendDays,
    RECEIVED_DATE_MAX_AGE_DAYS: intFrom(DEFAULT_RECEIVED_DATE_MAX_AGE_DAYS, 1, 3650),
    AZURE_STORAGE_CONNECTION_STRING: z.string().optional(),
    AZURE_STORAGE_ACCOUNT_URL: z.url().optional(),
    PACKAGES_CONTAINER: z
      .string()
      .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid blob container name')
      .default('privacy-exports'),
    AZURITE_BLOB_PORT: intFrom(10000, 0, 65535),
    DOWNLOAD_LINK_HOURS: intFrom(168, 1, 24 * 30),
    PACKAGE_RETENTION_DAYS: intFrom(30, 1, 3650),
    EXPORT_CONCURRENCY: intFrom(2, 1, 16),
    EXPORT_LEASE_SECONDS: intFrom(60, 1, 3600),
    EXPORT_MAX_ATTEMPTS: intFrom(3, 1, 10),
    EXPORT_RETRY_DELAY_SECONDS: intFrom(30, 0, 3600),
    POLL_INTERVAL_MS: intFrom(1000, 50, 60000),
    NOTIFICATION_LEASE_SECONDS: intFrom(60, 1, 3600),
    FILING_RATE_LIMIT_PER_HOUR: intFrom(30, 1, 10_000),
    RECENT_REQUEST_WINDOW_DAYS: intFrom(90, 0, 3650),
    // The law "export my data" offers first (decision 0019); the person can always choose the other.
    DEFAULT_REGIME: z
      .string()
      .default('gdpr')
      .transform((v) => v.trim().toLowerCase())
      .refine(isRegime, 'must be gdpr or ccpa')
      .transform((v) => v as RegimeDefaults['tenantDefault']),
    REGIME_BY_LOCATION: z
      .string()
      .default('')
      .superRefine((v, ctx) => {
        const parsed = parseRegimeByLocation(v);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `${parsed.problem}; write e.g. US-CA:ccpa,DE:gdpr` });
      })
      .transform((v) => {
        const parsed = parseRegimeByLocation(v);
        return parsed.ok ? parsed.byLocation : new Map<string, RegimeDefaults['tenantDefault']>();
      }),
    REMINDER_DAYS: dayList('1,3'),
    ESCALATE_AFTER_DAYS: intFrom(5, 1, 365),
    LAPSE_AFTER_DAYS: intFrom(14, 1, 365),
    DUE_WARNING_DAYS: dayList('7,2'),
    DIGEST_HOUR: intFrom(8, 0, 23),
    DAILY_DIGEST: yesNo(true),
    DEADLINE_CHECK_SECONDS: intFrom(60, 1, 3600),
    TEAMS_SERVICE_URL: z.url({ message: 'must be a URL, e.g. https://smba.trafficmanager.net/teams/' }).default('https://smba.trafficmanager.net/teams/'),
    ALLOWED_SERVICE_URL_HOSTS: list,
    ALLOWED_CHANNEL_IDS: list,
    PLAYGROUND: yesNo(true),
    PLAYGROUND_PORT: intFrom(56150, 0, 65535),
    PRIVACY_ADMIN_GROUP_ID: z.string().optional(),
    GRAPH_IN_USE: z.boolean().default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // PostgreSQL instead of the SQLite file (decision 0020): what several instances behind a load balancer share.
    DATABASE_URL: z.string().trim().optional(),
    DATABASE_AUTH: z.enum(['password', 'entra'], { error: 'must be password or entra' }).optional(),
    DATABASE_MAX_CONNECTIONS: intFrom(10, 1, 1000),
    // How long a stopping instance lets work in flight (an export, a message being sent) finish.
    SHUTDOWN_GRACE_MS: intFrom(20_000, 0, 600_000),
  })
  .superRefine((env, ctx) => {
    const production = env.MicrosoftAppId !== '';
    if (!production && env.HOST && !LOOPBACK.has(env.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: 'without MicrosoftAppId the bot runs in local mode and listens only on loopback (127.0.0.1); set MicrosoftAppId to listen elsewhere',
      });
    }
    if (production) {
      if (!env.MicrosoftAppType)
        ctx.addIssue({ code: 'custom', path: ['MicrosoftAppType'], message: 'is required with MicrosoftAppId: SingleTenant, MultiTenant or UserAssignedMSI' });
      if (env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword)
        ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required with MicrosoftAppId (the bot’s client secret)' });
      // Every "today" and due date is read in this zone: a wrong one makes requests late by a day (decision 0016).
      if (!env.PRIVACY_DESK_TIME_ZONE)
        ctx.addIssue({
          code: 'custom',
          path: ['PRIVACY_DESK_TIME_ZONE'],
          message:
            'is required in production: the tenant’s IANA time zone (e.g. Europe/Berlin, America/Los_Angeles). Every "today" and due date is read in it, and a wrong zone moves deadlines by a day',
        });
      if (!env.MicrosoftAppTenantId)
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppTenantId'],
          message: 'is required with MicrosoftAppId: the Entra tenant Privacy Desk serves (activities from any other tenant are refused)',
        });
      if (!env.AZURE_STORAGE_CONNECTION_STRING && !env.AZURE_STORAGE_ACCOUNT_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['AZURE_STORAGE_CONNECTION_STRING'],
          message: 'production needs Azure Storage: set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL',
        });
      // Download links are https-only in production, so storage reached over plain http could serve none of them.
      const connectionScheme = env.AZURE_STORAGE_CONNECTION_STRING ? connectionStringScheme(env.AZURE_STORAGE_CONNECTION_STRING) : undefined;
      if (connectionScheme !== undefined && connectionScheme !== 'https')
        ctx.addIssue({
          code: 'custom',
          path: ['AZURE_STORAGE_CONNECTION_STRING'],
          message:
            'must reach Azure Storage over https in production, where download links are https-only: use DefaultEndpointsProtocol=https or an https:// BlobEndpoint (plain http and UseDevelopmentStorage=true are for local mode)',
        });
      if (env.AZURE_STORAGE_ACCOUNT_URL && urlScheme(env.AZURE_STORAGE_ACCOUNT_URL) !== 'https')
        ctx.addIssue({
          code: 'custom',
          path: ['AZURE_STORAGE_ACCOUNT_URL'],
          message: 'must start with https:// in production, where download links are https-only',
        });
      if (env.PRIVACY_ADMIN_IDS.length === 0 && !env.PRIVACY_ADMIN_GROUP_ID)
        ctx.addIssue({
          code: 'custom',
          path: ['PRIVACY_ADMIN_IDS'],
          message: 'name the privacy admins: PRIVACY_ADMIN_GROUP_ID (an Entra security group, with Graph) or PRIVACY_ADMIN_IDS (objectIds, comma-separated)',
        });
      if (!env.PRIVACY_DESK_DIRECTORY_FILE && !env.GRAPH_IN_USE)
        ctx.addIssue({
          code: 'custom',
          path: ['GRAPH_CLIENT_ID'],
          message:
            'production needs a directory: configure Microsoft Graph (GRAPH_TENANT_ID, GRAPH_CLIENT_ID and a credential), or PRIVACY_DESK_DIRECTORY_FILE for a fixed list of users',
        });
    }
    if (env.AZURE_STORAGE_ACCOUNT_URL && env.DOWNLOAD_LINK_HOURS > 168) {
      ctx.addIssue({
        code: 'custom',
        path: ['DOWNLOAD_LINK_HOURS'],
        message: 'can be at most 168 (7 days) with AZURE_STORAGE_ACCOUNT_URL: user-delegation links cannot live longer',
      });
    }
    if (env.DATABASE_URL !== undefined) {
      for (const message of databaseUrlProblems(env.DATABASE_URL, databaseAuthFor(env.DATABASE_URL, env.DATABASE_AUTH, production)))
        ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message });
      if (env.PRIVACY_DESK_DB_FILE)
        ctx.addIssue({
          code: 'custom',
          path: ['PRIVACY_DESK_DB_FILE'],
          message: 'is the SQLite file, which is not used with DATABASE_URL (PostgreSQL): unset one of the two',
        });
    } else if (env.DATABASE_AUTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_AUTH'],
        message: 'only applies with DATABASE_URL (PostgreSQL); without it the store is the SQLite file',
      });
    }
    if (env.AZURE_STORAGE_CONNECTION_STRING && env.AZURE_STORAGE_ACCOUNT_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_ACCOUNT_URL'],
        message: 'set either AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL, not both',
      });
    }
  });

/** How the bot signs in to PostgreSQL: the password in DATABASE_URL, or an Entra token of its managed identity. */
export type DatabaseAuth = 'password' | 'entra';

const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:']);
const DATABASE_URL_SHAPE = 'postgres://user@host:5432/database';

/** The URL's password, if it carries one; never shown anywhere. */
function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/** DATABASE_AUTH as given, else password when the URL carries one, else Entra in production (a managed identity) and password locally. */
function databaseAuthFor(url: string, given: DatabaseAuth | undefined, production: boolean): DatabaseAuth {
  return given ?? (urlHasPassword(url) || !production ? 'password' : 'entra');
}

/**
 * What is wrong with DATABASE_URL, as phrases that read after the setting's name. They name the
 * scheme, host, port and database at most: a URL may hold a password, so it is never repeated whole.
 */
function databaseUrlProblems(raw: string, auth: DatabaseAuth): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [`is not a URL; write it as ${DATABASE_URL_SHAPE}`];
  }
  if (!POSTGRES_SCHEMES.has(url.protocol)) return [`must start with postgres:// or postgresql://; write it as ${DATABASE_URL_SHAPE}`];
  const database = url.pathname.replace(/^\//, '');
  if (!url.hostname || !database) return [`needs a host and a database name, as in ${DATABASE_URL_SHAPE}`];
  const problems: string[] = [];
  if (url.searchParams.get('sslmode') === 'disable' && !isLoopbackHost(url.hostname)) {
    problems.push(
      `asks for no TLS (sslmode=disable) to ${describeDatabase(raw)}, which is not on this machine; connections that leave the machine must use TLS, so remove sslmode=disable`,
    );
  }
  if (auth === 'entra') {
    if (url.password)
      problems.push(
        'carries a password, but DATABASE_AUTH=entra signs in with the managed identity’s token: remove the password from the URL, or set DATABASE_AUTH=password',
      );
    if (!url.username)
      problems.push(
        'needs the PostgreSQL role of the managed identity as its user (postgres://<role>@host:5432/database) to sign in with Entra; or put a password in it',
      );
  }
  return problems;
}

export type AppMode = 'local' | 'production';

export interface AppConfig {
  readonly mode: AppMode;
  readonly host: string;
  readonly port: number;
  /** The values handed to botbuilder, exactly as given in the environment. */
  readonly botFramework: Readonly<Record<string, string>>;
  readonly appId: string;
  readonly tenantId?: string;
  readonly dataDir: string;
  readonly dbFile: string;
  readonly sourcesFile: string;
  readonly directoryFile: string;
  readonly adminIds: readonly string[];
  readonly timeZone: string;
  /** Where the time zone came from: local mode falls back to UTC and says so at start. */
  readonly timeZoneSource: 'setting' | 'default';
  /** Regulation 1182/71 Art. 3(4): per law, whether a period ending on a day off runs on to the next working day. */
  readonly workingDays: { readonly appliesTo: Readonly<Record<Regime, boolean>>; readonly holidaysFile: string; readonly weekend: readonly WeekdayName[] };
  /** A received date further back than this many days needs the reason it is recorded late. */
  readonly receivedDateMaxAgeDays: number;
  readonly storage: { readonly connectionString?: string; readonly accountUrl?: string; readonly container: string; readonly azuritePort: number };
  readonly downloadLinkMs: number;
  /** Packages are deleted this long after they were generated; the request and its audit trail stay. */
  readonly packageRetentionMs: number;
  readonly exports: { readonly concurrency: number; readonly leaseMs: number; readonly maxAttempts: number; readonly retryDelayMs: number };
  readonly pollIntervalMs: number;
  /**
   * How long a message is held by the instance sending it. An instance that dies mid-send holds
   * the request's messages this long before another takes them over; longer than any one send.
   */
  readonly notificationLeaseMs: number;
  readonly filingsPerHour: number;
  readonly recentWindowDays: number;
  /** Which law "export my data" offers first: the tenant's, or the one configured for the person's location. */
  readonly regimeDefaults: RegimeDefaults;
  readonly deadlines: Pick<DeadlineWatchOptions, 'reminderDays' | 'escalateAfterDays' | 'lapseAfterDays' | 'dueWarningDays' | 'digestHour' | 'dailyDigest'> & {
    /** How often retention and the deadline watch look for work. */
    readonly checkIntervalMs: number;
  };

  /** Where the bot starts conversations itself (after installing the app for someone). */
  readonly teamsServiceUrl: string;
  readonly allowedServiceUrlHosts: readonly string[];
  /** Channels whose activities are processed (Teams only by default; Web Chat lets the client choose who it is). */
  readonly allowedChannelIds: readonly string[];
  readonly playground: { readonly enabled: boolean; readonly port: number };
  readonly logLevel: string;
  /** Microsoft Graph (directory, admins by group, app installation, mail), when configured. */
  readonly graph?: GraphSettings;
  /** What the Teams tab's sign-in token must be (tab/api/ssoTokenValidator.ts); without it the tab API is off. */
  readonly tabSso?: SsoSettings;
  /** The Teams app's manifest id, for finding it in the tenant's app catalog. */
  readonly teamsAppManifestId?: string;
  /** PostgreSQL for everything durable, when DATABASE_URL is set; otherwise the SQLite file `dbFile`. Holds a secret: never log `url`. */
  readonly postgres?: { readonly url: string; readonly auth: DatabaseAuth; readonly maxConnections: number };
  /** How long a stop lets work in flight finish before it closes the store anyway (its leases then run out by themselves). */
  readonly shutdownGraceMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Privacy Desk cannot start: its configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every setting.`,
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  // An empty setting (as in a copied .env.example) means "not set": it must never become, say, HOST="" (all interfaces).
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const graphInUse = hasGraphSettings(env);
  const parsed = envSchema.safeParse({ ...env, GRAPH_IN_USE: graphInUse });
  let graph: GraphSettings | undefined;
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
  if (graphInUse) {
    try {
      graph = parseGraphSettings(env);
    } catch (error) {
      if (!(error instanceof GraphConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const mode: AppMode = e.MicrosoftAppId ? 'production' : 'local';
  const dataDir = resolve(cwd, e.PRIVACY_DESK_DATA_DIR);
  const botFramework: Record<string, string> = {};
  for (const key of BOT_FRAMEWORK_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') botFramework[key] = value;
  }
  return {
    mode,
    host: e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    port: e.PORT,
    botFramework,
    appId: e.MicrosoftAppId,
    ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId } : {}),
    dataDir,
    dbFile: resolve(cwd, e.PRIVACY_DESK_DB_FILE ?? `${e.PRIVACY_DESK_DATA_DIR}/privacy-desk.db`),
    sourcesFile: resolve(cwd, e.PRIVACY_DESK_SOURCES_FILE),
    directoryFile: resolve(cwd, e.PRIVACY_DESK_DIRECTORY_FILE ?? 'local/demo/directory.json'),
    adminIds: e.PRIVACY_ADMIN_IDS,
    timeZone: e.PRIVACY_DESK_TIME_ZONE ?? LOCAL_TIME_ZONE,
    timeZoneSource: e.PRIVACY_DESK_TIME_ZONE ? 'setting' : 'default',
    workingDays: {
      appliesTo: { gdpr: e.WORKING_DAYS_RULE_GDPR, ccpa: e.WORKING_DAYS_RULE_CCPA },
      holidaysFile: resolve(cwd, e.PRIVACY_DESK_HOLIDAYS_FILE),
      weekend: e.WEEKEND_DAYS,
    },
    receivedDateMaxAgeDays: e.RECEIVED_DATE_MAX_AGE_DAYS,
    storage: {
      ...(e.AZURE_STORAGE_CONNECTION_STRING ? { connectionString: e.AZURE_STORAGE_CONNECTION_STRING } : {}),
      ...(e.AZURE_STORAGE_ACCOUNT_URL ? { accountUrl: e.AZURE_STORAGE_ACCOUNT_URL } : {}),
      container: e.PACKAGES_CONTAINER,
      azuritePort: e.AZURITE_BLOB_PORT,
    },
    downloadLinkMs: e.DOWNLOAD_LINK_HOURS * 3600_000,
    packageRetentionMs: e.PACKAGE_RETENTION_DAYS * 24 * 3600_000,
    exports: {
      concurrency: e.EXPORT_CONCURRENCY,
      leaseMs: e.EXPORT_LEASE_SECONDS * 1000,
      maxAttempts: e.EXPORT_MAX_ATTEMPTS,
      retryDelayMs: e.EXPORT_RETRY_DELAY_SECONDS * 1000,
    },
    pollIntervalMs: e.POLL_INTERVAL_MS,
    notificationLeaseMs: e.NOTIFICATION_LEASE_SECONDS * 1000,
    filingsPerHour: e.FILING_RATE_LIMIT_PER_HOUR,
    recentWindowDays: e.RECENT_REQUEST_WINDOW_DAYS,
    regimeDefaults: { tenantDefault: e.DEFAULT_REGIME, byLocation: e.REGIME_BY_LOCATION },
    deadlines: {
      reminderDays: e.REMINDER_DAYS,
      escalateAfterDays: e.ESCALATE_AFTER_DAYS,
      lapseAfterDays: e.LAPSE_AFTER_DAYS,
      dueWarningDays: e.DUE_WARNING_DAYS,
      digestHour: e.DIGEST_HOUR,
      dailyDigest: e.DAILY_DIGEST,
      checkIntervalMs: e.DEADLINE_CHECK_SECONDS * 1000,
    },
    teamsServiceUrl: e.TEAMS_SERVICE_URL,
    allowedServiceUrlHosts: e.ALLOWED_SERVICE_URL_HOSTS.length
      ? e.ALLOWED_SERVICE_URL_HOSTS
      : mode === 'local'
        ? [...DEFAULT_SERVICE_URL_HOSTS, ...LOOPBACK_HOSTS]
        : DEFAULT_SERVICE_URL_HOSTS,
    allowedChannelIds: e.ALLOWED_CHANNEL_IDS.length ? e.ALLOWED_CHANNEL_IDS : [TEAMS_CHANNEL_ID],
    playground: { enabled: mode === 'local' && e.PLAYGROUND, port: e.PLAYGROUND_PORT },
    logLevel: e.LOG_LEVEL,
    ...(graph ? { graph } : {}),
    ...tabSsoOf(e, mode),
    ...(env.TEAMS_APP_ID ? { teamsAppManifestId: env.TEAMS_APP_ID } : {}),
    ...(e.DATABASE_URL
      ? {
          postgres: {
            url: e.DATABASE_URL,
            auth: databaseAuthFor(e.DATABASE_URL, e.DATABASE_AUTH, mode === 'production'),
            maxConnections: e.DATABASE_MAX_CONNECTIONS,
          },
        }
      : {}),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}

/**
 * The tab signs in with Teams SSO in production only: its token's audience is the resource in the app
 * package, `api://<BOT_PUBLIC_HOSTNAME>/<MicrosoftAppId>` (TAB_SSO_AUDIENCE when the Entra app exposes
 * another), issued by the bot's tenant. TAB_SSO_ISSUER and TAB_SSO_JWKS_URL are for another cloud or
 * a test's key set.
 */
function tabSsoOf(e: z.infer<typeof envSchema>, mode: AppMode): { tabSso: SsoSettings } | undefined {
  if (mode !== 'production' || !e.MicrosoftAppTenantId) return undefined;
  const audience = e.TAB_SSO_AUDIENCE || (e.BOT_PUBLIC_HOSTNAME ? `api://${e.BOT_PUBLIC_HOSTNAME}/${e.MicrosoftAppId}` : undefined);
  if (!audience) return undefined;
  const entra = entraSsoSettings(e.MicrosoftAppTenantId, audience);
  return { tabSso: { ...entra, ...(e.TAB_SSO_ISSUER ? { issuer: e.TAB_SSO_ISSUER } : {}), ...(e.TAB_SSO_JWKS_URL ? { jwksUrl: e.TAB_SSO_JWKS_URL } : {}) } };
}
