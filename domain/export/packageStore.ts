import type { Writable } from 'node:stream';

export interface PackageUpload {
  /** Write the ZIP bytes here; the upload commits only when the stream ends without error. */
  readonly stream: Writable;
  /** Settles when the blob is committed (or the upload failed). */
  readonly done: Promise<void>;
}

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: Date;
}

/** Where export packages live (Azure Blob Storage; Azurite locally). */
export interface PackageStore {
  /** Starts a streaming upload to `blobName`. Nothing is visible under that name until it commits. */
  openUpload(blobName: string): PackageUpload;
  /** A read-only link to exactly this blob, valid until `expiresAt`. */
  createReadLink(blobName: string, expiresAt: Date): Promise<DownloadLink>;
  delete(blobName: string): Promise<void>;
  /**
   * Moves a package to a new name inside the store (copy, then delete the old one). Every link to
   * the old name stops working: this is how links are revoked, for account-key and user-delegation
   * SAS alike.
   */
  move(fromBlobName: string, toBlobName: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Reads a stored blob (a kept source's staged file) as a stream. */
  openRead(blobName: string): Promise<NodeJS.ReadableStream>;
}
