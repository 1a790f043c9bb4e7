import type { Writable } from 'node:stream';

export interface PackageUpload {
  /** Write the ZIP bytes here; the upload commits only when the stream ends without error. */
  readonly stream: Writable;
  /** Settles when the blob is committed (or the upload failed). */
  readonly done: Promise<void>;
}

/**
 * A blob built from blocks: staged in any order while its parts are produced, and made the blob, in
 * the order given, by one atomic commit. Until then nothing is visible under its name.
 */
export interface BlockUpload {
  /** Stores one block of the future blob and returns its id. */
  stageBlock(data: Buffer): Promise<string>;
  /** Makes the blob exactly these blocks, in this order; blocks staged and not listed are dropped. */
  commit(blockIds: readonly string[]): Promise<void>;
  /** Drops every staged block (they hold personal data) and anything under the name. */
  abandon(): Promise<void>;
}

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: Date;
}

/** Where export packages live (Azure Blob Storage; Azurite locally). */
export interface PackageStore {
  /** Starts a streaming upload to `blobName`. Nothing is visible under that name until it commits. */
  openUpload(blobName: string): PackageUpload;
  /** Starts a block upload to `blobName` (how export packages are written: docs/decisions/0009). */
  openBlockUpload(blobName: string): BlockUpload;
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
