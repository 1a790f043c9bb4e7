/** Where things go inside an export package. Documented for recipients in docs/package-format.md. */
/** 1.1 added `gatheredAt` per source. */
export const PACKAGE_SCHEMA_VERSION = '1.1';
export const MANIFEST_FILE = 'manifest.json';
export const COVER_LETTER_MARKDOWN = 'cover-letter.md';
export const COVER_LETTER_HTML = 'cover-letter.html';

export function dataFile(sourceId: string, format: DataFormat): string {
  return `data/${sourceId}.${format}`;
}

/**
 * A part of a large source: data/<source-id>.part-0001.json. Source ids have no dots, so a part can
 * never be mistaken for another source's file.
 */
export function dataPartFile(sourceId: string, part: number, format: DataFormat): string {
  return `data/${sourceId}.part-${String(part).padStart(4, '0')}.${format}`;
}

export type DataFormat = 'json' | 'csv';

/**
 * Where a file a source hands over as it is goes: data/<source-id>/<name>. The name comes from
 * elsewhere (another service's export), so it is kept to a safe alphabet inside the folder.
 */
export function sourceFilePath(sourceId: string, name: string): string {
  const safe = name
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..')
    .map((part) => part.replace(/[^A-Za-z0-9._-]/g, '_'))
    .join('/');
  return `data/${sourceId}/${safe || 'file'}`;
}

export interface ManifestFile {
  readonly path: string;
  readonly sourceId?: string;
  readonly format: DataFormat | 'markdown' | 'html' | 'file';
  readonly records?: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Art. 20: whether this dataset falls under the right to data portability. */
  readonly portable?: boolean;
  /** For a source split into parts: which part (from 1) this file holds. */
  readonly part?: number;
}

export interface PackageManifest {
  readonly schemaVersion: string;
  readonly generatedAt: string;
  readonly request: {
    readonly reference: string;
    readonly regime: string;
    readonly receivedOn: string;
    readonly dueOn: string;
  };
  readonly subject: { readonly objectId: string };
  readonly sources: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly records: number;
    readonly portable: boolean;
    /** When the source was read; earlier than generatedAt when an earlier attempt's reading was kept. */
    readonly gatheredAt: string;
  }>;
  readonly files: readonly ManifestFile[];
}

/** Where kept sources' files wait between attempts: staging/<request id>/<source id>/<path>.deflate. */
export const KEPT_FILES_ROOT = 'staging/';

export function keptFileBlobName(requestId: string, sourceId: string, path: string): string {
  return `${keptFilesPrefix(requestId)}${sourceId}/${path}.deflate`;
}

export function keptFilesPrefix(requestId: string): string {
  return `${KEPT_FILES_ROOT}${requestId}/`;
}

/** Blob name of one export attempt's package; attempts never overwrite each other. */
export function packageBlobName(requestId: string, reference: string, attempt: number): string {
  return `exports/${requestId}/${reference}-attempt-${attempt}.zip`;
}

/** The name a package moves to when its links are revoked: unguessable, so old links cannot find it. */
export function revokedPackageBlobName(requestId: string, reference: string, token: string): string {
  return `exports/${requestId}/${reference}-${token}.zip`;
}
