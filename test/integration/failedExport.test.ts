import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import sinon from 'sinon';
import { CardVerb } from '../../cards';
import { userActor } from '../../domain/actor';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { MANIFEST_FILE, type PackageManifest } from '../../domain/export/packageLayout';
import { RequestState } from '../../domain/requests/lifecycle';
import { cardOf, eventually, sentTo, textOf, toChannel } from '../helpers/cardQueries';
import { unzip } from '../helpers/unzip';
import { PERSON, packageBlobs, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';

describe('an export whose source keeps failing', function () {
  this.timeout(60_000);
  let world: World;
  let running: RunningDesk;
  let profileReads = 0;
  const telemetryFault = sinon.stub().callsFake(async function* () {
    yield { userId: PERSON.megan.objectId, event: 'partial' };
    throw new Error('telemetry store unavailable');
  });

  before(async () => {
    world = await startWorld();
    running = await startDesk(world, {
      env: { EXPORT_MAX_ATTEMPTS: '2', EXPORT_RETRY_DELAY_SECONDS: '0' },
      // Injected fault: the telemetry source fails mid-stream on every attempt.
      // The directory profile counts its reads: once gathered, it is kept, not read again.
      overrides: {
        wrapSources: (sources) =>
          sources.map((s) => {
            if (s.id === 'app-telemetry') return { ...s, id: s.id, disclosure: s.disclosure, tabular: s.tabular, records: telemetryFault };
            if (s.id === 'directory-profile')
              return {
                id: s.id,
                disclosure: s.disclosure,
                tabular: s.tabular,
                records: (...args: Parameters<typeof s.records>) => ((profileReads += 1), s.records(...args)),
              };
            return s;
          }),
      },
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
    const request = await running.desk.requests.file(userActor(PERSON.alex.objectId), {
      subject: megan,
      regime: 'gdpr',
      receivedOn: running.desk.requests.today(),
    });
    assert.equal((await running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId: request.id })).status, 200);

    const failed = await eventually(async () => {
      const r = (await running.desk.store.get(request.id))!;
      return r.state === RequestState.Failed && r;
    }, 'the request to fail');
    assert.deepEqual(failed.failure, { source: 'app-telemetry', reason: 'telemetry store unavailable' });
    assert.equal(failed.exportAttempts, 2);
    assert.equal(telemetryFault.callCount, 2, 'one read per attempt (the failing JSON pass; no CSV pass)');

    const adminCard = await world.connector.waitFor((c) => sentTo(`a:personal-${PERSON.alex.objectId}`)(c) && /failed/i.test(textOf(cardOf(c) ?? {})), {
      timeoutMs: 20_000,
    });
    assert.match(textOf(cardOf(adminCard)), /app-telemetry/);
    const channelCard = await world.connector.waitFor((c) => toChannel(c) && /failed/i.test(textOf(cardOf(c) ?? {})), { timeoutMs: 20_000 });
    assert.match(textOf(cardOf(channelCard)), new RegExp(request.reference));
    assert.doesNotMatch(JSON.stringify(channelCard.activity), /telemetry store unavailable/, 'the channel sees the source, not the error text');

    const trail = await running.desk.store.auditTrail(request.id);
    assert.equal(trail.filter((e) => e.type === AuditEventType.ExportFailed && e.detail.willRetry === true).length, 1);
    assert.ok(trail.some((e) => e.type === AuditEventType.Transitioned && e.detail.to === RequestState.Failed));
    assert.deepEqual(await packageBlobs(world), []);
    assert.equal(world.connector.sent().filter((c) => JSON.stringify(c.activity).includes('sig=')).length, 0, 'no link went anywhere');

    // What the first attempt gathered completely was kept; the second attempt read only what failed.
    assert.equal(profileReads, 1, 'the directory profile was read once, not once per attempt');
    assert.deepEqual(Object.keys(failed.keptSources ?? {}).sort(), ['directory-profile'], 'Privacy Desk’s own records are read afresh each attempt');
    const staged = await packageBlobs(world, { prefix: `staging/${request.id}/` });
    assert.deepEqual(
      staged.sort(),
      Object.values(failed.keptSources!)
        .flatMap((k) => k.files.map((f) => f.blobName))
        .sort(),
    );
    assert.ok(staged.some((name) => name.endsWith('data/directory-profile.json.deflate')));
    assert.equal(trail.filter((e) => e.type === AuditEventType.SourcesKept).length, 1);
  });

  it('an admin can send it back to the queue with "retry"; a non-admin cannot', async () => {
    const [request] = await running.desk.store.list({ limit: 1 });
    const before = world.connector.sent().length;
    await running.teams.say(PERSON.megan, `retry ${request!.reference}`);
    await world.connector.waitFor((c) => world.connector.sent().indexOf(c) >= before && /Only privacy admins can retry/.test(String(c.activity.text)), {
      timeoutMs: 10_000,
    });
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

    // The retry read only the failed source; the package says when each source was read.
    assert.equal(telemetryFault.callCount, 1);
    assert.equal(profileReads, 1);
    assert.equal(retried.keptSources, undefined);
    assert.deepEqual(await packageBlobs(world, { prefix: `staging/${request!.id}/` }), [], 'kept files are removed once in the package');
    const [blobName] = await packageBlobs(world);
    const zip = await BlobServiceClient.fromConnectionString(world.azurite.connectionString)
      .getContainerClient('privacy-exports')
      .getBlobClient(blobName!)
      .downloadToBuffer();
    const files = await unzip(zip);
    const manifest = JSON.parse(files.get(MANIFEST_FILE)!.toString()) as PackageManifest;
    const gatheredAt = Object.fromEntries(manifest.sources.map((source) => [source.id, source.gatheredAt]));
    assert.equal(gatheredAt['app-telemetry'], manifest.generatedAt);
    assert.ok(gatheredAt['directory-profile']! < manifest.generatedAt, 'kept from the first attempt');
    assert.ok((JSON.parse(files.get('data/directory-profile.json')!.toString()) as unknown[]).length >= 1);
    for (const file of manifest.files) assert.equal(createHash('sha256').update(files.get(file.path)!).digest('hex'), file.sha256, file.path);
    assert.match(files.get('data/app-telemetry.csv')!.toString(), /recovered/);
  });

  it('a retry after the staging lifecycle rule deleted the kept files reads those sources again', async () => {
    telemetryFault.callsFake(async function* () {
      yield { userId: PERSON.isaiah.objectId, event: 'partial' };
      throw new Error('telemetry store unavailable');
    });
    await running.teams.install(PERSON.isaiah);
    const isaiah = (await running.desk.requests.findSubject(userActor(PERSON.alex.objectId), PERSON.isaiah.objectId))!;
    const request = await running.desk.requests.file(userActor(PERSON.alex.objectId), {
      subject: isaiah,
      regime: 'gdpr',
      receivedOn: running.desk.requests.today(),
    });
    assert.equal((await running.teams.invoke(PERSON.isaiah, CardVerb.Approve, { requestId: request.id })).status, 200);
    const failed = await eventually(async () => {
      const r = (await running.desk.store.get(request.id))!;
      return r.state === RequestState.Failed && r;
    }, 'the request to fail');
    assert.deepEqual(Object.keys(failed.keptSources ?? {}), ['directory-profile']);

    // What Azure's lifecycle rule does a day after the files were written (infra/main.json).
    const container = BlobServiceClient.fromConnectionString(world.azurite.connectionString).getContainerClient('privacy-exports');
    const staged = await packageBlobs(world, { prefix: `staging/${request.id}/` });
    assert.notDeepEqual(staged, []);
    for (const name of staged) await container.deleteBlob(name);

    telemetryFault.callsFake(async function* () {
      yield { userId: PERSON.isaiah.objectId, event: 'recovered' };
    });
    const readsBefore = profileReads;
    await running.teams.say(PERSON.alex, `retry ${request.reference}`);
    const delivered = await eventually(async () => {
      const r = (await running.desk.store.get(request.id))!;
      return r.state === RequestState.Delivered && r;
    }, 'delivery after the retry');

    assert.equal(profileReads, readsBefore + 1, 'the directory profile was read again');
    assert.equal(delivered.keptSources, undefined);
    const trail = await running.desk.store.auditTrail(request.id);
    assert.deepEqual(
      trail.filter((e) => e.type === AuditEventType.KeptSourcesGone).map((e) => e.detail.sources),
      ['directory-profile'],
    );
    const zip = await container.getBlobClient(delivered.package!.blobName).downloadToBuffer();
    const manifest = JSON.parse((await unzip(zip)).get(MANIFEST_FILE)!.toString()) as PackageManifest;
    const profile = manifest.sources.find((source) => source.id === 'directory-profile');
    assert.equal(profile?.gatheredAt, manifest.generatedAt, 'read by this attempt, not kept from the failed one');
  });

  it('kept files of a request cancelled after failing are deleted by the retention job', async () => {
    telemetryFault.callsFake(async function* () {
      yield { userId: PERSON.megan.objectId, event: 'partial' };
      throw new Error('telemetry store unavailable');
    });
    const megan = (await running.desk.requests.findSubject(userActor(PERSON.alex.objectId), 'meganb@example.com'))!;
    const request = await running.desk.requests.file(userActor(PERSON.alex.objectId), {
      subject: megan,
      regime: 'gdpr',
      receivedOn: running.desk.requests.today(),
    });
    assert.equal((await running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId: request.id })).status, 200);
    await eventually(async () => (await running.desk.store.get(request.id))!.state === RequestState.Failed, 'the request to fail');
    assert.notDeepEqual(await packageBlobs(world, { prefix: `staging/${request.id}/` }), []);
    await running.desk.requests.cancel(userActor(PERSON.alex.objectId), request.id, 'the subject withdrew the request');
    await running.desk.jobs.drain();
    assert.deepEqual(await packageBlobs(world, { prefix: `staging/${request.id}/` }), []);
  });
});
