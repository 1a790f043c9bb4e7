import assert from 'node:assert/strict';
import { DEFAULT_ADMIN_CACHE_TTL_MS, GraphAdminPolicy } from '../../../adapters/graph/graphAdminPolicy';
import { FAKE_IDS, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { CapturingLogger, FixedClock, testGraphClient } from './graphTestKit';

const TTL_MS = 60_000;

describe('adapters/graph: GraphAdminPolicy', function () {
  let fake: FakeGraph;
  let clock: FixedClock;
  let logger: CapturingLogger;
  let policy: GraphAdminPolicy;

  before(async function () {
    fake = await startFakeGraph();
  });

  after(async function () {
    await fake?.close();
  });

  const newPolicy = (cacheTtlMs = TTL_MS) =>
    new GraphAdminPolicy({ client: testGraphClient(fake, { logger }).client, adminGroupId: FAKE_IDS.privacyAdminsGroup, clock, cacheTtlMs, logger });
  const checks = () => fake.graphRequests().filter((r) => r.path.endsWith('/checkMemberGroups'));

  beforeEach(function () {
    fake.reset();
    fake.setMemberOf(FAKE_IDS.alex, [FAKE_IDS.privacyAdminsGroup, FAKE_IDS.privacyTeamGroup]);
    fake.setMemberOf(FAKE_IDS.megan, [FAKE_IDS.marketingGroup]);
    clock = new FixedClock();
    logger = new CapturingLogger();
    policy = newPolicy();
  });

  it('asks checkMemberGroups for the configured group: a direct member is an admin, others are not', async function () {
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), true);
    assert.equal(await policy.isAdmin(FAKE_IDS.megan), false);
    assert.deepEqual(
      checks().map((r) => [r.method, r.path, r.body]),
      [
        ['POST', `/v1.0/users/${FAKE_IDS.alex}/checkMemberGroups`, { groupIds: [FAKE_IDS.privacyAdminsGroup] }],
        ['POST', `/v1.0/users/${FAKE_IDS.megan}/checkMemberGroups`, { groupIds: [FAKE_IDS.privacyAdminsGroup] }],
      ],
    );
  });

  it('counts membership through a nested group', async function () {
    assert.equal(await policy.isAdmin(FAKE_IDS.patti), true);
  });

  it('never asks Graph about something that is not an objectId', async function () {
    assert.equal(await policy.isAdmin('alexw@example.com'), false);
    assert.deepEqual(fake.requests, []);
  });

  it('takes a removal from the group into account once the TTL has passed, not before', async function () {
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), true);
    fake.setMemberOf(FAKE_IDS.alex, [FAKE_IDS.privacyTeamGroup]);
    clock.advance(TTL_MS - 1);
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), true, 'still cached');
    assert.equal(checks().length, 1);
    clock.advance(1);
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), false, 'TTL passed: Graph asked again');
    assert.equal(checks().length, 2);
  });

  it('takes an addition to the group into account once the TTL has passed', async function () {
    assert.equal(await policy.isAdmin(FAKE_IDS.megan), false);
    fake.setMemberOf(FAKE_IDS.megan, [FAKE_IDS.privacyLeadsGroup]);
    assert.equal(await policy.isAdmin(FAKE_IDS.megan), false);
    clock.advance(TTL_MS);
    assert.equal(await policy.isAdmin(FAKE_IDS.megan), true);
  });

  it('caches per user, whatever the case of the id', async function () {
    await policy.isAdmin(FAKE_IDS.alex);
    await policy.isAdmin(FAKE_IDS.alex.toUpperCase());
    await policy.isAdmin(FAKE_IDS.megan);
    assert.equal(checks().length, 2);
  });

  it('shares one Graph call between concurrent checks for the same user', async function () {
    const answers = await Promise.all([policy.isAdmin(FAKE_IDS.alex), policy.isAdmin(FAKE_IDS.alex), policy.isAdmin(FAKE_IDS.alex)]);
    assert.deepEqual(answers, [true, true, true]);
    assert.equal(checks().length, 1);
  });

  it('shares one group listing between admin lists asked for at once', async function () {
    const lists = await Promise.all([policy.knownAdmins(), policy.knownAdmins(), policy.knownAdmins()]);
    assert.deepEqual(lists[1], lists[0]);
    assert.ok(lists[0]!.some((admin) => admin.objectId === FAKE_IDS.alex));
    assert.equal(fake.graphRequests().filter((r) => r.path.includes('/transitiveMembers')).length, 1);
  });

  it('asks every time with a TTL of 0, and defaults to five minutes', async function () {
    const uncached = newPolicy(0);
    await uncached.isAdmin(FAKE_IDS.alex);
    await uncached.isAdmin(FAKE_IDS.alex);
    assert.equal(checks().length, 2);
    assert.equal(DEFAULT_ADMIN_CACHE_TTL_MS, 5 * 60 * 1000);
  });

  it('fails closed when Graph fails, logs it without names, and does not cache the failure', async function () {
    fake.failNext(500, 1);
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), false);
    const entry = logger.entries.find((e) => e.message.startsWith('Admin check'));
    assert.equal(entry?.level, 'warn');
    assert.deepEqual(
      { ...entry?.fields, requestId: typeof entry?.fields.requestId },
      { userId: FAKE_IDS.alex, status: 500, code: 'InternalServerError', requestId: 'string' },
    );
    assert.doesNotMatch(logger.text(), /Alex|alexw/);
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), true, 'the next turn asks Graph again');
  });

  it('fails closed when throttling outlasts the retries', async function () {
    fake.failNext(429, 10, { retryAfterSeconds: 1 });
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), false);
  });

  it('fails closed when it cannot sign in, logging the credential problem', async function () {
    fake.refuseClientSecret();
    assert.equal(await policy.isAdmin(FAKE_IDS.alex), false);
    assert.equal(logger.entries.at(-1)?.fields.error, 'GraphCredentialError');
  });

  it('refuses an admin group that is not an objectId', function () {
    assert.throws(() => new GraphAdminPolicy({ client: testGraphClient(fake).client, adminGroupId: 'Privacy Admins', clock }), /objectId/);
  });
});
