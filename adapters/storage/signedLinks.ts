import { generateBlobSASQueryParameters, StorageSharedKeyCredential, type BlobSASSignatureValues, type BlobServiceClient } from '@azure/storage-blob';

/** Azure refuses a user-delegation key that ends more than seven days after it is requested. */
const MAX_USER_DELEGATION_MS = 7 * 24 * 3600_000;
/**
 * Keys and links start this far in the past, and end this far inside the seven days: the storage
 * service's clock and ours may differ by a few minutes, and a key "not yet valid" fails the link.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface SignedQuery {
  readonly query: string;
  /** When the link really stops working: earlier than asked when a user-delegation key cannot last that long. */
  readonly expiresAt: Date;
}

/**
 * Signs SAS values with the account key when the client has one, otherwise as user-delegation SAS
 * (an Entra credential, no account key anywhere), capped at what Azure allows for such a key.
 */
export async function signSas(service: BlobServiceClient, values: BlobSASSignatureValues & { readonly expiresOn: Date }): Promise<SignedQuery> {
  const credential = service.credential;
  const now = new Date();
  const asked = values.expiresOn;
  if (credential instanceof StorageSharedKeyCredential) {
    return { query: generateBlobSASQueryParameters({ ...values, expiresOn: asked }, credential).toString(), expiresAt: asked };
  }
  const latest = new Date(now.getTime() + MAX_USER_DELEGATION_MS - CLOCK_SKEW_MS);
  const expiresAt = asked < latest ? asked : latest;
  const startsOn = new Date(now.getTime() - CLOCK_SKEW_MS);
  const key = await service.getUserDelegationKey(startsOn, expiresAt);
  return { query: generateBlobSASQueryParameters({ ...values, startsOn, expiresOn: expiresAt }, key, service.accountName).toString(), expiresAt };
}
