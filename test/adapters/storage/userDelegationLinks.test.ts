// Download links made with an Entra credential (production's AZURE_STORAGE_ACCOUNT_URL: no account key
// anywhere) are user-delegation SAS, and they work: checked against Azurite with `--oauth basic`, which
// hands out user-delegation keys for the signed-in identity and verifies user-delegation signatures.
// See test/support/azuriteOAuth.ts for exactly what the emulator checks.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobServiceClient, RestError, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureBlobPackageStore } from '../../../adapters/storage/azureBlobPackageStore';
import { M365ExportSource } from '../../../adapters/sources/m365ExportSource';
import type { DataSource, SourceContext } from '../../../domain/export/dataSource';
import { MANIFEST_FILE, packageBlobName, revokedPackageBlobName, type PackageManifest } from '../../../domain/export/packageLayout';
import { writePackage } from '../../../domain/export/packageWriter';
import { unzip } from '../../helpers/unzip';
import { testGraphClient } from '../graph/graphTestKit';
import { startAzuriteOAuth, STORAGE_SCOPE, TestEntraCredential, type AzuriteOAuthInstance } from '../../support/azuriteOAuth';
import { startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { exportingRequest, testDisclosure, testSource } from '../../helpers/exportFixtures';

const CONTAINER = 'packages-udk';
/** Every field a user-delegation SAS carries besides an ordinary service SAS's. */
const DELEGATION_FIELDS = ['skoid', 'sktid', 'skt', 'ske', 'sks', 'skv'] as const;

const request = exportingRequest();

function source(id: string, count: number): DataSource {
  return testSource(id, async function* () {
    for (let i = 0; i < count; i += 1) yield { n: i, text: `record ${i}` };
  });
}

function queryOf(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

/** The same URL with one query parameter replaced (the rest kept byte for byte). */
function withParam(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** Status and Azure error code (x-ms-error-code) of a request; the body is read and dropped. */
async function answer(url: string, init?: RequestInit): Promise<{ status: number; code: string | null }> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { status: response.status, code: response.headers.get('x-ms-error-code') };
}

const FORBIDDEN = { status: 403, code: 'AuthorizationFailure' };
const NOT_PERMITTED = { status: 403, code: 'AuthorizationPermissionMismatch' };
const PUT_BLOB = { method: 'PUT', body: 'x', headers: { 'x-ms-blob-type': 'BlockBlob' } } as const;

describe('download links with an Entra credential are user-delegation SAS (Azurite with OAuth)', function () {
  this.timeout(60_000);
  let azurite: AzuriteOAuthInstance;
  let credential: TestEntraCredential;
  let service: BlobServiceClient;
  let store: AzureBlobPackageStore;

  before(async () => {
    azurite = await startAzuriteOAuth();
    credential = new TestEntraCredential();
    // As production builds it from AZURE_STORAGE_ACCOUNT_URL (with DefaultAzureCredential there).
    service = new BlobServiceClient(azurite.blobEndpoint, credential);
    store = await AzureBlobPackageStore.open(service, CONTAINER);
  });
  after(() => azurite?.stop());

  async function upload(blobName: string) {
    return writePackage(
      {
        request,
        sources: [source('profile', 3), source('activity', 2_000)],
        controller: { name: 'Contoso', contact: 'privacy@example.com', supervisoryAuthority: 'the DPA' },
        timeZone: 'UTC',
        generatedAt: new Date('2026-02-01T10:00:00Z'),
        signal: new AbortController().signal,
      },
      store.openBlockUpload(blobName),
    );
  }

  it('the emulator really checks the bearer token: no token, a token for another audience or issuer, or an expired one are refused', async () => {
    const start = new Date();
    const expiry = new Date(start.getTime() + 60_000);
    const refused = async (client: BlobServiceClient, why: string) => {
      await assert.rejects(client.getUserDelegationKey(start, expiry), (error: unknown) => {
        assert.ok(error instanceof RestError, why);
        assert.equal(error.statusCode, 403, why);
        return true;
      });
    };
    await refused(new BlobServiceClient(azurite.blobEndpoint), 'anonymous');
    await refused(new BlobServiceClient(azurite.blobEndpoint, new TestEntraCredential({ audience: 'https://graph.microsoft.com' })), 'Graph audience');
    await refused(new BlobServiceClient(azurite.blobEndpoint, new TestEntraCredential({ issuer: 'https://login.example.com/tenant/' })), 'foreign issuer');
    await refused(new BlobServiceClient(azurite.blobEndpoint, new TestEntraCredential({ lifetimeOffsetSeconds: -2 * 3600 })), 'expired token');

    const key = await service.getUserDelegationKey(start, expiry);
    assert.equal(key.signedObjectId, credential.objectId, 'the key belongs to the signed-in identity');
    assert.equal(key.signedTenantId, credential.tenantId);
  });

  it('a package uploaded with the Entra credential is served by a read-only, one-blob user-delegation link', async () => {
    assert.ok(!(service.credential instanceof StorageSharedKeyCredential), 'no account key on this client');
    const blobName = packageBlobName(request.id, request.reference, 1);
    const summary = await upload(blobName);
    assert.ok(
      credential.requestedScopes.length > 0 && credential.requestedScopes.every((s) => s.length === 1 && s[0] === STORAGE_SCOPE),
      'storage calls were signed with the token',
    );

    const expiresAt = new Date(Date.now() + 10 * 60_000);
    const link = await store.createReadLink(blobName, expiresAt);
    assert.equal(link.expiresAt.getTime(), expiresAt.getTime());

    const q = queryOf(link.url);
    assert.equal(new Date(q.get('se')!).getTime(), Math.floor(expiresAt.getTime() / 1000) * 1000, 'the link ends when it says');
    for (const field of DELEGATION_FIELDS) assert.ok(q.get(field), `the link carries ${field}`);
    assert.equal(q.get('skoid'), credential.objectId, 'delegated by the signed-in identity');
    assert.equal(q.get('sktid'), credential.tenantId);
    assert.equal(q.get('sks'), 'b');
    assert.equal(q.get('sr'), 'b', 'one blob');
    assert.equal(q.get('sp'), 'r', 'read only');
    assert.equal(q.get('spr'), 'https', 'https only');
    assert.equal(q.get('si'), null, 'no stored access policy (not allowed with user delegation)');
    assert.ok(q.get('sig'));
    assert.ok(new Date(q.get('se')!).getTime() <= new Date(q.get('ske')!).getTime(), 'the link ends no later than its delegation key');
    assert.equal(new URL(link.url).pathname, `/${azurite.accountName}/${CONTAINER}/${blobName}`);

    const response = await fetch(link.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="DSR-2026-0077-attempt-1\.zip"/);
    const zip = Buffer.from(await response.arrayBuffer());
    assert.equal(zip.length, summary.sizeBytes);
    assert.equal(createHash('sha256').update(zip).digest('hex'), summary.sha256);
    const manifest = JSON.parse((await unzip(zip)).get(MANIFEST_FILE)!.toString()) as PackageManifest;
    assert.deepEqual(manifest, summary.manifest);

    // The signature is checked, and it covers who delegated: change either and the link is refused.
    const otherSig = createHash('sha256').update('not the signature').digest('base64');
    assert.deepEqual(await answer(withParam(link.url, 'sig', otherSig)), FORBIDDEN, 'tampered signature');
    assert.deepEqual(await answer(withParam(link.url, 'skoid', randomUUID())), FORBIDDEN, 'another identity’s key');
    assert.deepEqual(await answer(withParam(link.url, 'sp', 'rw')), FORBIDDEN, 'widened permissions');
    // Without its delegation fields the link would be checked as an account-key SAS: its signature is not one.
    const asAccountKeySas = new URL(link.url);
    for (const field of DELEGATION_FIELDS) asAccountKeySas.searchParams.delete(field);
    assert.deepEqual(await answer(asAccountKeySas.toString()), FORBIDDEN, 'not signed with the account key');

    assert.deepEqual(await answer(link.url, PUT_BLOB), NOT_PERMITTED, 'the link cannot write');
    assert.deepEqual(await answer(link.url, { method: 'DELETE' }), NOT_PERMITTED, 'the link cannot delete');
    const other = link.url.replace(`${request.reference}-attempt-1.zip`, `${request.reference}-attempt-2.zip`);
    assert.notEqual(other, link.url);
    assert.deepEqual(await answer(other), FORBIDDEN, 'the link is scoped to one blob');
    assert.equal((await answer(link.url)).status, 200, 'the package is untouched');
  });

  it('a user-delegation link stops working when it expires', async () => {
    const blobName = 'exports/short-lived.zip';
    await upload(blobName);
    // A link that ends in two seconds (SAS times are cut to whole seconds, so it ends at expiresAt or just
    // before). Whether it works before then is not asserted: that would be a timing threshold, and the
    // tests above show links from this same code path work.
    const expiresAt = new Date(Date.now() + 2_000);
    const link = await store.createReadLink(blobName, expiresAt);
    assert.ok(queryOf(link.url).get('skoid'));
    // Azurite runs in its own process on the same clock: wait (real time) until the link is past its end.
    await sleep(expiresAt.getTime() + 1_500 - Date.now());
    assert.deepEqual(await answer(link.url), FORBIDDEN);
    // The package is still there for a fresh link.
    assert.equal((await answer((await store.createReadLink(blobName, new Date(Date.now() + 60_000))).url)).status, 200);
  });

  it('a link asked for longer than a delegation key may live is cut to seven days, says so, and starts before now', async () => {
    const blobName = 'exports/long-lived.zip';
    await upload(blobName);
    const asked = new Date(Date.now() + 30 * 24 * 3600_000);
    const before = Date.now();
    const link = await store.createReadLink(blobName, asked);
    const query = queryOf(link.url);
    assert.ok(link.expiresAt.getTime() <= before + 7 * 24 * 3600_000, 'no later than Azure allows');
    assert.ok(link.expiresAt.getTime() > before + 6 * 24 * 3600_000, 'but not cut more than the clock margin');
    assert.equal(new Date(query.get('se')!).getTime(), Math.floor(link.expiresAt.getTime() / 1000) * 1000, 'the card is told the real end');
    assert.equal(query.get('ske'), query.get('se'));
    assert.ok(new Date(query.get('skt')!).getTime() < before - 60_000, 'the key starts before now: clocks may differ');
    assert.equal((await answer(link.url)).status, 200);
  });

  it('revoking (moving the package, as PackageLifecycle.revoke does) stops old links; a fresh link works', async () => {
    const from = packageBlobName(request.id, request.reference, 3);
    const summary = await upload(from);
    const old = await store.createReadLink(from, new Date(Date.now() + 10 * 60_000));
    assert.equal((await answer(old.url)).status, 200);

    // The move is a server-side copy whose source is read through a one-minute user-delegation link.
    const to = revokedPackageBlobName(request.id, request.reference, randomUUID());
    await store.move(from, to);
    assert.deepEqual(await store.list(`exports/${request.id}/`).then((names) => names.filter((n) => n === from || n === to)), [to]);

    // Still a valid signature, but for a name that no longer holds anything.
    assert.deepEqual(await answer(old.url), { status: 404, code: 'BlobNotFound' }, 'the old link no longer serves the package');

    const fresh = await fetch((await store.createReadLink(to, new Date(Date.now() + 60_000))).url);
    assert.equal(fresh.status, 200);
    assert.equal(
      createHash('sha256')
        .update(Buffer.from(await fresh.arrayBuffer()))
        .digest('hex'),
      summary.sha256,
      'the same bytes under the new name',
    );
  });

  describe('Microsoft 365’s export container (fake Graph)', () => {
    let graph: FakeGraph;
    before(async () => {
      graph = await startFakeGraph();
    });
    after(() => graph?.close());

    it('Graph gets a write/list user-delegation container SAS that lets it write its files and nothing more', async () => {
      const source = new M365ExportSource('microsoft-365', testDisclosure, {
        graph: testGraphClient(graph).client,
        blobService: service,
        maxInlineBytes: 1_000_000,
        pollIntervalMs: 1_000,
        writeWindowMs: 60 * 60_000,
      });
      const requestId = randomUUID();
      const context: SourceContext = { requestId, subject: request.subject, signal: new AbortController().signal };
      const waiting = await source.prepare(context);
      assert.equal(waiting.status, 'waiting');

      const [operation] = graph.personalDataExports();
      assert.ok(operation);
      const location = new URL(operation.storageLocation);
      assert.equal(location.pathname, `/${azurite.accountName}/m365-export-${requestId}`);
      const q = location.searchParams;
      for (const field of DELEGATION_FIELDS) assert.ok(q.get(field), `the container SAS carries ${field}`);
      assert.equal(q.get('skoid'), credential.objectId);
      assert.equal(q.get('sr'), 'c', 'the whole (per-request) container');
      assert.deepEqual(q.get('sp')!.split('').sort(), ['c', 'l', 'w'], 'create, write, list');
      assert.equal(q.get('spr'), 'https');

      // Microsoft writes through the SAS (the fake PUTs each file with it, as Graph would).
      const files = { 'Outlook/settings.json': '{"language":"en-US"}', 'Teams/usage.csv': 'day,minutes\n2026-11-01,42\n' };
      await graph.completePersonalDataExport(operation.id, files);

      const blobUrl = (name: string) => `${location.origin}${location.pathname}/${name}${location.search}`;
      const list = await fetch(`${location.origin}${location.pathname}${location.search}&restype=container&comp=list`);
      assert.equal(list.status, 200, 'Graph may list what it wrote');
      assert.match(await list.text(), /Outlook\/settings\.json/);
      assert.deepEqual(await answer(blobUrl('Outlook/settings.json')), NOT_PERMITTED, 'the SAS cannot read the subject’s data back');
      assert.deepEqual(await answer(blobUrl('Outlook/settings.json'), { method: 'DELETE' }), NOT_PERMITTED, 'the SAS cannot delete');
      assert.deepEqual(
        await answer(`${location.origin}/${azurite.accountName}/${CONTAINER}/x.txt${location.search}`, PUT_BLOB),
        FORBIDDEN,
        'the SAS is for this container only',
      );
      assert.deepEqual(
        await answer(withParam(blobUrl('extra.txt'), 'sig', createHash('sha256').update('forged').digest('base64')), PUT_BLOB),
        FORBIDDEN,
        'a forged signature cannot write',
      );
      assert.deepEqual(await answer(withParam(blobUrl('extra.txt'), 'skoid', randomUUID()), PUT_BLOB), FORBIDDEN, 'another identity’s key cannot write');

      // Privacy Desk then reads the files with its own Entra credential.
      const ready = await source.prepare({ ...context, checkpoint: waiting.checkpoint });
      assert.equal(ready.status, 'ready');
      const read: Record<string, string> = {};
      for await (const file of source.files({ ...context, checkpoint: ready.checkpoint })) {
        const chunks: Buffer[] = [];
        for await (const chunk of await file.open()) chunks.push(Buffer.from(chunk as Buffer));
        read[file.name] = Buffer.concat(chunks).toString('utf8');
      }
      assert.deepEqual(read, files);
    });
  });
});
