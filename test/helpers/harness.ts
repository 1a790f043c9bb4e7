import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { blobNames } from './blobNames';
import { loadConfig, type AppConfig } from '../../app/config';
import { createPrivacyDesk, type PrivacyDesk, type PrivacyDeskOverrides } from '../../app/createPrivacyDesk';
import { DEMO_TELEMETRY_BLOB, DEMO_TELEMETRY_CONTAINER, seedDemoData } from '../../local/demo/seedDemoData';
import { startHttpsAzurite, type AzuriteInstance } from '../support/azurite';
import { startBotConnector, type BotConnectorStandIn } from '../support/botConnector';
import { botFrameworkAuthConfig, startChannelTokenIssuer, TEST_TENANT_ID, type ChannelTokenIssuer } from '../support/channelTokens';
import { testCredentialsFactory } from '../support/credentials';
import { DEMO_DIRECTORY_FILE } from './domainFixture';
import { CapturingLogger } from '../support/capturingLogger';

export { CapturingLogger };
import { TeamsClient, type TeamsPerson } from './teamsClient';

export const BOT_APP_ID = '3c5f6a2e-7d1b-4e8f-9a0c-1b2d3e4f5a6b';

export const PERSON = {
  alex: { objectId: 'a1b2c3d4-0001-4000-8000-00000000a001', name: 'Alex Wilber' },
  megan: { objectId: 'a1b2c3d4-0002-4000-8000-00000000a002', name: 'Megan Bowen' },
  isaiah: { objectId: 'a1b2c3d4-0004-4000-8000-00000000a004', name: 'Isaiah Langer' },
} as const satisfies Record<string, TeamsPerson>;

/** The outside world of one integration suite: Azurite (https), the channel's key set, the Bot Connector. */
export interface World {
  readonly azurite: AzuriteInstance;
  readonly tokens: ChannelTokenIssuer;
  readonly connector: BotConnectorStandIn;
  readonly dataDir: string;
  env(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  // Over https, as production reaches storage: its download links are https-only (spr=https).
  const [azurite, tokens, connector] = await Promise.all([startHttpsAzurite(), startChannelTokenIssuer({ appId: BOT_APP_ID }), startBotConnector()]);
  await seedDemoData(azurite.connectionString);
  const dataDir = mkdtempSync(join(tmpdir(), 'privacy-desk-test-'));
  return {
    azurite,
    tokens,
    connector,
    dataDir,
    env: (extra = {}) => ({
      ...botFrameworkAuthConfig(BOT_APP_ID, tokens),
      HOST: '127.0.0.1',
      PORT: '0',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      PRIVACY_DESK_DATA_DIR: dataDir,
      PRIVACY_DESK_DIRECTORY_FILE: DEMO_DIRECTORY_FILE,
      PRIVACY_ADMIN_IDS: PERSON.alex.objectId,
      // Production mode requires the tenant's zone; the suites read "today" in UTC.
      PRIVACY_DESK_TIME_ZONE: 'UTC',
      ALLOWED_SERVICE_URL_HOSTS: '127.0.0.1',
      POLL_INTERVAL_MS: '50',
      EXPORT_RETRY_DELAY_SECONDS: '0',
      LOG_LEVEL: 'silent',
      // The digest is tested on its own clock (test/domain/deadlines/deadlineWatch.test.ts).
      DAILY_DIGEST: 'false',
      DEADLINE_CHECK_SECONDS: '1',
      ...extra,
    }),
    async stop() {
      await Promise.all([azurite.stop(), tokens.stop(), connector.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningDesk {
  readonly desk: PrivacyDesk;
  readonly config: AppConfig;
  readonly teams: TeamsClient;
  readonly logger: CapturingLogger;
}

/** One Privacy Desk instance in this process, in production mode (JWT validation on). */
export async function startDesk(world: World, options: { env?: Record<string, string>; overrides?: Partial<PrivacyDeskOverrides> } = {}): Promise<RunningDesk> {
  const config = loadConfig(world.env(options.env));
  const logger = new CapturingLogger();
  const desk = await createPrivacyDesk(config, { logger, credentialsFactory: testCredentialsFactory(BOT_APP_ID), ...options.overrides });
  const teams = new TeamsClient({
    botUrl: desk.server.url,
    serviceUrl: world.connector.serviceUrl,
    tenantId: TEST_TENANT_ID,
    botId: BOT_APP_ID,
    tokens: world.tokens,
  });
  return { desk, config, teams, logger };
}

/** A suite's running world and desk, filled in by the hooks useDesk registers. */
export interface DeskSuite {
  world: World;
  running: RunningDesk;
}

/**
 * Registers before/after hooks that start the outside world and one Privacy Desk for the enclosing
 * suite, and stop both afterwards. Read `suite.world` and `suite.running` inside tests.
 */
export function useDesk(options: Parameters<typeof startDesk>[1] = {}): DeskSuite {
  const suite = {} as DeskSuite;
  before(async () => {
    suite.world = await startWorld();
    suite.running = await startDesk(suite.world, options);
  });
  after(async () => {
    await suite.running?.desk.stop();
    await suite.world?.stop();
  });
  return suite;
}

/** Blob names under a prefix in the packages container (with `uncommitted`, also names that only have staged blocks). */
export function packageBlobs(world: World, { prefix = 'exports/', uncommitted = false } = {}): Promise<string[]> {
  return blobNames(BlobServiceClient.fromConnectionString(world.azurite.connectionString).getContainerClient('privacy-exports'), prefix, { uncommitted });
}

export { DEMO_TELEMETRY_BLOB, DEMO_TELEMETRY_CONTAINER };
