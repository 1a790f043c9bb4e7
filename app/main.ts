import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger } from './logger';
import { createPrivacyDesk } from './createPrivacyDesk';
import { startAzurite } from '../local/azurite/startAzurite';
import { seedDemoData } from '../local/demo/seedDemoData';
import { startPlayground } from '../local/playground/startPlayground';

/**
 * `npm start`. With no MicrosoftAppId this is local mode: everything embedded and on loopback —
 * Azurite for storage (persisted under the data folder), the demo directory, and the Microsoft 365
 * Agents Playground as the Teams client. With an app id it is the production bot.
 */
async function main(): Promise<void> {
  if (typeof process.loadEnvFile === 'function') {
    try {
      process.loadEnvFile();
    } catch {
      // No .env file: the environment alone configures the bot.
    }
  }
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const cleanups: Array<() => Promise<void>> = [];
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.mode === 'local' && !config.storage.connectionString && !config.storage.accountUrl) {
    const location = join(config.dataDir, 'azurite');
    mkdirSync(location, { recursive: true });
    const azurite = await startAzurite({ location, port: config.storage.azuritePort });
    cleanups.push(() => azurite.stop());
    await seedDemoData(azurite.connectionString);
    config = { ...config, storage: { ...config.storage, connectionString: azurite.connectionString } };
    logger.info({ blobEndpoint: azurite.blobEndpoint }, 'local storage (Azurite) started');
  }

  const desk = await createPrivacyDesk(config, { logger });
  cleanups.push(() => desk.stop());

  if (config.playground.enabled) {
    // One Playground per person who needs a screen: the admin, and a data subject to answer cards.
    const botEndpoint = `${desk.server.url}/api/messages`;
    const workDir = join(config.dataDir, 'playground');
    const admin = await startPlayground({ botEndpoint, user: 'alexw', port: config.playground.port, workDir });
    cleanups.push(() => admin.stop());
    const subject = await startPlayground({ botEndpoint, user: 'meganb', port: config.playground.port + 1, workDir });
    cleanups.push(() => subject.stop());
    console.log(
      [
        '',
        'Privacy Desk is running in local mode (loopback only, nothing leaves this machine).',
        `  Privacy admin  ${admin.userName.padEnd(14)} ${admin.url}`,
        `  Data subject   ${subject.userName.padEnd(14)} ${subject.url}`,
        '  Another demo user (adelev, isaiahl, pattif, lynner):  npm run playground -- --as adelev',
        `  Bot endpoint   ${botEndpoint}`,
        '  Open both pages, type "help" in the admin’s. Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
  }
}

main().catch((error) => {
  console.error(`Privacy Desk failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
