// DESIGN: "logs carry ids, never names, addresses or file contents". One capturing logger behind every
// Graph adapter, driven through successes and every kind of failure, must never hold a subject's name,
// mail or UPN — including what Graph's own error messages echo back.
import assert from 'node:assert/strict';
import { GraphAdminPolicy } from '../../../adapters/graph/graphAdminPolicy';
import { GraphDirectory } from '../../../adapters/graph/graphDirectory';
import { GraphMailer } from '../../../adapters/graph/graphMailer';
import { GraphTeamsInstaller } from '../../../adapters/graph/graphTeamsInstaller';
import { FAKE_IDS, FAKE_MANIFEST_ID, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { CapturingLogger, FixedClock, testGraphClient } from './graphTestKit';

describe('adapters/graph: nothing personal in the logs', function () {
  let fake: FakeGraph;

  before(async function () {
    fake = await startFakeGraph();
  });

  after(async function () {
    await fake?.close();
  });

  it('logs no display name, mail or UPN of anyone looked up, checked, installed for or written to', async function () {
    const logger = new CapturingLogger();
    const { client } = testGraphClient(fake, { logger, maxRetries: 1 });
    const directory = new GraphDirectory({ client, logger });
    const admins = new GraphAdminPolicy({ client, adminGroupId: FAKE_IDS.privacyAdminsGroup, clock: new FixedClock(), logger });
    const installer = new GraphTeamsInstaller({ client, manifestId: FAKE_MANIFEST_ID, baseUrl: fake.baseUrl, logger });
    const mailer = new GraphMailer({ client, fromMailbox: 'privacy@example.com', logger });
    const errors: string[] = [];
    const attempt = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        errors.push(String((error as Error).message));
      }
    };

    const subjects = ['meganb@example.com', 'joni_partner.example#EXT#@example.com', "o'brien+news@example.com", 'nobody@example.com'];
    for (const query of subjects) {
      await attempt(() => directory.lookup(query));
      fake.failNext(429, 5, { retryAfterSeconds: 1 });
      await attempt(() => directory.lookup(query));
      fake.failNext(404, 1, { code: 'Request_ResourceNotFound' });
      fake.failNext(500, 1);
      await attempt(() => directory.lookup(query));
    }
    fake.failNext(503, 5);
    await attempt(() => directory.profile(FAKE_IDS.siobhan));
    await attempt(() => directory.profile(FAKE_IDS.megan));
    fake.failNext(500, 1);
    await attempt(() => admins.isAdmin(FAKE_IDS.megan));
    await attempt(() => installer.ensureInstalledForUser(FAKE_IDS.megan));
    fake.blockAppInstalls();
    await attempt(() => installer.ensureInstalledForUser(FAKE_IDS.siobhan));
    await attempt(() => mailer.send({ toAddress: 'meganb@example.com', subject: 'For Megan Bowen', html: '<p>Megan Bowen</p>' }));
    fake.failNext(503, 5);
    await attempt(() => mailer.send({ toAddress: "o'brien+news@example.com", subject: 'For Siobhán', html: '<p>Siobhán O’Brien</p>' }));

    assert.ok(logger.entries.length >= 10, `the scenario must log something to check (got ${logger.entries.length})`);
    assert.ok(errors.length >= 5, 'and fail in several ways');
    const personal = ['Megan', 'Bowen', 'meganb', 'Joni', 'joni', 'partner.example', 'Siobh', 'Brien', 'brien', 'nobody', 'Patti', 'Fernandez', 'pattif'];
    const logged = logger.text();
    for (const word of personal) assert.equal(logged.includes(word), false, `the logs contain "${word}": ${logged}`);
    const thrown = errors.join('\n');
    for (const word of personal) assert.equal(thrown.includes(word), false, `an error message contains "${word}": ${thrown}`);
  });
});
