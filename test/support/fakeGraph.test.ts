import assert from 'node:assert/strict';
import { FAKE_CATALOG_APP_ID, FAKE_IDS, FAKE_MANIFEST_ID, FAKE_PAGE_SIZE, FAKE_SHARED_ALIAS, parseFilter, startFakeGraph, type FakeGraph } from './fakeGraph';

describe('test support: startFakeGraph', function () {
  let fake: FakeGraph;
  let bearer: string;

  const requestToken = (secret: string, scope = `${fake.baseUrl}/.default`) =>
    fetch(`${fake.authorityHost}/${fake.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: secret, scope }).toString(),
    });

  /** A Graph call with the fake's token; `path` is appended to /v1.0 exactly as given (already encoded). */
  const graph = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {}) =>
    fetch(`${fake.baseUrl}/v1.0${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.auth === false ? {} : { authorization: bearer }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const json = async (res: Response) => (await res.json()) as Record<string, unknown> & { value?: Array<Record<string, unknown>> };
  const filter = (expression: string) => `$filter=${encodeURIComponent(expression)}`;

  before(async function () {
    fake = await startFakeGraph();
    const res = await requestToken(fake.clientSecret);
    assert.equal(res.status, 200);
    bearer = `Bearer ${(await json(res)).access_token as string}`;
  });

  after(async function () {
    await fake?.close();
  });

  beforeEach(function () {
    fake.reset();
  });

  describe('token endpoint', function () {
    it('serves OpenID configuration for its tenant only', async function () {
      const good = await fetch(`${fake.authorityHost}/${fake.tenantId}/v2.0/.well-known/openid-configuration`);
      assert.equal(good.status, 200);
      assert.equal((await json(good)).token_endpoint, `${fake.authorityHost}/${fake.tenantId}/oauth2/v2.0/token`);
      const other = await fetch(`${fake.authorityHost}/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration`);
      assert.equal(other.status, 400);
    });

    it('refuses a wrong secret, and the right one once switched to refuse, with 401 invalid_client', async function () {
      const wrong = await requestToken('not-the-secret');
      assert.equal(wrong.status, 401);
      assert.equal((await json(wrong)).error, 'invalid_client');
      fake.refuseClientSecret();
      const refused = await requestToken(fake.clientSecret);
      assert.equal(refused.status, 401);
      assert.deepEqual((await json(refused)).error_codes, [7000215]);
      assert.equal(fake.tokenRequests().length, 2);
    });

    it('refuses a scope for another resource', async function () {
      const res = await requestToken(fake.clientSecret, 'https://graph.microsoft.com/.default');
      assert.equal(res.status, 400);
      assert.equal((await json(res)).error, 'invalid_scope');
    });
  });

  describe('Graph routes', function () {
    it('require a token it issued, and record the authorization sent', async function () {
      assert.equal((await graph(`/users/${FAKE_IDS.megan}`, { auth: false })).status, 401);
      assert.equal((await graph(`/users/${FAKE_IDS.megan}`, { headers: { authorization: 'Bearer made-up' } })).status, 401);
      assert.equal((await graph(`/users/${FAKE_IDS.megan}`)).status, 200);
      assert.deepEqual(
        fake.graphRequests().map((r) => [r.authorization, r.status]),
        [
          [undefined, 401],
          ['Bearer made-up', 401],
          [bearer, 200],
        ],
      );
    });

    it('returns only $selected user properties, and Graph’s default set without $select', async function () {
      const selected = await json(await graph(`/users/${FAKE_IDS.grady}?$select=displayName,accountEnabled`));
      assert.deepEqual(selected, { displayName: 'Grady Archie', accountEnabled: false });
      const defaults = await json(await graph(`/users/${FAKE_IDS.grady}`));
      assert.equal(defaults.userPrincipalName, 'gradya@example.com');
      assert.equal('accountEnabled' in defaults, false, 'Graph does not return accountEnabled unless selected');
      assert.equal('userType' in defaults, false);
    });

    it('finds users by UPN (percent-encoded, # included) and answers 404 echoing the UPN like Graph', async function () {
      const guest = await graph(`/users/${encodeURIComponent('joni_partner.example#EXT#@example.com')}?$select=id`);
      assert.deepEqual(await json(guest), { id: FAKE_IDS.joni });
      const missing = await graph(`/users/${encodeURIComponent('nobody@example.com')}`);
      assert.equal(missing.status, 404);
      const body = (await json(missing)).error as { code: string; message: string };
      assert.equal(body.code, 'Request_ResourceNotFound');
      assert.match(body.message, /nobody@example\.com/);
    });

    it('parses OData filters: doubled quotes match, an undoubled quote is a 400', async function () {
      const found = await json(await graph(`/users?${filter("mail eq 'o''brien+news@example.com'")}&$select=id`));
      assert.deepEqual(found.value, [{ id: FAKE_IDS.siobhan }]);
      const broken = await graph(`/users?${filter("mail eq 'o'brien+news@example.com'")}`);
      assert.equal(broken.status, 400);
      const aliases = await json(await graph(`/users?${filter(`proxyAddresses/any(p:p eq 'smtp:${FAKE_SHARED_ALIAS}')`)}&$select=id`));
      assert.deepEqual(aliases.value?.map((u) => u.id).sort(), [FAKE_IDS.isaiah, FAKE_IDS.lynne]);
    });

    it('answers $count only with ConsistencyLevel: eventual', async function () {
      const q = `/users?${filter("mail eq 'meganb@example.com'")}&$count=true`;
      assert.equal((await graph(q)).status, 400);
      const counted = await json(await graph(q, { headers: { ConsistencyLevel: 'eventual' } }));
      assert.equal(counted['@odata.count'], 1);
    });

    it('pages collections through @odata.nextLink', async function () {
      const names: unknown[] = [];
      let url: string | undefined = `${fake.baseUrl}/v1.0/users/${FAKE_IDS.megan}/memberOf/microsoft.graph.group?$select=displayName`;
      let pages = 0;
      while (url) {
        const page = await json(await fetch(url, { headers: { authorization: bearer } }));
        names.push(...(page.value ?? []).map((g) => g.displayName));
        url = page['@odata.nextLink'] as string | undefined;
        pages++;
      }
      assert.deepEqual(names, ['Marketing', 'All Staff', 'Privacy Team']);
      assert.equal(pages, Math.ceil(3 / FAKE_PAGE_SIZE));
    });

    it('tells users, groups, devices and service principals apart at /directoryObjects', async function () {
      const typeOf = async (id: string) => (await json(await graph(`/directoryObjects/${id}`)))['@odata.type'];
      assert.equal(await typeOf(FAKE_IDS.megan), '#microsoft.graph.user');
      assert.equal(await typeOf(FAKE_IDS.privacyTeamGroup), '#microsoft.graph.group');
      assert.equal(await typeOf(FAKE_IDS.device), '#microsoft.graph.device');
      assert.equal(await typeOf(FAKE_IDS.servicePrincipal), '#microsoft.graph.servicePrincipal');
      assert.equal((await graph('/directoryObjects/00000000-0000-4000-8000-000000000000')).status, 404);
    });

    it('checks group membership transitively, following runtime changes', async function () {
      const check = async (userId: string) =>
        (await json(await graph(`/users/${userId}/checkMemberGroups`, { method: 'POST', body: { groupIds: [FAKE_IDS.privacyAdminsGroup] } }))).value;
      assert.deepEqual(await check(FAKE_IDS.alex), [FAKE_IDS.privacyAdminsGroup]);
      assert.deepEqual(await check(FAKE_IDS.patti), [FAKE_IDS.privacyAdminsGroup], 'Patti is in Privacy Leads, nested in Privacy Admins');
      assert.deepEqual(await check(FAKE_IDS.megan), []);
      fake.setMemberOf(FAKE_IDS.alex, []);
      assert.deepEqual(await check(FAKE_IDS.alex), []);
    });

    it('injects failures with Retry-After, for a number of matching requests, and records them', async function () {
      fake.failNext(429, 2, { retryAfterSeconds: 7, pathIncludes: '/licenseDetails' });
      assert.equal((await graph(`/users/${FAKE_IDS.megan}`)).status, 200, 'another path is not affected');
      const first = await graph(`/users/${FAKE_IDS.megan}/licenseDetails`);
      assert.equal(first.status, 429);
      assert.equal(first.headers.get('retry-after'), '7');
      assert.equal(((await json(first)).error as { code: string }).code, 'TooManyRequests');
      assert.equal((await graph(`/users/${FAKE_IDS.megan}/licenseDetails`)).status, 429);
      assert.equal((await graph(`/users/${FAKE_IDS.megan}/licenseDetails`)).status, 200);
      assert.deepEqual(
        fake.graphRequests().map((r) => r.injectedFailure),
        [false, true, true, false],
      );
    });

    it('installs the catalog app once (then 409), lists the installation with its app, and gives its chat', async function () {
      const catalog = await json(await graph(`/appCatalogs/teamsApps?${filter(`externalId eq '${FAKE_MANIFEST_ID}'`)}`));
      assert.deepEqual(
        catalog.value?.map((a) => a.id),
        [FAKE_CATALOG_APP_ID],
      );
      const bind = { 'teamsApp@odata.bind': `${fake.baseUrl}/v1.0/appCatalogs/teamsApps/${FAKE_CATALOG_APP_ID}` };
      const installs = `/users/${FAKE_IDS.adele}/teamwork/installedApps`;
      assert.equal((await graph(installs, { method: 'POST', body: bind })).status, 201);
      assert.equal((await graph(installs, { method: 'POST', body: bind })).status, 409);
      assert.equal(
        (await graph(`${installs}?${filter(`teamsApp/id eq '${FAKE_CATALOG_APP_ID}'`)}`)).status,
        400,
        'filtering on teamsApp needs $expand=teamsApp',
      );
      const listed = await json(await graph(`${installs}?$expand=teamsApp&${filter(`teamsApp/id eq '${FAKE_CATALOG_APP_ID}'`)}`));
      assert.equal(listed.value?.length, 1);
      const chat = await json(await graph(`${installs}/${listed.value![0]!.id as string}/chat`));
      assert.match(chat.id as string, /^19:.*@unq\.gbl\.spaces$/);
      assert.deepEqual(fake.installedApps(FAKE_IDS.adele), [FAKE_CATALOG_APP_ID]);
    });

    it('blocks installs with 403 when told to, until reset', async function () {
      const bind = { 'teamsApp@odata.bind': `${fake.baseUrl}/v1.0/appCatalogs/teamsApps/${FAKE_CATALOG_APP_ID}` };
      fake.blockAppInstalls();
      assert.equal((await graph(`/users/${FAKE_IDS.isaiah}/teamwork/installedApps`, { method: 'POST', body: bind })).status, 403);
      fake.reset();
      assert.equal((await graph(`/users/${FAKE_IDS.isaiah}/teamwork/installedApps`, { method: 'POST', body: bind })).status, 201, 'reset() lifts the block');
    });

    it('captures sendMail from a known mailbox (202) and refuses an unknown one (404)', async function () {
      const message = {
        subject: 'Hello',
        body: { contentType: 'HTML', content: '<p>Hi</p>' },
        toRecipients: [{ emailAddress: { address: 'meganb@example.com' } }],
      };
      const sent = await graph(`/users/${encodeURIComponent('privacy@example.com')}/sendMail`, { method: 'POST', body: { message, saveToSentItems: true } });
      assert.equal(sent.status, 202);
      assert.deepEqual(fake.sentMail, [{ mailboxId: FAKE_IDS.privacyMailbox, message, saveToSentItems: true }]);
      const unknown = await graph(`/users/${encodeURIComponent('nobody@example.com')}/sendMail`, { method: 'POST', body: { message, saveToSentItems: true } });
      assert.equal(unknown.status, 404);
      assert.equal(fake.sentMail.length, 1);
    });
  });

  describe('parseFilter', function () {
    it('reads eq and any() clauses joined by or, with doubled quotes', function () {
      assert.deepEqual(parseFilter("mail eq 'a''b@x' or proxyAddresses/any(p:p eq 'smtp:a''b@x')"), [
        { kind: 'eq', property: 'mail', value: "a'b@x" },
        { kind: 'any', collection: 'proxyAddresses', value: "smtp:a'b@x" },
      ]);
      assert.deepEqual(parseFilter("teamsApp/id eq 'x'"), [{ kind: 'eq', property: 'teamsApp/id', value: 'x' }]);
    });

    it('rejects what Graph would reject', function () {
      for (const bad of ["mail eq 'a'b'", "mail eq 'open", 'mail eq 3', "mail eq 'a' and upn eq 'b'"]) {
        assert.throws(() => parseFilter(bad), /Invalid filter clause/, bad);
      }
    });
  });
});
