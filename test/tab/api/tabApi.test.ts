import { strict as assert } from 'node:assert';
import { systemClock } from '../../../domain/clock';
import { SsoTokenValidator } from '../../../tab/api/ssoTokenValidator';
import { CardVerb } from '../../../cards';
import { LocalSignIn } from '../../../tab/api/localSignIn';
import { MAX_LIST_LIMIT, TabApi, type TabApiRequest } from '../../../tab/api/tabApi';
import { CapturingLogger } from '../../support/capturingLogger';
import { startEntraStandIn, type EntraStandIn } from '../../support/entraTokens';
import { domainFixture, FixedClock, PEOPLE } from '../../helpers/domainFixture';

/** TabApi on the domain over a real SQLite store, signed in through a local Entra key set: its routing and answers. */
describe('TabApi', () => {
  let entra: EntraStandIn;
  let fixture: Awaited<ReturnType<typeof domainFixture>>;
  let api: TabApi;
  let logger: CapturingLogger;

  beforeEach(async () => {
    entra = await startEntraStandIn();
    // The domain's clock is fixed; tokens are checked against the real one they were signed with.
    fixture = await domainFixture(new FixedClock(new Date('2026-01-31T09:00:00Z')));
    logger = new CapturingLogger();
    api = new TabApi({ sso: new SsoTokenValidator(entra.settings, systemClock), requests: fixture.requests, logger, confirmation: { store: fixture.store } });
  });
  afterEach(async () => {
    fixture.close();
    await entra.stop();
  });

  const get = async (path: string, person = PEOPLE.alex, query = ''): Promise<TabApiRequest> => ({
    method: 'GET',
    path,
    query: new URLSearchParams(query),
    authorization: `Bearer ${await entra.token({ objectId: person.objectId })}`,
    fromLoopback: true,
  });

  it('answers 404 for another spelling of a path (a doubled or trailing slash), so no method check is bypassed', async () => {
    for (const path of ['/requests/DSR-2026-0001/download/', '/requests//DSR-2026-0001/download', '//me', '/me/']) {
      assert.equal((await api.handle({ ...(await get(path)), method: 'GET' })).status, 404, path);
      assert.equal((await api.handle({ ...(await get(path)), method: 'POST' })).status, 404, path);
    }
  });

  it('answers 404 for a path it does not serve, and 405 for anything but GET, signed in or not', async () => {
    for (const path of ['', '/', '/requests/DSR-2026-0001/audit', '/admin', '/me/extra']) assert.equal((await api.handle(await get(path))).status, 404, path);
    const deleted = await api.handle({ ...(await get('/me')), method: 'DELETE' });
    assert.equal(deleted.status, 405);
    assert.equal(deleted.headers?.Allow, 'GET');
  });

  it('logs why a sign-in was refused, by a word, never the token', async () => {
    const token = await entra.token({ objectId: PEOPLE.megan.objectId }, { expiresInSeconds: -3600 });
    const answer = await api.handle({ method: 'GET', path: '/me', query: new URLSearchParams(), authorization: `Bearer ${token}`, fromLoopback: true });
    assert.equal(answer.status, 401);
    const logged = JSON.stringify(logger.entries);
    assert.match(logged, /"refusal":"expired"/);
    assert.ok(!logged.includes(token.split('.')[1]!), 'no part of the token in the log');
  });

  it('answers 503 with Retry-After when the tenant’s keys cannot be fetched', async () => {
    const request = await get('/me');
    await entra.stop();
    const answer = await api.handle(request);
    assert.equal(answer.status, 503);
    assert.equal(answer.headers?.['Retry-After'], '60');
    entra = await startEntraStandIn(); // afterEach stops it
  });

  it('lists at most the limit asked for, newest first, up to the most it allows', async () => {
    const subjects = await Promise.all(['meganb@example.com', 'adelev@example.com', 'isaiahl@example.com'].map((upn) => fixture.subject(upn)));
    for (const subject of subjects) await fixture.requests.file(PEOPLE.alex, { subject, regime: 'gdpr', receivedOn: fixture.requests.today() });
    const two = await api.handle(await get('/requests', PEOPLE.alex, 'limit=2'));
    assert.deepEqual(
      (two.body as { requests: Array<{ subject: { displayName: string } }> }).requests.map((r) => r.subject.displayName),
      ['Isaiah Langer', 'Adele Vance'],
    );
    assert.equal((await api.handle(await get('/requests', PEOPLE.alex, `limit=${MAX_LIST_LIMIT}`))).status, 200);
    assert.equal((await api.handle(await get('/requests', PEOPLE.alex, `limit=${MAX_LIST_LIMIT + 1}`))).status, 400);
  });

  describe('"Export my data"', () => {
    const post = async (person = PEOPLE.megan, law?: string): Promise<TabApiRequest> => ({
      ...(await get('/my-requests', person, law ? `law=${law}` : '')),
      method: 'POST',
    });

    it('starts the export at once: it tells the background jobs that work is waiting', async () => {
      let kicks = 0;
      const kicking = new TabApi({
        sso: new SsoTokenValidator(entra.settings, systemClock),
        requests: fixture.requests,
        logger,
        confirmation: { store: fixture.store },
        afterChange: () => (kicks += 1),
      });
      assert.equal((await kicking.handle(await post(PEOPLE.megan))).status, 201);
      assert.equal(kicks, 1);
      assert.equal((await kicking.handle(await post(PEOPLE.megan))).status, 409);
      assert.equal(kicks, 1, 'a refusal queued nothing');
    });

    it('offers the law the configuration suggests, files under the one chosen, confirmed at once, and audits it as the chat does', async () => {
      const offered = await api.handle(await get('/my-requests', PEOPLE.megan));
      assert.deepEqual((offered.body as { exportMyData: unknown }).exportMyData, { suggestedLaw: 'gdpr' });
      const filed = await api.handle(await post(PEOPLE.megan, 'ccpa'));
      assert.equal(filed.status, 201);
      const view = (filed.body as { request: { reference: string; regime: string; state: string } }).request;
      assert.deepEqual([view.regime, view.state], ['ccpa', 'confirmed']);
      const stored = (await fixture.store.getByReference(view.reference))!;
      assert.equal(stored.subject.objectId.toLowerCase(), PEOPLE.megan.objectId);
      assert.equal(stored.selfService, true);
      assert.ok((await fixture.store.auditTrail(stored.id)).some((event) => event.type === 'request.filed'));
    });

    it('says why not, and files nothing, while the person has a request open', async () => {
      await api.handle(await post(PEOPLE.megan));
      const again = await api.handle(await post(PEOPLE.megan));
      assert.equal(again.status, 409);
      assert.match((again.body as { error: { message: string } }).error.message, /open/i);
      assert.equal((await fixture.store.listBySubject(PEOPLE.megan.objectId)).length, 1);
      const offered = await api.handle(await get('/my-requests', PEOPLE.megan));
      assert.ok('notNow' in (offered.body as { exportMyData: object }).exportMyData, 'the page says why instead of offering the button');
    });

    it('refuses a law it does not know, in a sentence', async () => {
      const refused = await api.handle(await post(PEOPLE.megan, 'lgpd'));
      assert.equal(refused.status, 409);
      assert.match((refused.body as { error: { message: string } }).error.message, /GDPR or CCPA/);
      assert.deepEqual(await fixture.store.listBySubject(PEOPLE.megan.objectId), []);
    });
  });

  describe('the confirmation card on the subject’s page', () => {
    async function fileForMegan() {
      return fixture.requests.file(PEOPLE.alex, { subject: await fixture.subject('meganb@example.com'), regime: 'gdpr', receivedOn: fixture.requests.today() });
    }
    const press = async (person: typeof PEOPLE.megan, verb: string, data: Record<string, unknown>): Promise<TabApiRequest> => ({
      ...(await get('/card-actions', person)),
      method: 'POST',
      body: { verb, data },
    });
    const verbsOf = (card: unknown) => (JSON.stringify(card).match(/"verb":"[^"]+"/g) ?? []).sort();

    it('is the card the bot sends, shown to the subject only, and only while their answer is awaited', async () => {
      const request = await fileForMegan();
      const asMegan = await api.handle(await get(`/requests/${request.reference}`, PEOPLE.megan));
      assert.deepEqual(verbsOf((asMegan.body as { card?: unknown }).card), [`"verb":"${CardVerb.Approve}"`, `"verb":"${CardVerb.Decline}"`]);
      const asAdmin = await api.handle(await get(`/requests/${request.reference}`, PEOPLE.alex));
      assert.equal((asAdmin.body as { card?: unknown }).card, undefined, 'an admin reads the request; the answer is the subject’s');
    });

    it('approves through the bot’s own handling: the same rule, the same audit event, the card that replaces it', async () => {
      const request = await fileForMegan();
      const answered = await api.handle(await press(PEOPLE.megan, CardVerb.Approve, { requestId: request.id }));
      assert.equal(answered.status, 200);
      assert.match(JSON.stringify((answered.body as { card: unknown }).card), /approved|confirmed/i);
      const stored = (await fixture.store.get(request.id))!;
      assert.equal(stored.state, 'confirmed');
      const trail = await fixture.store.auditTrail(request.id);
      assert.ok(
        trail.some((event) => event.type === 'request.transitioned' && event.detail.to === 'confirmed' && event.actor.objectId === PEOPLE.megan.objectId),
      );
      const again = await api.handle(await get(`/requests/${request.reference}`, PEOPLE.megan));
      assert.equal((again.body as { card?: unknown }).card, undefined, 'answered: no card to answer');
    });

    it('declines with the subject’s reason', async () => {
      const request = await fileForMegan();
      await api.handle(await press(PEOPLE.megan, CardVerb.Decline, { requestId: request.id, declineReason: 'Not now, thank you.' }));
      const stored = (await fixture.store.get(request.id))!;
      assert.deepEqual([stored.state, stored.declineReason], ['declined', 'Not now, thank you.']);
    });

    it('changes nothing for anyone else, nor for a button it does not know', async () => {
      const request = await fileForMegan();
      const byIsaiah = await api.handle(await press(PEOPLE.isaiah, CardVerb.Approve, { requestId: request.id }));
      assert.equal(byIsaiah.status, 200);
      assert.doesNotMatch(JSON.stringify(byIsaiah.body), new RegExp(request.reference), 'nothing about the request');
      assert.equal((await api.handle(await press(PEOPLE.megan, 'request.view', { requestId: request.id }))).status, 400);
      assert.equal((await api.handle(await press(PEOPLE.megan, CardVerb.Approve, {}))).status, 400);
      assert.equal((await fixture.store.get(request.id))!.state, 'awaiting_confirmation');
    });
  });

  describe('local mode’s sign-in', () => {
    let local: LocalSignIn;
    let localApi: TabApi;
    const people = [
      { objectId: PEOPLE.megan.objectId, name: 'Megan Bowen' },
      { objectId: PEOPLE.alex.objectId, name: 'Alex Wilber' },
    ];
    const call = (method: string, path: string, fromLoopback = true, query = ''): TabApiRequest => ({
      method,
      path,
      query: new URLSearchParams(query),
      fromLoopback,
      host: '127.0.0.1:3978',
    });

    beforeEach(() => {
      local = new LocalSignIn(people, systemClock);
      localApi = new TabApi({ sso: local, requests: fixture.requests, logger, local, confirmation: { store: fixture.store } });
    });

    it('lists the demo people and answers a token for one, which the API then takes as that person', async () => {
      assert.deepEqual((await localApi.handle(call('GET', '/local/people'))).body, { people });
      const signedIn = await localApi.handle(call('POST', '/local/sign-in', true, `as=${PEOPLE.megan.objectId}`));
      assert.equal(signedIn.status, 200);
      const { token } = signedIn.body as { token: string };
      const me = await localApi.handle({ ...call('GET', '/me'), authorization: `Bearer ${token}` });
      assert.deepEqual(me.body, { objectId: PEOPLE.megan.objectId, name: 'Megan Bowen', isPrivacyAdmin: false });
      assert.equal((await localApi.handle(call('POST', '/local/sign-in', true, 'as=someone'))).status, 400);
      assert.equal((await localApi.handle(call('GET', '/local/sign-in', true, `as=${PEOPLE.megan.objectId}`))).status, 404, 'a token only by POST');
    });

    it('answers nothing addressed to another host name, even from this machine (DNS rebinding)', async () => {
      for (const host of ['evil.example', 'evil.example:3978', '127.0.0.1.evil.example', '']) {
        assert.equal((await localApi.handle({ ...call('GET', '/local/people'), host })).status, 403, host);
      }
      for (const host of ['127.0.0.1:3978', 'localhost:3978', '[::1]:3978', 'LOCALHOST'])
        assert.equal((await localApi.handle({ ...call('GET', '/local/people'), host })).status, 200, host);
    });

    it('does not exist for a caller off this machine, nor where there is no local mode', async () => {
      assert.equal((await localApi.handle(call('GET', '/local/people', false))).status, 404);
      assert.equal((await localApi.handle(call('POST', '/local/sign-in', false, `as=${PEOPLE.megan.objectId}`))).status, 404);
      assert.equal((await api.handle(call('GET', '/local/people'))).status, 404, 'the Teams-signed API has no local routes');
    });

    it('takes no Teams token, and Teams’ API takes no local one', async () => {
      const teamsToken = await entra.token({ objectId: PEOPLE.megan.objectId });
      assert.equal((await localApi.handle({ ...call('GET', '/me'), authorization: `Bearer ${teamsToken}` })).status, 401);
      const localToken = await local.signIn(PEOPLE.megan.objectId);
      assert.equal((await api.handle({ ...call('GET', '/me'), authorization: `Bearer ${localToken!}` })).status, 401);
    });
  });
});
