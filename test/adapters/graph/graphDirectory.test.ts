import assert from 'node:assert/strict';
import { GraphDirectory, USER_PROPERTIES } from '../../../adapters/graph/graphDirectory';
import { GraphCredentialError, GraphRequestError } from '../../../adapters/graph/graphErrors';
import { FAKE_IDS, FAKE_SHARED_ALIAS, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { CapturingLogger, testGraphClient } from './graphTestKit';

describe('adapters/graph: GraphDirectory', function () {
  let fake: FakeGraph;
  let directory: GraphDirectory;
  let logger: CapturingLogger;

  before(async function () {
    fake = await startFakeGraph();
  });

  after(async function () {
    await fake?.close();
  });

  beforeEach(function () {
    fake.reset();
    logger = new CapturingLogger();
    directory = new GraphDirectory({ client: testGraphClient(fake, { logger }).client, logger });
  });

  const graphPaths = () => fake.graphRequests().map((r) => r.path);

  describe('lookup by objectId', function () {
    it('returns the user with every DirectoryUser field, selecting exactly those properties', async function () {
      assert.deepEqual(await directory.lookup(FAKE_IDS.megan), {
        kind: 'user',
        user: {
          objectId: FAKE_IDS.megan,
          displayName: 'Megan Bowen',
          userPrincipalName: 'meganb@example.com',
          mail: 'meganb@example.com',
          department: 'Marketing',
          jobTitle: 'Marketing Manager',
          preferredLanguage: 'en-US',
          accountEnabled: true,
          userType: 'Member',
        },
      });
      const [request] = fake.graphRequests();
      assert.equal(request?.path, `/v1.0/users/${FAKE_IDS.megan}`);
      assert.deepEqual(request?.query.$select?.split(',').sort(), [...USER_PROPERTIES].sort());
    });

    it('keeps a disabled account disabled and a guest a guest', async function () {
      const grady = await directory.lookup(FAKE_IDS.grady);
      assert.equal(grady.kind === 'user' && grady.user.accountEnabled, false);
      const joni = await directory.lookup(FAKE_IDS.joni);
      assert.equal(joni.kind === 'user' && joni.user.userType, 'Guest');
    });

    it('reads where the person is (usage location, country, state), which picks the default law of "export my data"', async function () {
      const lynne = await directory.lookup(FAKE_IDS.lynne);
      assert.ok(lynne.kind === 'user');
      assert.deepEqual([lynne.user.usageLocation, lynne.user.country, lynne.user.state], ['US', 'United States', 'CA']);
    });

    it('tells a group, a device and a service principal from a person, asking /directoryObjects after the 404', async function () {
      assert.deepEqual(await directory.lookup(FAKE_IDS.privacyTeamGroup), { kind: 'not_a_user', objectType: 'group' });
      assert.deepEqual(graphPaths(), [`/v1.0/users/${FAKE_IDS.privacyTeamGroup}`, `/v1.0/directoryObjects/${FAKE_IDS.privacyTeamGroup}`]);
      assert.deepEqual(await directory.lookup(FAKE_IDS.device), { kind: 'not_a_user', objectType: 'device' });
      assert.deepEqual(await directory.lookup(FAKE_IDS.servicePrincipal), { kind: 'not_a_user', objectType: 'service principal' });
    });

    it('answers not_found for an id nobody has', async function () {
      assert.deepEqual(await directory.lookup('00000000-0000-4000-8000-000000000000'), { kind: 'not_found' });
    });
  });

  describe('lookup by UPN and mail', function () {
    it('finds a user by UPN, whatever the case and surrounding spaces', async function () {
      const found = await directory.lookup('  AdeleV@Example.com ');
      assert.equal(found.kind === 'user' && found.user.objectId, FAKE_IDS.adele);
      assert.deepEqual(graphPaths(), ['/v1.0/users/AdeleV@Example.com']);
    });

    it('finds a guest by a UPN holding "#EXT#" (percent-encoded, so the # is not a URL fragment)', async function () {
      const found = await directory.lookup('joni_partner.example#EXT#@example.com');
      assert.equal(found.kind === 'user' && found.user.objectId, FAKE_IDS.joni);
    });

    it('falls back to mail, doubling quotes in the OData literal and encoding "+" so Graph reads the address as given', async function () {
      const found = await directory.lookup("o'brien+news@example.com");
      assert.equal(found.kind === 'user' && found.user.objectId, FAKE_IDS.siobhan);
      const search = fake.graphRequests()[1];
      assert.equal(search?.path, '/v1.0/users');
      assert.equal(search?.query.$filter, "mail eq 'o''brien+news@example.com' or proxyAddresses/any(p:p eq 'smtp:o''brien+news@example.com')");
      assert.equal(search?.consistencyLevel, 'eventual', 'proxyAddresses filters are advanced queries');
    });

    it('cannot be steered by a quote in the input (no filter injection)', async function () {
      assert.deepEqual(await directory.lookup("x' or mail eq 'meganb@example.com"), { kind: 'not_found' });
    });

    it('finds a user by an alias in proxyAddresses', async function () {
      fake.user(FAKE_IDS.adele).proxyAddresses.push('smtp:adele.vance@example.com');
      const found = await directory.lookup('adele.vance@example.com');
      assert.equal(found.kind === 'user' && found.user.objectId, FAKE_IDS.adele);
    });

    it('reports an address two people share as ambiguous, with the count', async function () {
      assert.deepEqual(await directory.lookup(FAKE_SHARED_ALIAS), { kind: 'ambiguous', count: 2 });
    });

    it('answers not_found for an unknown address, and for text that is neither id nor address without asking Graph', async function () {
      assert.deepEqual(await directory.lookup('nobody@example.com'), { kind: 'not_found' });
      fake.reset();
      assert.deepEqual(await directory.lookup('Megan Bowen'), { kind: 'not_found' });
      assert.deepEqual(fake.requests, []);
    });
  });

  describe('profile', function () {
    it('adds the manager (id and name), group names across pages, and licence sku part numbers', async function () {
      assert.deepEqual(await directory.profile(FAKE_IDS.megan), {
        objectId: FAKE_IDS.megan,
        displayName: 'Megan Bowen',
        userPrincipalName: 'meganb@example.com',
        mail: 'meganb@example.com',
        department: 'Marketing',
        jobTitle: 'Marketing Manager',
        preferredLanguage: 'en-US',
        accountEnabled: true,
        userType: 'Member',
        manager: { id: FAKE_IDS.patti, displayName: 'Patti Fernandez' },
        groups: ['All Staff', 'Marketing', 'Privacy Team'],
        licenses: ['EMS', 'ENTERPRISEPACK'],
      });
      const memberOf = fake.graphRequests().filter((r) => r.path.endsWith('/memberOf/microsoft.graph.group'));
      assert.equal(memberOf.length, 2, 'three groups at two per page: the next link was followed');
      assert.ok(memberOf.every((r) => r.consistencyLevel === 'eventual' && r.status === 200));
      const manager = fake.graphRequests().find((r) => r.path.endsWith('/manager'));
      assert.equal(manager?.query.$select, 'id,displayName', 'only the manager’s id and name are read');
    });

    it('has no manager for the top of the chart, and is undefined for an unknown or malformed id', async function () {
      const patti = await directory.profile(FAKE_IDS.patti);
      assert.equal(patti?.manager, null);
      assert.deepEqual(patti?.groups, ['All Staff', 'Privacy Leads']);
      assert.equal(await directory.profile('00000000-0000-4000-8000-000000000000'), undefined);
      assert.equal(await directory.profile('meganb@example.com'), undefined);
    });
  });

  describe('when Graph misbehaves', function () {
    it('rides out a 429 with Retry-After and a 503', async function () {
      fake.failNext(429, 1, { retryAfterSeconds: 1 });
      fake.failNext(503, 1);
      const found = await directory.lookup('meganb@example.com');
      assert.equal(found.kind === 'user' && found.user.objectId, FAKE_IDS.megan);
    });

    it('fails a look-up with a sentence naming the credential problem, not a stack, when the secret is refused', async function () {
      fake.refuseClientSecret();
      await assert.rejects(directory.lookup('meganb@example.com'), (error: Error) => {
        assert.ok(error instanceof GraphCredentialError);
        assert.match(
          error.message,
          /^Privacy Desk could not sign in to Microsoft Graph: the token endpoint refused the client secret \(invalid_client, AADSTS7000215\)\. Check GRAPH_CLIENT_SECRET/,
        );
        assert.doesNotMatch(error.message, /\n|\bat \S+ \(|meganb/);
        return true;
      });
      assert.deepEqual(fake.graphRequests(), []);
    });

    it('fails with GraphRequestError once retries are spent, without repeating the query', async function () {
      fake.failNext(503, 10);
      await assert.rejects(directory.lookup('meganb@example.com'), (error: Error) => {
        assert.ok(error instanceof GraphRequestError);
        assert.equal(error.status, 503);
        assert.doesNotMatch(error.message, /meganb/);
        return true;
      });
    });

    it('logs failures with step, status and request-id only', async function () {
      fake.failNext(403, 1, { code: 'Authorization_RequestDenied' });
      await assert.rejects(directory.lookup('meganb@example.com'));
      const failure = logger.entries.find((e) => e.message === 'Microsoft Graph directory request failed');
      assert.deepEqual(
        { ...failure?.fields, requestId: typeof failure?.fields.requestId },
        { directoryStep: 'upn', status: 403, code: 'Authorization_RequestDenied', requestId: 'string' },
      );
    });
  });
});
