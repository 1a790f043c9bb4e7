import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CardVerb } from '../../cards';
import { userActor } from '../../domain/actor';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import { cardOf, eventually, sentTo, textOf, toChannel } from '../helpers/cardQueries';
import { PERSON, packageBlobs, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';

describe('an export whose source keeps failing', function () {
  this.timeout(60_000);
  let world: World;
  let running: RunningDesk;
  const telemetryFault = sinon.stub().callsFake(async function* () {
    yield { userId: PERSON.megan.objectId, event: 'partial' };
    throw new Error('telemetry store unavailable');
  });

  before(async () => {
    world = await startWorld();
    running = await startDesk(world, {
      env: { EXPORT_MAX_ATTEMPTS: '2', EXPORT_RETRY_DELAY_SECONDS: '0' },
      // Injected fault: the telemetry source fails mid-stream on every attempt.
      overrides: { wrapSources: (sources) => sources.map((s) => (s.id === 'app-telemetry' ? { ...s, id: s.id, disclosure: s.disclosure, tabular: s.tabular, records: telemetryFault } : s)) },
    });
  });
  after(async () => {
    await running?.desk.stop();
    await world?.stop();
  });

  it('is retried, then marked failed with the source named; admin and channel told; no package', async () => {
    await running.teams.say(PERSON.alex, 'notify here', { channelId: '19:privacy@thread.tacv2', teamId: '19:team@thread.tacv2' });
    await running.teams.install(PERSON.megan);
    await running.teams.install(PERSON.alex);
    const megan = (await running.desk.requests.findSubject(userActor(PERSON.alex.objectId), 'meganb@example.com'))!;
    const request = await running.desk.requests.file(userActor(PERSON.alex.objectId), { subject: megan, regime: 'gdpr', receivedOn: running.desk.requests.today() });
    assert.equal((await running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId: request.id })).status, 200);

    const failed = await eventually(async () => {
      const r = (await running.desk.store.get(request.id))!;
      return r.state === RequestState.Failed && r;
    }, 'the request to fail');
    assert.deepEqual(failed.failure, { source: 'app-telemetry', reason: 'telemetry store unavailable' });
    assert.equal(failed.exportAttempts, 2);
    assert.equal(telemetryFault.callCount, 2, 'one read per attempt (the failing JSON pass; no CSV pass)');

    const adminCard = await world.connector.waitFor((c) => sentTo(`a:personal-${PERSON.alex.objectId}`)(c) && /failed/i.test(textOf(cardOf(c) ?? {})), { timeoutMs: 20_000 });
    assert.match(textOf(cardOf(adminCard)), /app-telemetry/);
    const channelCard = await world.connector.waitFor((c) => toChannel(c) && /failed/i.test(textOf(cardOf(c) ?? {})), { timeoutMs: 20_000 });
    assert.match(textOf(cardOf(channelCard)), new RegExp(request.reference));
    assert.doesNotMatch(JSON.stringify(channelCard.activity), /telemetry store unavailable/, 'the channel sees the source, not the error text');

    const trail = await running.desk.store.auditTrail(request.id);
    assert.equal(trail.filter((e) => e.type === AuditEventType.ExportFailed && e.detail.willRetry === true).length, 1);
    assert.ok(trail.some((e) => e.type === AuditEventType.Transitioned && e.detail.to === RequestState.Failed));
    assert.deepEqual(await packageBlobs(world), []);
    assert.equal(world.connector.sent().filter((c) => JSON.stringify(c.activity).includes('sig=')).length, 0, 'no link went anywhere');
  });

  it('an admin can send it back to the queue with "retry"; a non-admin cannot', async () => {
    const [request] = await running.desk.store.list({ limit: 1 });
    const before = world.connector.sent().length;
    await running.teams.say(PERSON.megan, `retry ${request!.reference}`);
    await world.connector.waitFor((c) => world.connector.sent().indexOf(c) >= before && /Only privacy admins can retry/.test(String(c.activity.text)), { timeoutMs: 10_000 });
    telemetryFault.resetHistory();
    telemetryFault.callsFake(async function* () {
      yield { userId: PERSON.megan.objectId, event: 'recovered' };
    });
    await running.teams.say(PERSON.alex, `retry ${request!.reference}`);
    await eventually(async () => (await running.desk.store.get(request!.id))!.state === RequestState.Delivered, 'delivery after the retry');
    const retried = (await running.desk.store.get(request!.id))!;
    assert.equal(retried.failure, undefined);
    const trail = await running.desk.store.auditTrail(request!.id);
    assert.ok(trail.some((e) => e.detail.event === 'retry' && e.actor.objectId === PERSON.alex.objectId));
    assert.equal((await packageBlobs(world)).length, 1);
  });
});
