import assert from 'node:assert/strict';
import { BlobServiceClient } from '@azure/storage-blob';
import { connectionStringScheme, urlScheme } from '../../../adapters/storage/storageEndpoint';
import { AZURITE_ACCOUNT_KEY } from '../../support/azurite';

const KEY = `AccountName=contoso;AccountKey=${AZURITE_ACCOUNT_KEY}`;

describe('the scheme a storage connection string reaches Blob Storage with', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['the https default', `DefaultEndpointsProtocol=https;${KEY};EndpointSuffix=core.windows.net`, 'https'],
    ['plain http', `DefaultEndpointsProtocol=http;${KEY};EndpointSuffix=core.windows.net`, 'http'],
    ['an explicit https BlobEndpoint over an http default', `DefaultEndpointsProtocol=http;${KEY};BlobEndpoint=https://127.0.0.1:10000/contoso;`, 'https'],
    ['an explicit http BlobEndpoint over an https default', `DefaultEndpointsProtocol=https;${KEY};BlobEndpoint=http://127.0.0.1:10000/contoso;`, 'http'],
    ['a SAS connection string', 'BlobEndpoint=https://contoso.blob.core.windows.net/;SharedAccessSignature=sv=2024-11-04&sig=abc', 'https'],
    ['the development shorthand', 'UseDevelopmentStorage=true', 'http'],
    ['spaces around the parts', ` DefaultEndpointsProtocol=HTTP ; ${KEY} ; EndpointSuffix=core.windows.net`, 'http'],
    ['no endpoint at all', KEY, undefined],
  ];
  for (const [what, connectionString, scheme] of cases) {
    it(`${what}: ${scheme ?? 'none named'}`, () => assert.equal(connectionStringScheme(connectionString), scheme));
  }

  it('agrees with the storage SDK on the endpoint it really uses', () => {
    for (const [, connectionString, scheme] of cases) {
      if (scheme === undefined || connectionString.includes(' ')) continue;
      assert.equal(urlScheme(BlobServiceClient.fromConnectionString(connectionString).url), scheme, connectionString);
    }
  });

  it('reads a URL’s scheme, or nothing from what is not a URL', () => {
    assert.equal(urlScheme('HTTPS://contoso.blob.core.windows.net'), 'https');
    assert.equal(urlScheme('http://127.0.0.1:10000/devstoreaccount1'), 'http');
    assert.equal(urlScheme('contoso.blob.core.windows.net'), undefined);
  });
});
