import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { BlobSASPermissions, BlobServiceClient, ContainerClient, SASProtocol } from '@azure/storage-blob';
import type { BlockUpload, DownloadLink, PackageStore, PackageUpload } from '../../domain/export/packageStore';
import { signSas } from './signedLinks';
import { urlScheme } from './storageEndpoint';

/** Blocks of 4 MiB, 4 in flight: the upload holds at most ~20 MiB whatever the package size. */
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;
const COPY_LINK_LIFETIME_MS = 60_000;
/** Azure's limit of committed blocks per block blob. */
const MAX_COMMITTED_BLOCKS = 50_000;
const HTTPS = 'https';

export interface PackageStoreOptions {
  /**
   * Local mode: Azurite on http://127.0.0.1, where an https-only link could not be opened, so links
   * there also work over http. Anywhere else links are https-only and a plain-http endpoint is refused.
   */
  readonly localMode?: boolean;
}

/**
 * Export packages in Azure Blob Storage (Azurite in local mode and tests). Links are blob-scoped,
 * read-only, https-only SAS URLs (local mode's http Azurite aside): signed with the account key when the store was opened with a connection
 * string, or as user-delegation SAS (no account key anywhere) with an Entra credential.
 */
export class AzureBlobPackageStore implements PackageStore {
  private constructor(
    private readonly service: BlobServiceClient,
    private readonly container: ContainerClient,
    private readonly localMode: boolean,
  ) {}

  static async open(service: BlobServiceClient, containerName: string, options: PackageStoreOptions = {}): Promise<AzureBlobPackageStore> {
    const localMode = options.localMode ?? false;
    // Not the URL in the message: a SAS connection string puts its signature there.
    if (!localMode && urlScheme(service.url) !== HTTPS) {
      throw new Error('Download links are https-only outside local mode, but the storage endpoint is not https. Reach Azure Storage over https.');
    }
    const container = service.getContainerClient(containerName);
    // Private container: packages are reachable only through SAS links.
    await container.createIfNotExists();
    return new AzureBlobPackageStore(service, container, localMode);
  }

  openUpload(blobName: string): PackageUpload {
    const stream = new PassThrough();
    const done = this.container
      .getBlockBlobClient(blobName)
      .uploadStream(stream, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
        blobHTTPHeaders: downloadHeaders(blobName),
      })
      .then(() => undefined);
    // The SDK only pauses the stream when a block fails: destroy it, so the writer stops waiting to
    // drain and fails with the storage error instead of hanging.
    done.catch((error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))));
    return { stream, done };
  }

  openBlockUpload(blobName: string): BlockUpload {
    const blob = this.container.getBlockBlobClient(blobName);
    // Block ids must all have the same length; the random prefix keeps this upload's blocks apart
    // from any an earlier, abandoned upload left under the same name.
    const prefix = randomBytes(6).toString('hex');
    let next = 0;
    // Abandoning cancels blocks still on their way and waits for them, so none arrives after the
    // blocks were dropped (it would stay, uncommitted, for up to seven days).
    const cancel = new AbortController();
    const pending = new Set<Promise<unknown>>();
    return {
      stageBlock: async (data) => {
        cancel.signal.throwIfAborted();
        const id = Buffer.from(`${prefix}-${String(next++).padStart(8, '0')}`).toString('base64');
        const staged = blob.stageBlock(id, data, data.length, { abortSignal: cancel.signal });
        pending.add(staged);
        try {
          await staged;
        } finally {
          pending.delete(staged);
        }
        return id;
      },
      commit: async (blockIds) => {
        if (blockIds.length > MAX_COMMITTED_BLOCKS) {
          throw new Error(`the package needs ${blockIds.length} storage blocks; Azure Blob Storage allows ${MAX_COMMITTED_BLOCKS} per blob`);
        }
        await blob.commitBlockList([...blockIds], { blobHTTPHeaders: downloadHeaders(blobName) });
      },
      abandon: async () => {
        cancel.abort(new Error('the upload was abandoned'));
        await Promise.allSettled(pending);
        // Staged blocks are dropped when a block list is committed (or after seven days): commit
        // an empty one, then delete the empty blob it leaves.
        await blob.commitBlockList([]);
        await blob.deleteIfExists();
      },
    };
  }

  async createReadLink(blobName: string, expiresAt: Date): Promise<DownloadLink> {
    const blob = this.container.getBlobClient(blobName);
    // A link that also works over http could be read by anyone on the path; only local mode's
    // loopback Azurite, which speaks nothing else, gets one.
    const protocol = this.localMode && urlScheme(blob.url) !== HTTPS ? SASProtocol.HttpsAndHttp : SASProtocol.Https;
    const values = {
      containerName: this.container.containerName,
      blobName,
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: expiresAt,
      protocol,
    };
    const signed = await signSas(this.service, values);
    return { url: `${blob.url}?${signed.query}`, expiresAt: signed.expiresAt };
  }

  async move(fromBlobName: string, toBlobName: string): Promise<void> {
    // A server-side copy reads the source through a minute-long read link: the container stays private.
    const source = await this.createReadLink(fromBlobName, new Date(Date.now() + COPY_LINK_LIFETIME_MS));
    await this.container.getBlockBlobClient(toBlobName).syncCopyFromURL(source.url);
    await this.delete(fromBlobName);
  }

  async delete(blobName: string): Promise<void> {
    await this.container.getBlobClient(blobName).deleteIfExists();
  }

  async openRead(blobName: string): Promise<NodeJS.ReadableStream> {
    const download = await this.container.getBlobClient(blobName).download();
    // Not the name: a kept file's name holds another service's file name, and this can become a failure reason on a card.
    if (!download.readableStreamBody) throw new Error('a stored file came back without content');
    return download.readableStreamBody;
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) names.push(blob.name);
    return names;
  }
}

/** A package opens as a download named after the blob, whatever the browser makes of the URL. */
function downloadHeaders(blobName: string): { blobContentType: string; blobContentDisposition: string } {
  const fileName = blobName.split('/').pop() ?? 'export.zip';
  return { blobContentType: 'application/zip', blobContentDisposition: `attachment; filename="${fileName}"` };
}
