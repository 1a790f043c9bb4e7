// Integration tests use the same Azurite launcher as local mode: one way to start the emulator.
import { startAzurite, type AzuriteInstance, type AzuriteOptions } from '../../local/azurite/startAzurite';
import { trustedTestTlsFiles } from './testTls';

export * from '../../local/azurite/startAzurite';

/**
 * Azurite over https with the throwaway test CA: how production-mode tests reach storage, since
 * production signs https-only links (local mode's plain-http Azurite would refuse them). The process
 * must trust the test CA (NODE_EXTRA_CA_CERTS, set by `npm test`); Azurite is given it too, because
 * a server-side copy makes it call itself over https.
 */
export function startHttpsAzurite(options: Omit<AzuriteOptions, 'tls'> = {}): Promise<AzuriteInstance> {
  const tls = trustedTestTlsFiles('Azurite over https');
  return startAzurite({ ...options, tls: { certPath: tls.serverCertPath, keyPath: tls.serverKeyPath, caPath: tls.caCertPath } });
}
