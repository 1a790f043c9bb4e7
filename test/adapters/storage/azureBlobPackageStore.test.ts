import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, SASProtocol, StorageSharedKeyCredential } from '@azure/storage-blob';
import sinon from 'sinon';
import { AzureBlobPackageStore } from '../../../adapters/storage/azureBlobPackageStore';
import { SourceFailure, type DataSource } from '../../../domain/export/dataSource';
import { MANIFEST_FILE, type PackageManifest } from '../../../domain/export/packageLayout';
import { writePackage } from '../../../domain/export/packageWriter';
import { blobNames } from '../../helpers/blobNames';
import { unzip } from '../../helpers/unzip';
import { startAzurite, startHttpsAzurite, type AzuriteInstance } from '../../support/azurite';
import { exportingRequest, testSource } from '../../helpers/exportFixtures';

const request = exportingRequest({
  id: '11111111-1111-4111-8111-111111111111',
  reference: 'DSR-2026-0042',
  subject: { objectId: 'a1b2c3d4-0002-4000-8000-00000000a002', displayName: '[Megan](https://evil.example) *Bowen*', userPrincipalName: 'meganb@example.com' },
});

function source(id: string, records: () => AsyncIterable<Record<string, unknown>>, tabular = true): DataSource {
  return testSource(id, records, { tabular });
}

async function* many(count: number) {
  for (let i = 0; i < count; i += 1) yield { n: i, text: `record "${i}", with, commas`, nested: { ok: i % 2 === 0 } };
}

describe('export packages in Blob Storage (Azurite)', function () {
  this.timeout(30_000);
  let azurite: AzuriteInstance;
  let store: AzureBlobPackageStore;

  before(async () => {
    // Over https, as outside local mode: the store signs https-only links and refuses anything else.
    azurite = await startHttpsAzurite();
    store = await AzureBlobPackageStore.open(BlobServiceClient.fromConnectionString(azurite.connectionString), 'packages-under-test');
  });
  after(() => azurite?.stop());
  afterEach(() => sinon.restore());

  async function write(blobName: string, sources: DataSource[]) {
    return writePackage(
      {
        request,
        sources,
        controller: { name: 'Contoso', contact: 'privacy@example.com', supervisoryAuthority: 'the DPA' },
        timeZone: 'UTC',
        generatedAt: new Date('2026-02-01T10:00:00Z'),
        signal: new AbortController().signal,
      },
      store.openBlockUpload(blobName),
    );
  }

  it('streams a package whose manifest matches its files, and serves it read-only through a link', async () => {
    const summary = await write('exports/ok.zip', [
      source('big', () => many(20_000)),
      source('empty', async function* () {}),
      source('notes', () => many(3), false),
    ]);
    const link = await store.createReadLink('exports/ok.zip', new Date(Date.now() + 60_000));
    assert.equal(new URL(link.url).protocol, 'https:');
    assert.equal(new URL(link.url).searchParams.get('spr'), 'https', 'https only: the link does not work over http');
    const response = await fetch(link.url);
    assert.equal(response.status, 200);
    const zip = Buffer.from(await response.arrayBuffer());
    assert.equal(zip.length, summary.sizeBytes);
    assert.equal(createHash('sha256').update(zip).digest('hex'), summary.sha256);
    const files = await unzip(zip);
    const manifest = JSON.parse(files.get(MANIFEST_FILE)!.toString()) as PackageManifest;
    assert.deepEqual(manifest, summary.manifest);
    assert.deepEqual(
      manifest.files.map((f) => f.path),
      ['data/big.json', 'data/big.csv', 'data/empty.json', 'data/empty.csv', 'data/notes.json', 'cover-letter.md', 'cover-letter.html'],
    );
    for (const file of manifest.files) assert.equal(createHash('sha256').update(files.get(file.path)!).digest('hex'), file.sha256, file.path);
    assert.equal((JSON.parse(files.get('data/big.json')!.toString()) as unknown[]).length, 20_000);
    assert.deepEqual(JSON.parse(files.get('data/empty.json')!.toString()), []);
    const csv = files.get('data/big.csv')!.toString().split('\n');
    assert.equal(csv[0], 'n,text,nested');
    assert.equal(csv[1], '0,"record ""0"", with, commas","{""ok"":true}"');
    const letter = files.get('cover-letter.md')!.toString();
    assert.ok(!letter.includes('[Megan](https://evil.example)'), 'names cannot become links in the letter');
    assert.doesNotMatch(files.get('cover-letter.html')!.toString(), /<a\b[^>]*evil\.example/, 'nor in the HTML letter');

    const put = await fetch(link.url, { method: 'PUT', body: 'overwrite', headers: { 'x-ms-blob-type': 'BlockBlob' } });
    assert.equal(put.status, 403, 'the link cannot write');
    const other = link.url.replace('exports/ok.zip', 'exports/other.zip');
    assert.equal((await fetch(other)).status, 403, 'the link is scoped to one blob');
    const expired = await store.createReadLink('exports/ok.zip', new Date(Date.now() - 1000));
    assert.equal((await fetch(expired.url)).status, 403);
  });

  it('a source failing mid-stream leaves no package and names the source, without quoting data', async () => {
    const failing = source('flaky', async function* () {
      yield* many(500);
      throw new Error('connection reset');
    });
    await assert.rejects(write('exports/failed.zip', [source('fine', () => many(10)), failing]), (error: unknown) => {
      assert.ok(error instanceof SourceFailure);
      assert.equal(error.sourceId, 'flaky');
      assert.equal(error.reason, 'connection reset');
      return true;
    });
    assert.deepEqual(await store.list('exports/failed'), []);
  });

  it('a storage write failing mid-upload leaves no package', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('packages-under-test');
    const blockBlob = container.getBlockBlobClient('exports/storage-fault.zip');
    // Injected fault: the storage service refuses the write (a small package goes up in one call, a large one in blocks).
    // The prototype, not this instance: the store makes its own client for the same blob.
    const proto = Object.getPrototypeOf(blockBlob) as typeof blockBlob;
    sinon.stub(proto, 'stageBlock').rejects(new Error('injected: 503 ServerBusy'));
    sinon.stub(proto, 'upload').rejects(new Error('injected: 503 ServerBusy'));
    await assert.rejects(write('exports/storage-fault.zip', [source('big', () => many(20_000))]), /ServerBusy/);
    sinon.restore();
    assert.deepEqual(await store.list('exports/storage-fault'), []);
  });

  it('a block upload shows nothing until it commits, commits in the order given, and abandoning drops its staged blocks', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('packages-under-test');
    const staged = () => blobNames(container, 'exports/blocks', { uncommitted: true });
    const upload = store.openBlockUpload('exports/blocks.zip');
    const first = await upload.stageBlock(Buffer.from('first '));
    const second = await upload.stageBlock(Buffer.from('second'));
    assert.deepEqual(await store.list('exports/blocks'), [], 'invisible before the commit');
    await upload.commit([second, first]);
    const blob = container.getBlobClient('exports/blocks.zip');
    assert.equal((await blob.downloadToBuffer()).toString(), 'secondfirst ');
    assert.equal((await blob.getProperties()).contentDisposition, 'attachment; filename="blocks.zip"');

    const doomed = store.openBlockUpload('exports/blocks-doomed.zip');
    await doomed.stageBlock(Buffer.from('personal data'));
    assert.deepEqual(await staged(), ['exports/blocks-doomed.zip', 'exports/blocks.zip'], 'a staged block is there, uncommitted');
    await doomed.abandon();
    assert.deepEqual(await staged(), ['exports/blocks.zip'], 'abandoned: nothing left under the name, staged or not');
  });

  it('abandoning waits for blocks still on their way, so none is left behind, uncommitted', async () => {
    const blobName = 'exports/late-blocks.zip';
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('packages-under-test');
    const proto = Object.getPrototypeOf(container.getBlockBlobClient(blobName)) as { stageBlock: (...args: unknown[]) => Promise<unknown> };
    const stageBlock = proto.stageBlock;
    // Injected fault: the store answers slowly, so blocks are on their way when the source fails, and
    // they are already on the wire (cancelling cannot stop them): abandoning must wait for them.
    const onTheirWay: Array<Promise<unknown>> = [];
    sinon.stub(proto, 'stageBlock').callsFake(function (this: unknown, ...args: unknown[]) {
      const sent = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return stageBlock.apply(this, [args[0], args[1], args[2], {}]);
      })();
      onTheirWay.push(sent);
      return sent;
    });
    const failing = source('flaky', async function* () {
      for (let i = 0; i < 40_000; i += 1) yield { n: i, blob: randomBytes(150).toString('base64') };
      throw new Error('connection reset');
    });
    const upload = store.openBlockUpload(blobName);
    await assert.rejects(
      writePackage(
        {
          request,
          sources: [failing],
          controller: { name: 'C', contact: 'c', supervisoryAuthority: 'a' },
          timeZone: 'UTC',
          generatedAt: new Date(),
          signal: new AbortController().signal,
        },
        upload,
      ),
      SourceFailure,
    );
    const settled = await Promise.race([Promise.allSettled(onTheirWay).then(() => true), Promise.resolve(false)]);
    assert.equal(settled, false, 'blocks were on their way when the upload was abandoned');
    await upload.abandon();
    sinon.restore();
    await Promise.allSettled(onTheirWay);
    assert.deepEqual(await blobNames(container, 'exports/late-blocks', { uncommitted: true }), []);
  });

  it('a storage failure part-way through a large upload fails the export instead of hanging', async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const doomed = await AzureBlobPackageStore.open(service, 'doomed-packages');
    const upload = doomed.openBlockUpload('exports/big.zip');
    const container = service.getContainerClient('doomed-packages');
    // Injected fault: the container disappears once several blocks are under way.
    const records = async function* () {
      for (let i = 0; i < 400_000; i += 1) {
        if (i === 100_000) await container.delete();
        yield { n: i, text: `incompressible ${Math.random()} ${Math.random()}` };
      }
    };
    // Before the fix this never settled: the suite's timeout is what catches a hang.
    await assert.rejects(
      writePackage(
        {
          request,
          sources: [source('big', records)],
          controller: { name: 'C', contact: 'c', supervisoryAuthority: 'a' },
          timeZone: 'UTC',
          generatedAt: new Date(),
          signal: new AbortController().signal,
        },
        upload,
      ),
      (error: unknown) => error instanceof Error,
    );
  });
});

describe('download links are https-only unless the store runs in local mode', function () {
  this.timeout(30_000);
  let plain: AzuriteInstance;
  let secure: AzuriteInstance;
  const blobName = 'exports/protocol.zip';

  before(async () => {
    [plain, secure] = await Promise.all([startAzurite(), startHttpsAzurite()]);
  });
  after(() => Promise.all([plain?.stop(), secure?.stop()]));

  async function withPackage(azurite: AzuriteInstance, container: string, options: { localMode?: boolean }) {
    const store = await AzureBlobPackageStore.open(BlobServiceClient.fromConnectionString(azurite.connectionString), container, options);
    const upload = store.openBlockUpload(blobName);
    await upload.commit([await upload.stageBlock(Buffer.from('the package'))]);
    return store;
  }

  it('outside local mode, a plain-http endpoint is refused when the store opens, before it creates anything', async () => {
    const service = BlobServiceClient.fromConnectionString(plain.connectionString);
    await assert.rejects(
      AzureBlobPackageStore.open(service, 'never-created'),
      /Download links are https-only outside local mode, but the storage endpoint is not https\./,
    );
    assert.equal(await service.getContainerClient('never-created').exists(), false);
  });

  it('local mode on http Azurite (npm start) keeps links that work over http', async () => {
    const store = await withPackage(plain, 'local-packages', { localMode: true });
    const link = await store.createReadLink(blobName, new Date(Date.now() + 60_000));
    assert.equal(new URL(link.url).protocol, 'http:');
    assert.equal(new URL(link.url).searchParams.get('spr'), 'https,http');
    const response = await fetch(link.url);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'the package');
  });

  it('local mode on an https endpoint signs https-only links too', async () => {
    const store = await withPackage(secure, 'local-https-packages', { localMode: true });
    const link = await store.createReadLink(blobName, new Date(Date.now() + 60_000));
    assert.equal(new URL(link.url).searchParams.get('spr'), 'https');
    assert.equal((await fetch(link.url)).status, 200);
  });

  it('storage itself refuses an https-only link used over http, so spr=https is what keeps a link off plain http', async () => {
    await withPackage(plain, 'refused-over-http', { localMode: true });
    const blob = BlobServiceClient.fromConnectionString(plain.connectionString).getContainerClient('refused-over-http').getBlobClient(blobName);
    const sas = generateBlobSASQueryParameters(
      {
        containerName: 'refused-over-http',
        blobName,
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + 60_000),
        protocol: SASProtocol.Https,
      },
      new StorageSharedKeyCredential(plain.accountName, plain.accountKey),
    );
    const response = await fetch(`${blob.url}?${sas.toString()}`);
    await response.arrayBuffer();
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-ms-error-code'), 'AuthorizationProtocolMismatch');
  });
});
