import assert from 'node:assert/strict';
import { GraphTeamsInstaller } from '../../../adapters/graph/graphTeamsInstaller';
import { TeamsInstallError } from '../../../domain/delivery/reach';
import { FAKE_CATALOG_APP_ID, FAKE_IDS, FAKE_MANIFEST_ID, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { CapturingLogger, testGraphClient } from './graphTestKit';

/** Rejects with a TeamsInstallError of this code. */
async function assertInstallError(promise: Promise<unknown>, code: TeamsInstallError['code'], wording?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(error instanceof TeamsInstallError, `expected TeamsInstallError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (wording) assert.match(error.message, wording);
    return true;
  });
}

describe('adapters/graph: GraphTeamsInstaller', function () {
  let fake: FakeGraph;
  let logger: CapturingLogger;
  let installer: GraphTeamsInstaller;

  before(async function () {
    fake = await startFakeGraph();
  });

  after(async function () {
    await fake?.close();
  });

  const newInstaller = (target: FakeGraph) =>
    new GraphTeamsInstaller({ client: testGraphClient(target, { logger }).client, manifestId: FAKE_MANIFEST_ID, baseUrl: target.baseUrl, logger });

  beforeEach(function () {
    fake.reset();
    logger = new CapturingLogger();
    installer = newInstaller(fake);
  });

  it('finds the app by manifest id, installs it for the user, and returns the 1:1 chat', async function () {
    const result = await installer.ensureInstalledForUser(FAKE_IDS.megan);
    assert.equal(result.installedNow, true);
    assert.match(result.chatId, /^19:.+@unq\.gbl\.spaces$/);
    assert.deepEqual(fake.installedApps(FAKE_IDS.megan), [FAKE_CATALOG_APP_ID]);
    const [catalog, install, list, chat] = fake.graphRequests();
    assert.deepEqual([catalog?.method, catalog?.path, catalog?.query.$filter], ['GET', '/v1.0/appCatalogs/teamsApps', `externalId eq '${FAKE_MANIFEST_ID}'`]);
    assert.deepEqual(
      [install?.method, install?.path, install?.status, install?.body],
      [
        'POST',
        `/v1.0/users/${FAKE_IDS.megan}/teamwork/installedApps`,
        201,
        { 'teamsApp@odata.bind': `${fake.baseUrl}/v1.0/appCatalogs/teamsApps/${FAKE_CATALOG_APP_ID}` },
      ],
    );
    assert.deepEqual([list?.query.$expand, list?.query.$filter], ['teamsApp', `teamsApp/id eq '${FAKE_CATALOG_APP_ID}'`]);
    assert.match(chat?.path ?? '', /^\/v1\.0\/users\/[^/]+\/teamwork\/installedApps\/[^/]+\/chat$/);
  });

  it('treats "already installed" (409) as success, with the same chat, and looks the catalog up only once', async function () {
    const first = await installer.ensureInstalledForUser(FAKE_IDS.adele);
    const second = await installer.ensureInstalledForUser(FAKE_IDS.adele);
    assert.deepEqual(second, { chatId: first.chatId, installedNow: false });
    assert.equal(fake.graphRequests().filter((r) => r.path === '/v1.0/appCatalogs/teamsApps').length, 1);
    assert.ok(fake.graphRequests().some((r) => r.method === 'POST' && r.status === 409));
  });

  it('maps a 403 on install to blocked_by_admin', async function () {
    fake.blockAppInstalls();
    await assertInstallError(installer.ensureInstalledForUser(FAKE_IDS.isaiah), 'blocked_by_admin', /permission or setup policy/);
    assert.deepEqual(fake.installedApps(FAKE_IDS.isaiah), []);
  });

  it('maps an unknown user (404) to user_not_found, and a malformed id without asking Graph', async function () {
    await assertInstallError(installer.ensureInstalledForUser('00000000-0000-4000-8000-000000000000'), 'user_not_found');
    fake.reset();
    await assertInstallError(installer.ensureInstalledForUser('meganb@example.com'), 'user_not_found');
    assert.deepEqual(fake.requests, []);
  });

  it('maps lasting Graph failures to failed, and rides out a short throttle', async function () {
    fake.failNext(429, 1, { retryAfterSeconds: 1, pathIncludes: '/teamwork/installedApps' });
    assert.equal((await installer.ensureInstalledForUser(FAKE_IDS.lynne)).installedNow, true);
    fake.failNext(503, 10, { pathIncludes: '/chat' });
    await assertInstallError(installer.ensureInstalledForUser(FAKE_IDS.lynne), 'failed', /answered 503/);
  });

  it('maps a refused sign-in to failed with the credential sentence', async function () {
    fake.refuseClientSecret();
    await assertInstallError(installer.ensureInstalledForUser(FAKE_IDS.patti), 'failed', /could not sign in to Microsoft Graph.*GRAPH_CLIENT_SECRET/);
  });

  it('reports app_not_in_catalog when the app is not published, and asks again next time', async function () {
    const other = await startFakeGraph();
    try {
      other.removeCatalogApp();
      const lonely = newInstaller(other);
      await assertInstallError(lonely.ensureInstalledForUser(FAKE_IDS.megan), 'app_not_in_catalog', new RegExp(FAKE_MANIFEST_ID));
      await assertInstallError(lonely.ensureInstalledForUser(FAKE_IDS.megan), 'app_not_in_catalog');
      assert.equal(other.graphRequests().filter((r) => r.path === '/v1.0/appCatalogs/teamsApps').length, 2, 'a miss is not cached');
      assert.equal(other.graphRequests().filter((r) => r.method === 'POST').length, 0);
    } finally {
      await other.close();
    }
  });

  it('logs ids, steps and codes only', async function () {
    await installer.ensureInstalledForUser(FAKE_IDS.alex);
    fake.blockAppInstalls();
    await assert.rejects(installer.ensureInstalledForUser(FAKE_IDS.joni));
    assert.deepEqual(
      logger.entries.filter((e) => !('graphMethod' in e.fields)).map((e) => ({ ...e.fields, requestId: typeof e.fields.requestId })),
      [
        { userId: FAKE_IDS.alex, installedNow: true, requestId: 'undefined' },
        { userId: FAKE_IDS.joni, installStep: 'install', status: 403, code: 'Forbidden', requestId: 'string' },
      ],
    );
  });
});
