import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestTls, newClientCertificatePem } from './testTls';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('test support: test TLS material', function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'privacy-desk-tls-'));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a CA and a 127.0.0.1 server certificate it signed, with a private key only the owner reads', function () {
    const files = ensureTestTls(dir);
    const ca = new X509Certificate(readFileSync(files.caCertPath));
    const server = new X509Certificate(readFileSync(files.serverCertPath));
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.equal(server.verify(ca.publicKey), true, 'the server certificate is signed by the CA');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(statSync(files.serverKeyPath).mode & 0o077, 0, 'no group or other access to the key');
  });

  it('keeps valid files (a concurrent test process keeps trusting the same CA) and renews them near expiry', function () {
    const now = new Date();
    const first = readFileSync(ensureTestTls(dir, now).caCertPath, 'utf8');
    assert.equal(readFileSync(ensureTestTls(dir, new Date(now.getTime() + DAY_MS)).caCertPath, 'utf8'), first);
    assert.notEqual(readFileSync(ensureTestTls(dir, new Date(now.getTime() + 29 * DAY_MS)).caCertPath, 'utf8'), first);
  });

  it('makes a client certificate PEM holding the key and the certificate', function () {
    const { combinedPem, certificatePem } = newClientCertificatePem('Privacy Desk test client');
    assert.match(combinedPem, /-----BEGIN RSA PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
    assert.equal(new X509Certificate(certificatePem).subject, 'CN=Privacy Desk test client');
  });
});
