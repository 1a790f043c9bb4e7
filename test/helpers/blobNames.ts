import type { ContainerClient } from '@azure/storage-blob';

/** Blob names under a prefix; with `uncommitted`, also names that so far have only staged blocks. */
export async function blobNames(container: ContainerClient, prefix: string, { uncommitted = false } = {}): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix, includeUncommitedBlobs: uncommitted })) names.push(blob.name);
  return names;
}
