import { strict as assert } from 'node:assert';
import { userActor } from '../../domain/actor';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState } from '../../domain/requests/lifecycle';
import { Decision } from '../../domain/requests/requestService';
import { eventually } from '../helpers/cardQueries';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { TAB_API_PATH } from '../../tab/api/tabApi';
import type { RequestView } from '../../tab/api/requestViews';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import { startEntraStandIn, type EntraStandIn } from '../support/entraTokens';

/** The tab's JSON API through the bot's real HTTP server, signed in with tokens of a local Entra key set. */
describe('the Teams tab’s API: who signs in, and what each person may see', function () {
  this.timeout(60_000);
  let world: World;
  let entra: EntraStandIn;
  let running: RunningDesk;
  let forMegan: ExportRequest;
  let forIsaiah: ExportRequest;
  const INTAKE_NOTE = 'Asked by phone; called back on the number in HR records.';

  before(async () => {
    [world, entra] = await Promise.all([startWorld(), startEntraStandIn()]);
    running = await startDesk(world, {
      env: { BOT_PUBLIC_HOSTNAME: 'privacydesk.contoso.com', TAB_SSO_ISSUER: entra.settings.issuer, TAB_SSO_JWKS_URL: entra.settings.jwksUrl },
    });
    const alex = userActor(PERSON.alex.objectId);
    const today = running.desk.requests.today();
    const megan = await running.desk.requests.findSubject(alex, PERSON.megan.objectId);
    const isaiah = await running.desk.requests.findSubject(alex, PERSON.isaiah.objectId);
    forMegan = await running.desk.requests.file(alex, { subject: megan, regime: 'gdpr', receivedOn: today, intakeNote: INTAKE_NOTE });
    forIsaiah = await running.desk.requests.file(alex, { subject: isaiah, regime: 'ccpa', receivedOn: today });
  });
  after(async () => {
    await running?.desk.stop();
    await Promise.all([world?.stop(), entra?.stop()]);
  });

  async function call(path: string, authorization?: string, method = 'GET'): Promise<{ status: number; body: unknown; headers: Headers }> {
    const answer = await fetch(`${running.desk.server.url}${TAB_API_PATH}${path}`, { method, headers: authorization ? { authorization } : {} });
    return { status: answer.status, body: (await answer.json()) as unknown, headers: answer.headers };
  }
  const as = async (person: { objectId: string; name: string }) => `Bearer ${await entra.token(person)}`;
  const codeOf = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

  it('refuses every call without a valid sign-in, saying nothing about anyone', async () => {
    const megan = PERSON.megan;
    const refused: Array<[string, string | undefined]> = [
      ['no token', undefined],
      ['not a bearer token', 'Basic bWVnYW46cGFzc3dvcmQ='],
      ['forged', `Bearer ${await entra.token(megan, { forged: true })}`],
      ['expired', `Bearer ${await entra.token(megan, { expiresInSeconds: -3600 })}`],
      ['for another app', `Bearer ${await entra.token(megan, { claims: { aud: 'api://elsewhere.contoso.com/00000000-0000-0000-0000-000000000001' } })}`],
      ['from another tenant', `Bearer ${await entra.token(megan, { claims: { tid: '0b7f2c1e-9a4d-4c5b-8e6f-1a2b3c4d5e6f' } })}`],
      ['app-only', `Bearer ${await entra.token(megan, { claims: { scp: undefined, roles: ['User.Read.All'] } })}`],
    ];
    for (const [what, authorization] of refused) {
      for (const path of ['/me', '/my-requests', '/requests', `/requests/${forMegan.reference}`]) {
        const answer = await call(path, authorization);
        assert.equal(answer.status, 401, `${what} ${path}`);
        assert.equal(codeOf(answer.body), 'unauthorized');
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
        assert.doesNotMatch(JSON.stringify(answer.body), /Megan|Isaiah|DSR-/, `${what} ${path}: nothing about a request or a person`);
      }
    }
  });

  it('tells a person who they are and whether they are a privacy admin', async () => {
    assert.deepEqual((await call('/me', await as(PERSON.megan))).body, { objectId: PERSON.megan.objectId, name: PERSON.megan.name, isPrivacyAdmin: false });
    assert.deepEqual((await call('/me', await as(PERSON.alex))).body, { objectId: PERSON.alex.objectId, name: PERSON.alex.name, isPrivacyAdmin: true });
  });

  it('shows a data subject their own requests, without the privacy team’s notes, and nobody else’s', async () => {
    const answer = await call('/my-requests', await as(PERSON.megan));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const { requests } = answer.body as { requests: RequestView[] };
    assert.deepEqual(
      requests.map((r) => r.reference),
      [forMegan.reference],
    );
    assert.equal(requests[0]!.subject.objectId, PERSON.megan.objectId);
    assert.equal(requests[0]!.regime, 'gdpr');
    assert.equal(typeof requests[0]!.daysLeft, 'number');
    assert.doesNotMatch(JSON.stringify(answer.body), /HR records|intake/i, 'the intake note is the privacy team’s');
    // An admin's own page is about their own data too: Alex is the subject of nothing here.
    assert.deepEqual(((await call('/my-requests', await as(PERSON.alex))).body as { requests: unknown[] }).requests, []);
  });

  it('lets only privacy admins list every request, with the internal notes', async () => {
    const refused = await call('/requests', await as(PERSON.megan));
    assert.equal(refused.status, 403);
    assert.equal(codeOf(refused.body), 'forbidden');
    assert.doesNotMatch(JSON.stringify(refused.body), /DSR-|Isaiah/);

    const listed = await call('/requests?limit=10', await as(PERSON.alex));
    assert.equal(listed.status, 200);
    const { requests } = listed.body as { requests: RequestView[] };
    const listedReferences = requests.map((r) => r.reference);
    for (const reference of [forMegan.reference, forIsaiah.reference]) assert.ok(listedReferences.includes(reference), reference);
    assert.equal(requests.find((r) => r.reference === forMegan.reference)?.internal?.intakeNote, INTAKE_NOTE);
    for (const limit of ['0', '201', 'ten', '1.5']) assert.equal((await call(`/requests?limit=${limit}`, await as(PERSON.alex))).status, 400, limit);
  });

  it('answers another person’s request exactly as one that does not exist', async () => {
    const someoneElses = await call(`/requests/${forMegan.reference}`, await as(PERSON.isaiah));
    const missing = await call('/requests/DSR-2026-9999', await as(PERSON.isaiah));
    assert.equal(someoneElses.status, 404);
    assert.equal(missing.status, 404);
    assert.deepEqual([codeOf(someoneElses.body), codeOf(missing.body)], ['not_found', 'not_found']);
    assert.doesNotMatch(JSON.stringify(someoneElses.body), /Megan|HR records/);
    assert.equal((await call('/requests/not-a-reference', await as(PERSON.isaiah))).status, 404);

    const own = await call(`/requests/${forMegan.reference}`, await as(PERSON.megan));
    assert.equal(own.status, 200);
    assert.equal((own.body as { request: RequestView }).request.internal, undefined);
    assert.deepEqual(
      (own.body as { timeline: Array<{ text: string }> }).timeline.map((entry) => entry.text),
      ['The privacy team filed a request for a copy of your personal data.', 'We asked you to confirm the request.'],
      'the history in plain words, without the intake note',
    );
    const asAdmin = await call(`/requests/${forMegan.reference.toLowerCase()}`, await as(PERSON.alex));
    assert.equal(asAdmin.status, 200);
    assert.equal((asAdmin.body as { request: RequestView }).request.internal?.intakeNote, INTAKE_NOTE);
  });

  it('answers a method a path does not take with 405 and the ones it does, changing nothing', async () => {
    const before = await running.desk.store.auditTrail(forMegan.id);
    for (const path of ['/me', `/requests/${forMegan.reference}`, '/requests']) {
      const answer = await call(path, await as(PERSON.alex), 'POST');
      assert.equal(answer.status, 405, path);
      assert.equal(answer.headers.get('allow'), 'GET', path);
    }
    assert.deepEqual(await running.desk.store.auditTrail(forMegan.id), before);
  });

  it('lets the recipient download while a link sent to them works, with a fresh link that ends when theirs ends, audited as every link is', async () => {
    const adele = { objectId: 'a1b2c3d4-0003-4000-8000-00000000a003', name: 'Adele Vance' };
    await running.teams.install(adele);
    const alex = userActor(PERSON.alex.objectId);
    const filed = await running.desk.requests.file(alex, {
      subject: await running.desk.requests.findSubject(alex, adele.objectId),
      regime: 'gdpr',
      receivedOn: running.desk.requests.today(),
    });
    const before = await call(`/requests/${filed.reference}`, await as(adele));
    assert.equal((before.body as { download?: unknown }).download, undefined, 'no link yet');
    await running.desk.requests.respond(userActor(adele.objectId), filed.id, Decision.Approve);
    await eventually(async () => (await running.desk.store.get(filed.id))!.state === RequestState.Delivered, 'the package delivered to Adele');

    const view = await call(`/requests/${filed.reference}`, await as(adele));
    const until = (view.body as { download?: { until: string } }).download?.until;
    assert.ok(until, 'the page offers Download');
    const trail = await running.desk.store.auditTrail(filed.id);
    const sent = trail.filter((event) => event.type === AuditEventType.LinkIssued);
    assert.equal(sent.length, 1);
    assert.equal(until, sent[0]!.detail.expiresAt);

    const fresh = await call(`/requests/${filed.reference}/download`, await as(adele), 'POST');
    assert.equal(fresh.status, 200);
    const { url, expiresAt } = fresh.body as { url: string; expiresAt: string };
    assert.equal(expiresAt, until, 'no more time than the link Adele already has');
    const zip = await fetch(url);
    assert.equal(zip.status, 200);
    assert.ok((await zip.arrayBuffer()).byteLength > 1000, 'the package');
    const issued = (await running.desk.store.auditTrail(filed.id)).filter((event) => event.type === AuditEventType.LinkIssued);
    assert.equal(issued.length, 2);
    assert.deepEqual([issued[1]!.actor.objectId, issued[1]!.detail.via], [adele.objectId, 'tab']);

    // Nobody else gets one: not another person, not a privacy admin (the link is the recipient's).
    assert.equal((await call(`/requests/${filed.reference}/download`, await as(PERSON.isaiah), 'POST')).status, 404);
    const byAdmin = await call(`/requests/${filed.reference}/download`, await as(PERSON.alex), 'POST');
    assert.equal(byAdmin.status, 409);
    assert.match((byAdmin.body as { error: { message: string } }).error.message, /Only the person .* was sent to can download it here/);
    assert.equal((await call(`/requests/${filed.reference}/download`, await as(adele))).status, 405, 'only by POST');
  });
});
