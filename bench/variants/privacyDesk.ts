// Measured child: Privacy Desk's real export path. A SQLite store (in memory) holds one confirmed
// self-service request for the benchmark subject; the ExportWorker claims it and runs writePackage
// into AzureBlobPackageStore.openBlockUpload, exactly as the running bot does. The sources are the demo
// configuration's three (config/sources.json): directory profile, Privacy Desk's own records, and a
// BlobJsonLinesSource, pointed at the benchmark's container.
//
// The sources are built here rather than with sourcesConfig.buildSources so the benchmark depends only
// on the source classes it measures, not on every source type the config loader knows.
import { readFile } from 'node:fs/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { JsonFileDirectory, readDemoDirectoryFile } from '../../adapters/directory/jsonFileDirectory';
import { BlobJsonLinesSource } from '../../adapters/sources/blobJsonLinesSource';
import { DirectoryProfileSource } from '../../adapters/sources/directoryProfileSource';
import { PrivacyDeskRecordsSource } from '../../adapters/sources/privacyDeskRecordsSource';
import { IN_MEMORY, SqliteDatabase } from '../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import { AzureBlobPackageStore } from '../../adapters/storage/azureBlobPackageStore';
import { userActor } from '../../domain/actor';
import { systemClock } from '../../domain/clock';
import type { ControllerDetails } from '../../domain/export/coverLetter';
import type { DataSource, SourceDisclosure } from '../../domain/export/dataSource';
import { ExportWorker } from '../../domain/export/exportWorker';
import type { Logger } from '../../domain/logger';
import { ConfiguredAdmins } from '../../domain/policy/adminPolicy';
import { RequestState } from '../../domain/requests/lifecycle';
import { RequestService } from '../../domain/requests/requestService';
import { readChildInput, runMeasured } from '../lib/measure';
import { TELEMETRY_SOURCE_ID } from '../lib/protocol';
import { projectPath } from '../../app/projectRoot';

/** The parts of config/sources.json the benchmark reads (validated by the app itself, not here). */
interface SourcesFileShape {
  readonly controller: ControllerDetails;
  readonly sources: ReadonlyArray<{ readonly type: string; readonly id: string; readonly disclosure: SourceDisclosure; readonly userIdField?: string }>;
}

const stderrLogger: Logger = {
  info() {},
  warn: (fields, message) => console.error('[privacy-desk] warn', message, JSON.stringify(fields)),
  error: (fields, message) => console.error('[privacy-desk] error', message, JSON.stringify(fields)),
};

async function main(): Promise<void> {
  const input = readChildInput('privacy-desk');
  const clock = systemClock;
  const database = await SqliteDatabase.open(IN_MEMORY);
  const store = new SqliteRequestStore(database, clock);
  const directoryFile = await readDemoDirectoryFile(projectPath('local/demo/directory.json'));
  const directory = new JsonFileDirectory(directoryFile);
  const requests = new RequestService({
    store,
    directory,
    admins: new ConfiguredAdmins(directoryFile.admins),
    clock,
    timeZone: 'Europe/Berlin',
    filingsPerHour: 3,
    recentWindowDays: 90,
  });
  // "export my data": confirmed at once, so the worker has exactly one request to claim.
  const request = await requests.fileForSelf(userActor(input.subjectId));
  if (request.state !== RequestState.Confirmed) throw new Error(`the benchmark request is ${request.state}, not confirmed`);

  const blobService = BlobServiceClient.fromConnectionString(input.connectionString);
  // The benchmark's Azurite is local mode's, on plain http: the store refuses that unless told it runs
  // locally. The export path it measures makes no links, so this changes nothing measured.
  const packages = await AzureBlobPackageStore.open(blobService, input.packageContainer, { localMode: true });
  const config = JSON.parse(await readFile(projectPath('config/sources.json'), 'utf8')) as SourcesFileShape;
  const configured = (type: string, id?: string) => {
    const found = config.sources.find((s) => s.type === type && (id === undefined || s.id === id));
    if (!found) throw new Error(`config/sources.json has no ${type} source${id ? ` "${id}"` : ''}`);
    return found;
  };
  const profile = configured('directory-profile');
  const records = configured('privacy-desk-records');
  const telemetry = configured('blob-jsonl', TELEMETRY_SOURCE_ID);
  const sources: DataSource[] = [
    new DirectoryProfileSource(profile.id, profile.disclosure, directory),
    new PrivacyDeskRecordsSource(records.id, records.disclosure, store),
    new BlobJsonLinesSource(telemetry.id, telemetry.disclosure, {
      container: blobService.getContainerClient(input.dataContainer),
      prefix: input.dataPrefix,
      userIdField: telemetry.userIdField ?? 'userId',
      matchOn: 'objectId',
    }),
  ];
  const worker = new ExportWorker({
    store,
    packages,
    sources,
    controller: config.controller,
    timeZone: 'UTC',
    clock,
    logger: stderrLogger,
    owner: 'bench',
    leaseMs: 60_000,
    maxAttempts: 1, // a failure is a benchmark failure: report it, do not retry
    retryDelayMs: 0,
  });

  await runMeasured('privacy-desk', async () => {
    const claimed = await worker.runOnce();
    if (!claimed) throw new Error('the export worker found no request to export');
    const done = await store.get(request.id);
    if (!done?.package || done.state !== RequestState.Ready) {
      throw new Error(`export did not succeed: state ${done?.state}, failure ${JSON.stringify(done?.failure)}`);
    }
    return { packageBlob: done.package.blobName, zipBytes: done.package.sizeBytes, zipSha256: done.package.sha256, requestState: done.state };
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
