/**
 * A Privacy Desk instance in its own process, for tests that kill it (kill -9) mid-work. Configured
 * from the environment like the real bot, with the tests' outbound credentials. With
 * STALL_SOURCE=<id>, that source yields its first record and then never finishes — the export is
 * in progress, and stays so, until the process is killed. INSTANCE_ID names the instance in leases
 * (several crashing instances in one test need different names), and CLOCK_AHEAD_MS runs its clock
 * that far ahead of the machine's: an instance started right after another was killed sees that
 * one's leases as run out, as it would after waiting. With SLOW_SOURCE=<id> and SLOW_SOURCE_MS, that
 * source waits that long before its first record, so several exports are under way at once (each
 * start is announced as SLOWED). OUTBOUND_TOKEN is the bearer token its Connector calls carry: a test
 * with several instances tells from it which one sent a message.
 */
import { loadConfig } from '../../app/config';
import { createPrivacyDesk } from '../../app/createPrivacyDesk';
import type { DataSource } from '../../domain/export/dataSource';
import { testCredentialsFactory } from '../support/credentials';
import { CapturingLogger } from './harness';
import { clockAhead } from './instanceLauncher';

function stalled(source: DataSource): DataSource {
  return {
    id: source.id,
    disclosure: source.disclosure,
    tabular: source.tabular,
    async *records(subject, signal) {
      for await (const record of source.records(subject, signal)) {
        yield record;
        break;
      }
      // Tells the test the export is under way: it kills the process after this.
      process.stdout.write('STALLED\n');
      await new Promise(() => undefined);
    },
  };
}

function slowed(source: DataSource, delayMs: number): DataSource {
  return {
    id: source.id,
    disclosure: source.disclosure,
    tabular: source.tabular,
    async *records(subject, signal) {
      // Tells the test this instance is in the middle of an export.
      process.stdout.write('SLOWED\n');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      yield* source.records(subject, signal);
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const stall = process.env.STALL_SOURCE;
  const aheadMs = Number(process.env.CLOCK_AHEAD_MS ?? 0);
  const slow = process.env.SLOW_SOURCE;
  const slowMs = Number(process.env.SLOW_SOURCE_MS ?? 0);
  const desk = await createPrivacyDesk(config, {
    logger: new CapturingLogger(),
    credentialsFactory: testCredentialsFactory(config.appId, process.env.OUTBOUND_TOKEN || undefined),
    instanceId: process.env.INSTANCE_ID ?? 'instance-that-will-crash',
    ...(aheadMs > 0 ? { clock: clockAhead(aheadMs) } : {}),
    wrapSources: (sources) => sources.map((s) => (s.id === stall ? stalled(s) : s.id === slow ? slowed(s, slowMs) : s)),
  });
  process.stdout.write(`LISTENING ${desk.server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof Error && error.stack ? error.stack : String(error));
  process.exit(1);
});
