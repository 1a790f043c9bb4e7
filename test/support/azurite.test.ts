import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BlobSASPermissions, BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from './azurite';

const CONTAINER = 'exports';
const BLOB_NAME = 'request-123/export.zip';
const BLOB_CONTENT = 'subject data export';
const ONE_HOUR_MS = 60 * 60 * 1000;

function blobSasUrl(azurite: AzuriteInstance, permissions: string, startsOn: Date, expiresOn: Date): string {
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const sas = generateBlobSASQueryParameters(
    {
      containerName: CONTAINER,
      blobName: BLOB_NAME,
      permissions: BlobSASPermissions.parse(permissions),
      startsOn,
      expiresOn,
    },
    credential,
  ).toString();
  // The blob name keeps its '/': encode each path segment, as the SDK does.
  const blobPath = BLOB_NAME.split('/').map(encodeURIComponent).join('/');
  return `${azurite.blobEndpoint}/${CONTAINER}/${blobPath}?${sas}`;
}

/** Returns true if the process with this id still exists (signal 0 only checks). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('test support: startAzurite', function () {
  describe('in memory', function () {
    let azurite: AzuriteInstance;

    before(async function () {
      azurite = await startAzurite();
    });

    after(async function () {
      await azurite?.stop();
    });

    it('exposes a loopback endpoint and a devstoreaccount1 connection string', function () {
      assert.ok(azurite.port > 0);
      assert.equal(azurite.blobEndpoint, `http://127.0.0.1:${azurite.port}/devstoreaccount1`);
      assert.match(azurite.connectionString, /AccountName=devstoreaccount1;/);
      assert.match(azurite.connectionString, new RegExp(`BlobEndpoint=${azurite.blobEndpoint};`));
    });

    it('serves a blob through a read-only SAS, refuses an expired one and a write', async function () {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      const container = service.getContainerClient(CONTAINER);
      await container.create();
      await container.getBlockBlobClient(BLOB_NAME).upload(BLOB_CONTENT, Buffer.byteLength(BLOB_CONTENT));

      const now = Date.now();
      const valid = await fetch(blobSasUrl(azurite, 'r', new Date(now - ONE_HOUR_MS), new Date(now + ONE_HOUR_MS)));
      assert.equal(valid.status, 200);
      assert.equal(await valid.text(), BLOB_CONTENT);

      const expired = await fetch(blobSasUrl(azurite, 'r', new Date(now - 2 * ONE_HOUR_MS), new Date(now - ONE_HOUR_MS)));
      assert.equal(expired.status, 403);
      await expired.body?.cancel();

      const write = await fetch(blobSasUrl(azurite, 'r', new Date(now - ONE_HOUR_MS), new Date(now + ONE_HOUR_MS)), {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: 'overwritten',
      });
      assert.equal(write.status, 403);
      await write.body?.cancel();
    });
  });

  describe('stop() and --location', function () {
    let dataDir: string;

    before(async function () {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'azurite-test-'));
    });

    after(async function () {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('stop() ends the real Azurite process and data in --location survives a restart', async function () {
      const first = await startAzurite({ location: dataDir });
      try {
        const container = BlobServiceClient.fromConnectionString(first.connectionString).getContainerClient(CONTAINER);
        await container.create();
        await container.getBlockBlobClient(BLOB_NAME).upload(BLOB_CONTENT, Buffer.byteLength(BLOB_CONTENT));
      } finally {
        await first.stop();
      }
      assert.equal(processExists(first.pid), false, 'Azurite is still running after stop()');
      await first.stop(); // a second stop() is harmless

      const second = await startAzurite({ location: dataDir });
      try {
        const blob = BlobServiceClient.fromConnectionString(second.connectionString).getContainerClient(CONTAINER).getBlockBlobClient(BLOB_NAME);
        assert.equal((await blob.downloadToBuffer()).toString('utf8'), BLOB_CONTENT);
      } finally {
        await second.stop();
      }
    });
  });
});
