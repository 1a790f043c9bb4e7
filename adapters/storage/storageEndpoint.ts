/**
 * Which scheme a storage connection string reaches Blob Storage with, read the way @azure/storage-blob
 * reads it (utils.common.js, extractConnectionStringParts), so configuration can refuse a plain-http
 * endpoint before the SDK ever uses it.
 */

/** The SDK expands this shorthand to Azurite's well-known account on http://127.0.0.1:10000. */
const DEVELOPMENT_STORAGE = 'UseDevelopmentStorage=true';
const DEVELOPMENT_STORAGE_SCHEME = 'http';

/**
 * The blob endpoint's scheme ("https", "http", …, lower case), or undefined when the string names
 * none (the SDK then refuses it on its own). An explicit BlobEndpoint wins over DefaultEndpointsProtocol,
 * as in the SDK.
 */
export function connectionStringScheme(connectionString: string): string | undefined {
  if (connectionString.trim().startsWith(DEVELOPMENT_STORAGE)) return DEVELOPMENT_STORAGE_SCHEME;
  const blobEndpoint = settingOf(connectionString, 'BlobEndpoint');
  if (blobEndpoint) return urlScheme(blobEndpoint);
  return settingOf(connectionString, 'DefaultEndpointsProtocol')?.toLowerCase();
}

/** The scheme of a URL without its colon ("https"), or undefined when it is not a URL. */
export function urlScheme(url: string): string | undefined {
  try {
    return new URL(url).protocol.replace(/:$/, '').toLowerCase();
  } catch {
    return undefined;
  }
}

function settingOf(connectionString: string, name: string): string | undefined {
  const prefix = `${name}=`;
  const element = connectionString
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(prefix));
  return element?.slice(prefix.length).trim() || undefined;
}
