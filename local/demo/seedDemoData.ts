import { blobServiceFor } from '../../adapters/storage/blobServiceFor';
import { projectPath } from '../../app/projectRoot';

export const DEMO_TELEMETRY_CONTAINER = 'app-telemetry';
export const DEMO_TELEMETRY_BLOB = 'events/2026/field-app.jsonl';
const DEMO_TELEMETRY_FILE = projectPath('local/demo/telemetry.jsonl');

/** Puts the demo app's telemetry into local storage once, so the demo export has a third source with data. */
export async function seedDemoData(connectionString: string): Promise<void> {
  const container = blobServiceFor({ connectionString }).getContainerClient(DEMO_TELEMETRY_CONTAINER);
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient(DEMO_TELEMETRY_BLOB);
  if (!(await blob.exists())) await blob.uploadFile(DEMO_TELEMETRY_FILE, { blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
}
