import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCertificateCredential, ClientSecretCredential, CredentialUnavailableError, ManagedIdentityCredential } from '@azure/identity';
import {
  createGraphCredential,
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  ExplainedCredential,
  explainSignInFailure,
  GraphConfigError,
  parseGraphConnectionSettings,
} from '../../../adapters/graph/graphCredential';
import { GraphCredentialError } from '../../../adapters/graph/graphErrors';
import { startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { newClientCertificatePem } from '../../support/testTls';
import { fakeGraphEnv } from './graphTestKit';

const TENANT = '6e1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const CLIENT = 'c0ffee00-1111-4222-8333-444455556666';
const MI_CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

/** The problems GraphConfigError lists for an environment. */
function problemsFor(env: Record<string, string>): readonly string[] {
  try {
    parseGraphConnectionSettings(env);
  } catch (error) {
    assert.ok(error instanceof GraphConfigError, `expected GraphConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('the settings were accepted');
}

/** A problem is one readable sentence that starts with the setting it is about. */
function assertSentenceAbout(problems: readonly string[], setting: string, wording: RegExp): void {
  const problem = problems.find((p) => p.startsWith(`${setting} `));
  assert.ok(problem, `no problem about ${setting} in: ${JSON.stringify(problems)}`);
  assert.match(problem, wording);
  assert.match(problem, /\.$/, 'ends as a sentence');
  assert.doesNotMatch(problem, /Invalid input|expected string|\n/, 'no zod jargon, one line');
}

describe('adapters/graph: graphCredential', function () {
  describe('settings', function () {
    it('reads a client secret configuration with Graph’s and Entra’s public endpoints as defaults', function () {
      const config = parseGraphConnectionSettings({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: ' s3cret ' });
      assert.deepEqual(config, {
        baseUrl: DEFAULT_GRAPH_BASE_URL,
        credential: { kind: 'clientSecret', tenantId: TENANT, clientId: CLIENT, clientSecret: 's3cret', authorityHost: 'https://login.microsoftonline.com' },
      });
      assert.equal(DEFAULT_AUTHORITY_HOST.replace(/\/$/, ''), 'https://login.microsoftonline.com');
    });

    it('reads a certificate configuration, a national cloud, and a domain name as tenant', function () {
      const dir = mkdtempSync(join(tmpdir(), 'graph-cert-'));
      try {
        const path = join(dir, 'graph.pem');
        writeFileSync(path, 'placeholder');
        const config = parseGraphConnectionSettings({
          GRAPH_TENANT_ID: 'contoso.onmicrosoft.us',
          GRAPH_CLIENT_ID: CLIENT,
          GRAPH_CERTIFICATE_PATH: path,
          GRAPH_BASE_URL: 'https://graph.microsoft.us/',
          GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.us',
        });
        assert.deepEqual(config, {
          baseUrl: 'https://graph.microsoft.us',
          credential: {
            kind: 'certificate',
            tenantId: 'contoso.onmicrosoft.us',
            clientId: CLIENT,
            certificatePath: path,
            authorityHost: 'https://login.microsoftonline.us',
          },
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reads managed identity, system-assigned or user-assigned, without an app registration', function () {
      assert.deepEqual(parseGraphConnectionSettings({ GRAPH_USE_MANAGED_IDENTITY: 'true' }).credential, { kind: 'managedIdentity' });
      assert.deepEqual(parseGraphConnectionSettings({ GRAPH_USE_MANAGED_IDENTITY: 'yes', GRAPH_MANAGED_IDENTITY_CLIENT_ID: MI_CLIENT }).credential, {
        kind: 'managedIdentity',
        clientId: MI_CLIENT,
      });
    });

    it('treats empty values as unset', function () {
      const problems = problemsFor({ GRAPH_TENANT_ID: '', GRAPH_CLIENT_ID: '  ', GRAPH_CLIENT_SECRET: '' });
      assertSentenceAbout(problems, 'GRAPH_TENANT_ID', /is required/);
      assertSentenceAbout(problems, 'GRAPH_CLIENT_ID', /is required/);
      assertSentenceAbout(problems, 'GRAPH_CLIENT_SECRET', /GRAPH_CERTIFICATE_PATH or GRAPH_USE_MANAGED_IDENTITY=true/);
    });

    it('names each bad setting in a sentence, all at once', function () {
      const problems = problemsFor({
        GRAPH_TENANT_ID: 'not a tenant!',
        GRAPH_CLIENT_ID: 'privacy-desk',
        GRAPH_CLIENT_SECRET: 's',
        GRAPH_BASE_URL: 'http://graph.microsoft.com',
        GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com/common',
      });
      assertSentenceAbout(problems, 'GRAPH_TENANT_ID', /GUID/);
      assertSentenceAbout(problems, 'GRAPH_CLIENT_ID', /must be a GUID/);
      assertSentenceAbout(problems, 'GRAPH_BASE_URL', /https/);
      assertSentenceAbout(problems, 'GRAPH_AUTHORITY_HOST', /without a path/);
      assert.equal(problems.length, 4);
    });

    it('refuses two ways to sign in, a missing certificate file, and mixed-up managed identity settings', function () {
      assertSentenceAbout(
        problemsFor({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: 's', GRAPH_USE_MANAGED_IDENTITY: 'true' }),
        'GRAPH_CLIENT_SECRET',
        /conflicts with GRAPH_USE_MANAGED_IDENTITY=true/,
      );
      assertSentenceAbout(
        problemsFor({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: CLIENT, GRAPH_CERTIFICATE_PATH: '/nonexistent/graph.pem' }),
        'GRAPH_CERTIFICATE_PATH',
        /names no file/,
      );
      assertSentenceAbout(problemsFor({ GRAPH_USE_MANAGED_IDENTITY: 'true', GRAPH_CLIENT_ID: CLIENT }), 'GRAPH_CLIENT_ID', /GRAPH_MANAGED_IDENTITY_CLIENT_ID/);
      assertSentenceAbout(
        problemsFor({ GRAPH_USE_MANAGED_IDENTITY: 'true', GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'mine' }),
        'GRAPH_MANAGED_IDENTITY_CLIENT_ID',
        /GUID/,
      );
      assertSentenceAbout(problemsFor({ GRAPH_USE_MANAGED_IDENTITY: 'maybe' }), 'GRAPH_USE_MANAGED_IDENTITY', /true or false/);
      assertSentenceAbout(
        problemsFor({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: 's', GRAPH_MANAGED_IDENTITY_CLIENT_ID: MI_CLIENT }),
        'GRAPH_MANAGED_IDENTITY_CLIENT_ID',
        /only used with/,
      );
    });

    it('says which settings to fix in the error message itself', function () {
      assert.throws(
        () => parseGraphConnectionSettings({}),
        (error: Error) => {
          assert.match(error.message, /^Microsoft Graph is not configured correctly:\n {2}- GRAPH_/);
          return true;
        },
      );
    });
  });

  describe('credentials', function () {
    let fake: FakeGraph;
    let dir: string;

    before(async function () {
      fake = await startFakeGraph();
      dir = mkdtempSync(join(tmpdir(), 'graph-cred-'));
    });

    after(async function () {
      await fake?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    beforeEach(function () {
      fake.reset();
    });

    const credentialFor = (env: Record<string, string>) => createGraphCredential(parseGraphConnectionSettings(fakeGraphEnv(fake, env)).credential);
    const scope = () => `${fake.baseUrl}/.default`;

    it('builds the credential type each configuration asks for', function () {
      const inner = (env: Record<string, string>) => (createGraphCredential(parseGraphConnectionSettings(env).credential) as ExplainedCredential).inner;
      assert.ok(inner({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: 's' }) instanceof ClientSecretCredential);
      const pem = join(dir, 'any.pem');
      writeFileSync(pem, newClientCertificatePem('any').combinedPem);
      assert.ok(inner({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: CLIENT, GRAPH_CERTIFICATE_PATH: pem }) instanceof ClientCertificateCredential);
      assert.ok(inner({ GRAPH_USE_MANAGED_IDENTITY: 'true' }) instanceof ManagedIdentityCredential);
      assert.ok(inner({ GRAPH_USE_MANAGED_IDENTITY: 'true', GRAPH_MANAGED_IDENTITY_CLIENT_ID: MI_CLIENT }) instanceof ManagedIdentityCredential);
    });

    it('signs in with the client secret at the configured authority, asking for the Graph scope', async function () {
      const token = await credentialFor({}).getToken(scope());
      assert.match(token?.token ?? '', /^fake-graph-token-/);
      const [request] = fake.tokenRequests();
      assert.ok(request, 'a token was requested');
      assert.equal(request.path, `/${fake.tenantId}/oauth2/v2.0/token`);
      // The token endpoint takes a form, which the fake parses into its fields.
      const form = request.body as Record<string, string>;
      assert.deepEqual(
        { client_id: form.client_id, client_secret: form.client_secret, scope: form.scope },
        { client_id: fake.clientId, client_secret: fake.clientSecret, scope: scope() },
      );
    });

    it('explains a refused client secret in one sentence naming the settings to check', async function () {
      fake.refuseClientSecret();
      await assert.rejects(credentialFor({}).getToken(scope()), (error: Error) => {
        assert.ok(error instanceof GraphCredentialError);
        assert.equal(
          error.message,
          'Privacy Desk could not sign in to Microsoft Graph: the token endpoint refused the client secret (invalid_client, AADSTS7000215). ' +
            'Check GRAPH_CLIENT_SECRET (secrets expire; make a new one in the app registration if needed) and GRAPH_CLIENT_ID.',
        );
        return true;
      });
    });

    it('explains an unknown application and an unknown tenant', async function () {
      await assert.rejects(
        credentialFor({ GRAPH_CLIENT_ID: '11111111-2222-4333-8444-555555555555' }).getToken(scope()),
        /tenant does not know the application \(unauthorized_client, AADSTS700016\)\. Check GRAPH_CLIENT_ID and GRAPH_TENANT_ID\./,
      );
      await assert.rejects(
        credentialFor({ GRAPH_TENANT_ID: 'contoso.onmicrosoft.com' }).getToken(scope()),
        /sign-in endpoint for the tenant could not be found or reached \(endpoints_resolution_error\)\. Check GRAPH_TENANT_ID and GRAPH_AUTHORITY_HOST/,
      );
    });

    it('signs in with a certificate from a PEM file: a signed client assertion, no secret', async function () {
      const certificate = newClientCertificatePem('Privacy Desk Graph client');
      const path = join(dir, 'registered.pem');
      writeFileSync(path, certificate.combinedPem, { mode: 0o600 });
      fake.acceptCertificate(certificate.certificatePem);
      const token = await credentialFor({ GRAPH_CLIENT_SECRET: '', GRAPH_CERTIFICATE_PATH: path }).getToken(scope());
      assert.match(token?.token ?? '', /^fake-graph-token-/);
      const form = fake.tokenRequests()[0]?.body as Record<string, string>;
      assert.equal(form.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      assert.ok(form.client_assertion);
      assert.equal(form.client_secret, undefined);
    });

    it('explains a certificate the app registration does not know', async function () {
      const path = join(dir, 'unregistered.pem');
      writeFileSync(path, newClientCertificatePem('Not registered').combinedPem, { mode: 0o600 });
      await assert.rejects(credentialFor({ GRAPH_CLIENT_SECRET: '', GRAPH_CERTIFICATE_PATH: path }).getToken(scope()), (error: Error) => {
        assert.ok(error instanceof GraphCredentialError);
        assert.match(error.message, /refused the certificate \(invalid_client, AADSTS700027\)\. Check GRAPH_CERTIFICATE_PATH/);
        return true;
      });
    });
  });

  describe('explainSignInFailure (managed identity: no endpoint can be faked safely here)', function () {
    it('says a managed identity is not available, naming the setting for a user-assigned one', function () {
      const unavailable = new CredentialUnavailableError('ManagedIdentityCredential: no managed identity endpoint found.');
      assert.match(
        explainSignInFailure(unavailable, { kind: 'managedIdentity' }),
        /a system-assigned managed identity is not available where Privacy Desk runs\./,
      );
      assert.match(explainSignInFailure(unavailable, { kind: 'managedIdentity', clientId: MI_CLIENT }), /GRAPH_MANAGED_IDENTITY_CLIENT_ID is not available/);
    });

    it('keeps only the identity platform’s codes, not its free text', function () {
      const error = new Error(
        "invalid_client: Error(s): 7000222 - Timestamp: 2026 - Description: AADSTS7000222: The provided client secret keys for app 'secret-app-name' are expired.",
      );
      const sentence = explainSignInFailure(error, {
        kind: 'clientSecret',
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: 'x',
        authorityHost: 'https://login.microsoftonline.com',
      });
      assert.match(sentence, /\(invalid_client, AADSTS7000222\)/);
      assert.doesNotMatch(sentence, /secret-app-name|Timestamp/);
    });
  });
});
