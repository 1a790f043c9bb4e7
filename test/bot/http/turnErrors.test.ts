import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CardVerb } from '../../../cards';
import { PERSON, useDesk } from '../../helpers/harness';
import { sentTo } from '../../helpers/cardQueries';

/** What a person sees when something breaks inside a turn, and what the HTTP caller gets. */
describe('turn errors', function () {
  this.timeout(60_000);
  const suite = useDesk();
  afterEach(() => sinon.restore());

  it('a failing message turn answers the person with an apology, is logged loudly, and returns 200 (no redelivery)', async () => {
    // Injected fault: the store fails while listing requests.
    sinon.stub(suite.running.desk.store, 'list').rejects(new Error('injected: database is locked'));
    const before = suite.world.connector.sent().length;
    const answer = await suite.running.teams.say(PERSON.alex, 'requests');
    assert.equal(answer.status, 200);
    const replies = suite.world.connector
      .sent()
      .slice(before)
      .filter(sentTo(`a:personal-${PERSON.alex.objectId}`));
    assert.equal(replies.length, 1);
    assert.match(String(replies[0]!.activity.text), /Something went wrong on my side and nothing was changed/);
    assert.ok(suite.running.logger.lines.some((l) => l.includes('"level":"error"') && l.includes('injected: database is locked')));
  });

  it('a failing card action answers 500 so the client shows its error', async () => {
    sinon.stub(suite.running.desk.store, 'get').rejects(new Error('injected: storage unavailable'));
    const answer = await suite.running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId: '00000000-0000-4000-8000-000000000001' });
    assert.equal(answer.status, 500);
    assert.equal(answer.body, undefined, 'no error text leaks to the caller');
  });
});
