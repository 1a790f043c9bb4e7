import assert from 'node:assert/strict';
import { GraphRequestError } from '../../../adapters/graph/graphErrors';
import { GraphMailer } from '../../../adapters/graph/graphMailer';
import { FAKE_IDS, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { CapturingLogger, testGraphClient } from './graphTestKit';

const MESSAGE = {
  toAddress: 'meganb@example.com',
  subject: 'Your data export PD-2026-0042 is ready',
  html: '<p>Dear Megan Bowen, your export is ready.</p>',
};

describe('adapters/graph: GraphMailer', function () {
  let fake: FakeGraph;
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
  });

  const mailerFrom = (fromMailbox: string) => new GraphMailer({ client: testGraphClient(fake, { logger }).client, fromMailbox, logger });

  it('sends HTML mail from the privacy mailbox and keeps it in Sent Items', async function () {
    await mailerFrom('privacy@example.com').send(MESSAGE);
    assert.deepEqual(fake.sentMail, [
      {
        mailboxId: FAKE_IDS.privacyMailbox,
        message: {
          subject: MESSAGE.subject,
          body: { contentType: 'HTML', content: MESSAGE.html },
          toRecipients: [{ emailAddress: { address: MESSAGE.toAddress } }],
        },
        saveToSentItems: true,
      },
    ]);
    assert.deepEqual(
      fake.graphRequests().map((r) => [r.method, r.path, r.status]),
      [['POST', '/v1.0/users/privacy@example.com/sendMail', 202]],
    );
  });

  it('sends once after a throttled attempt', async function () {
    fake.failNext(429, 1, { retryAfterSeconds: 3 });
    await mailerFrom('privacy@example.com').send(MESSAGE);
    assert.equal(fake.sentMail.length, 1);
    assert.equal(fake.graphRequests().length, 2);
  });

  it('fails with a GraphRequestError that names neither recipient nor mailbox, and logs without them', async function () {
    await assert.rejects(mailerFrom('nobody@example.com').send(MESSAGE), (error: Error) => {
      assert.ok(error instanceof GraphRequestError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'ErrorInvalidUser');
      assert.doesNotMatch(error.message, /nobody|meganb|Megan/);
      return true;
    });
    assert.equal(fake.sentMail.length, 0);
    assert.equal(logger.entries.length, 1);
    assert.doesNotMatch(logger.text(), /nobody|meganb|Megan|PD-2026/);
  });
});
