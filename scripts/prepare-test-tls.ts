/**
 * Creates (or keeps, while valid) the throwaway test CA and the 127.0.0.1 server certificate the https
 * stand-ins use, under .tmp/test-tls/. `npm test` runs this before mocha, which it starts with
 * NODE_EXTRA_CA_CERTS=.tmp/test-tls/ca.pem (Node reads that variable only at start). See test/support/testTls.ts.
 *
 *   node --import tsx scripts/prepare-test-tls.ts
 */
import { ensureTestTls } from '../test/support/testTls';

ensureTestTls();
