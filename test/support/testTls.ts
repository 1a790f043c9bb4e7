// Throwaway TLS material for the https stand-ins (the fake Microsoft Graph and its token endpoint).
//
// Why https at all: the Graph client attaches its bearer token only to https URLs, and MSAL refuses
// http authorities, so a fake on plain http would test neither. Why a CA of our own, trusted through
// NODE_EXTRA_CA_CERTS: it is the one trust mechanism every https stack in the process honours (the
// global fetch the Graph client uses, and the node:https agents of @azure/identity), so production
// code runs unchanged — no "trust this CA" seam that could be misused outside tests. Node reads
// NODE_EXTRA_CA_CERTS once, at start, so `npm test` creates these files first (scripts/prepare-test-tls.ts)
// and then starts mocha with the variable set.
//
// The files live under .tmp/ (git-ignored): the private keys are made on each machine and never committed.
// Certificates come from node-forge (pure JavaScript: no openssl binary needed on a clean CI machine);
// keys from node:crypto, which is fast where forge's own RSA key generation is slow.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

/** Where `npm test` keeps the test CA and the server certificate it signed. */
export const TEST_TLS_DIR = resolve(__dirname, '..', '..', '.tmp', 'test-tls');

export interface TestTlsFiles {
  /** The CA certificate: the file NODE_EXTRA_CA_CERTS points at. */
  readonly caCertPath: string;
  /** The server certificate for 127.0.0.1 / localhost, signed by the CA. */
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
}

export function testTlsFiles(dir: string = TEST_TLS_DIR): TestTlsFiles {
  return {
    caCertPath: join(dir, 'ca.pem'),
    serverCertPath: join(dir, 'server-cert.pem'),
    serverKeyPath: join(dir, 'server-key.pem'),
  };
}

/**
 * The test TLS files, after checking this process trusts their CA (Node reads NODE_EXTRA_CA_CERTS only
 * at start, so a server using them would otherwise fail every request with a certificate error).
 * `serving` names the stand-in in the error, e.g. "The fake Microsoft Graph".
 */
export function trustedTestTlsFiles(serving: string): TestTlsFiles {
  const files = testTlsFiles();
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const present = [files.caCertPath, files.serverCertPath, files.serverKeyPath].every((path) => existsSync(path));
  if (!present || !extra || resolve(extra) !== files.caCertPath) {
    throw new Error(
      `${serving} serves https with a throwaway test CA that this process does not trust. ` +
        'Run `npm test`, or for one file: `node --import tsx scripts/prepare-test-tls.ts && ' +
        'NODE_EXTRA_CA_CERTS=$PWD/.tmp/test-tls/ca.pem npx mocha --no-config -r tsx/cjs --extension ts --timeout 90000 --exit <file>`.',
    );
  }
  return files;
}

const RSA_BITS = 2048;
const VALIDITY_DAYS = 30;
/** Regenerate before expiry, so a long test run never meets an expired certificate. */
const RENEW_WHEN_DAYS_LEFT = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Makes sure the test CA and server certificate exist and stay valid for a while; returns their paths.
 * Existing valid files are kept, so a second test process started meanwhile keeps trusting the same CA.
 */
export function ensureTestTls(dir: string = TEST_TLS_DIR, now: Date = new Date()): TestTlsFiles {
  const files = testTlsFiles(dir);
  if (allExist(files) && daysLeft(readFileSync(files.serverCertPath, 'utf8'), now) > RENEW_WHEN_DAYS_LEFT) return files;

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = newKeyPair();
  const caCert = newCertificate({
    subjectCn: 'Privacy Desk test CA (throwaway)',
    publicKey: ca.publicKey,
    issuer: undefined,
    signingKey: ca.privateKey,
    now,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = newKeyPair();
  const serverCert = newCertificate({
    subjectCn: '127.0.0.1',
    publicKey: server.publicKey,
    issuer: caCert,
    signingKey: ca.privateKey,
    now,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      // type 7 = IP address, type 2 = DNS name (RFC 5280 GeneralName)
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  // Key and server certificate first, the CA last: a reader that finds the new CA finds its server files too.
  writeAtomically(files.serverKeyPath, forge.pki.privateKeyToPem(server.privateKey), 0o600);
  writeAtomically(files.serverCertPath, forge.pki.certificateToPem(serverCert), 0o644);
  writeAtomically(files.caCertPath, forge.pki.certificateToPem(caCert), 0o644);
  return files;
}

/**
 * A self-signed client certificate and its private key in one PEM (the form ClientCertificateCredential
 * reads from a path), plus the certificate alone so a fake token endpoint can check assertions.
 */
export function newClientCertificatePem(subjectCn: string, now: Date = new Date()): { combinedPem: string; certificatePem: string } {
  const keys = newKeyPair();
  const cert = newCertificate({
    subjectCn,
    publicKey: keys.publicKey,
    issuer: undefined,
    signingKey: keys.privateKey,
    now,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  const certificatePem = forge.pki.certificateToPem(cert);
  return { combinedPem: forge.pki.privateKeyToPem(keys.privateKey) + certificatePem, certificatePem };
}

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: RSA_BITS,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function newCertificate(spec: {
  subjectCn: string;
  publicKey: forge.pki.rsa.PublicKey;
  issuer: forge.pki.Certificate | undefined;
  signingKey: forge.pki.rsa.PrivateKey;
  now: Date;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.publicKey;
  // A positive random serial (leading 0x01 keeps the DER integer positive and non-zero).
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  // Backdated by an hour so a clock slightly behind still accepts the certificate.
  cert.validity.notBefore = new Date(spec.now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(spec.now.getTime() + VALIDITY_DAYS * DAY_MS);
  const subject = [{ name: 'commonName', value: spec.subjectCn }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.subject.attributes : subject);
  cert.setExtensions([...spec.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign(spec.signingKey, forge.md.sha256.create());
  return cert;
}

function allExist(files: TestTlsFiles): boolean {
  return existsSync(files.caCertPath) && existsSync(files.serverCertPath) && existsSync(files.serverKeyPath);
}

function daysLeft(certPem: string, now: Date): number {
  try {
    return (forge.pki.certificateFromPem(certPem).validity.notAfter.getTime() - now.getTime()) / DAY_MS;
  } catch {
    return 0; // unreadable: make a new one
  }
}

/** Writes through a temporary name and renames, so a concurrent reader never sees half a file. */
function writeAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, path);
}
