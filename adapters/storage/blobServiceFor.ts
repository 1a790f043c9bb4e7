import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { azureCredential } from '../azure/credential';

/** Where the storage account is: a connection string (a key, or Azurite), or its URL reached with the Azure identity. */
export type BlobServiceSettings = { readonly connectionString: string } | { readonly accountUrl: string };

/** The BlobServiceClient for the configured account; `credential` defaults to the process's one Azure identity. */
export function blobServiceFor(settings: BlobServiceSettings, credential: () => TokenCredential = azureCredential): BlobServiceClient {
  return 'connectionString' in settings
    ? BlobServiceClient.fromConnectionString(settings.connectionString)
    : new BlobServiceClient(settings.accountUrl, credential());
}

/**
 * For a readiness probe: undefined when the container answers, else a short reason (no account
 * name, key or URL). `signal` ends the request when the probe stops waiting.
 */
export async function containerReadiness(service: BlobServiceClient, container: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    await service.getContainerClient(container).getProperties(signal ? { abortSignal: signal } : {});
    return undefined;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    return status === 404 ? 'the packages container does not exist' : status ? `the packages container answered ${status}` : 'blob storage does not answer';
  }
}
