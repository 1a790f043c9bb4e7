import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { ContainerSASPermissions, SASProtocol, type BlobServiceClient } from '@azure/storage-blob';
import { signSas } from '../storage/signedLinks';
import {
  SourceFailure,
  type DataSource,
  type SourceContext,
  type SourceDisclosure,
  type SourceFile,
  type SourcePreparation,
  type SourceRecord,
} from '../../domain/export/dataSource';
import type { SubjectSnapshot } from '../../domain/requests/exportRequest';
import { sourceFilePath } from '../../domain/export/packageLayout';

export interface M365ExportOptions {
  readonly graph: Client;
  readonly blobService: BlobServiceClient;
  /** Files up to this size go into the package; larger ones are referenced (name, size, where it is kept). */
  readonly maxInlineBytes: number;
  /** How often to ask Graph how the export is doing. */
  readonly pollIntervalMs: number;
  /** How long Microsoft may write into the container (the SAS lifetime). */
  readonly writeWindowMs: number;
}

const CONTAINER_PREFIX = 'm365-export-';
/** Graph's dataPolicyOperation statuses. */
const OperationStatus = { NotStarted: 'notStarted', Running: 'running', Complete: 'complete', Failed: 'failed' } as const;

interface DataPolicyOperation {
  readonly status?: string;
  readonly progress?: number;
}

/**
 * Microsoft's own export of a user's personal data from Microsoft 365 (Graph
 * POST /users/{id}/exportPersonalData). Microsoft writes the files into a container we give it a
 * write-only SAS for, and reports progress at /dataPolicyOperations/{id}; it can take days. The export
 * waits (prepare), then includes the files as they are — or a reference to those too large to inline.
 * Permission: User.Export.All (application).
 */
export class M365ExportSource implements DataSource {
  readonly tabular = true;
  constructor(
    readonly id: string,
    readonly disclosure: SourceDisclosure,
    private readonly options: M365ExportOptions,
  ) {}

  async prepare(context: SourceContext): Promise<SourcePreparation> {
    const container = containerFor(context.requestId);
    const operationUrl = typeof context.checkpoint?.operationUrl === 'string' ? context.checkpoint.operationUrl : await this.start(context.subject, container);
    const checkpoint = { operationUrl, container };
    const operation = await this.graphCall<DataPolicyOperation>(() => this.options.graph.api(operationUrl).get(), 'the export status could not be read');
    switch (operation.status) {
      case OperationStatus.Complete:
        return { status: 'ready', checkpoint };
      case OperationStatus.Failed:
        throw new SourceFailure(this.id, 'Microsoft 365 reported that its export failed');
      default: {
        const percent = typeof operation.progress === 'number' && operation.progress > 0 ? ` (${Math.round(operation.progress)}%)` : '';
        const progress = operation.status === OperationStatus.Running ? `Microsoft 365 export running${percent}` : 'Microsoft 365 export queued';
        return { status: 'waiting', checkpoint, progress, checkAgainInMs: this.options.pollIntervalMs };
      }
    }
  }

  /** One record per file Microsoft wrote: what it is, and whether it is in the package or kept aside. */
  async *records(_subject: SubjectSnapshot, signal: AbortSignal, context?: SourceContext): AsyncIterable<SourceRecord> {
    for await (const blob of this.blobs(context, signal)) {
      const included = blob.bytes <= this.options.maxInlineBytes;
      yield {
        file: blob.name,
        bytes: blob.bytes,
        included,
        location: included ? sourceFilePath(this.id, blob.name) : `kept by the privacy team (storage container ${blob.container}); ask for it`,
      };
    }
  }

  async *files(context: SourceContext): AsyncIterable<SourceFile> {
    const container = this.options.blobService.getContainerClient(this.containerName(context));
    for await (const blob of this.blobs(context, context.signal)) {
      if (blob.bytes > this.options.maxInlineBytes) continue;
      yield {
        name: blob.name,
        bytes: blob.bytes,
        open: async () => {
          const download = await container.getBlobClient(blob.name).download(0, undefined, { abortSignal: context.signal });
          if (!download.readableStreamBody) throw new SourceFailure(this.id, `file ${blob.name} has no content`);
          return download.readableStreamBody;
        },
      };
    }
  }

  /** The container Microsoft writes into: remembered in the checkpoint, or this request's own. */
  private containerName(context: SourceContext): string {
    return String(context.checkpoint?.container ?? containerFor(context.requestId));
  }

  private async *blobs(context: SourceContext | undefined, signal: AbortSignal): AsyncIterable<{ name: string; bytes: number; container: string }> {
    if (!context) throw new SourceFailure(this.id, 'the export was read without its request context');
    const name = this.containerName(context);
    try {
      for await (const blob of this.options.blobService.getContainerClient(name).listBlobsFlat()) {
        signal.throwIfAborted();
        yield { name: blob.name, bytes: blob.properties.contentLength ?? 0, container: name };
      }
    } catch (error) {
      if (signal.aborted || error instanceof SourceFailure) throw error;
      throw new SourceFailure(this.id, 'the files Microsoft 365 wrote could not be listed', { cause: error });
    }
  }

  /** Creates the container and asks Graph to export into it; returns the operation's URL. */
  private async start(subject: SubjectSnapshot, containerName: string): Promise<string> {
    const container = this.options.blobService.getContainerClient(containerName);
    await container.createIfNotExists();
    const storageLocation = await this.writeSasUrl(containerName);
    const response = await this.graphCall<Response>(
      () =>
        this.options.graph
          .api(`/users/${encodeURIComponent(subject.objectId)}/exportPersonalData`)
          .responseType(ResponseType.RAW)
          .post({ storageLocation }),
      'the export could not be started',
    );
    const location = response.headers.get('location');
    if (response.status !== 202 || !location) throw new SourceFailure(this.id, `Microsoft Graph answered ${response.status} without an operation to follow`);
    return location;
  }

  /** A container SAS Microsoft can write and list with, and nothing more. */
  private async writeSasUrl(containerName: string): Promise<string> {
    const service = this.options.blobService;
    const container = service.getContainerClient(containerName);
    const expiresOn = new Date(Date.now() + this.options.writeWindowMs);
    const values = {
      containerName,
      permissions: ContainerSASPermissions.parse('wlc'),
      expiresOn,
      // Microsoft's service writes through this link from outside: https only, whatever the endpoint.
      protocol: SASProtocol.Https,
    };
    // With an Entra credential the link lasts at most seven days (Azure's limit for the key behind it).
    const signed = await signSas(service, values);
    return `${container.url}?${signed.query}`;
  }

  private async graphCall<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      throw new SourceFailure(this.id, `${what} (Microsoft Graph ${status ?? 'error'})`, { cause: error });
    }
  }
}

/** One container per request: Microsoft's files never mix with anyone else's. */
function containerFor(requestId: string): string {
  return `${CONTAINER_PREFIX}${requestId.toLowerCase()}`;
}
