// A local https server standing in for Microsoft Graph and for the Entra ID token endpoint, so the Graph
// adapters run their real clients (@microsoft/microsoft-graph-client, @azure/identity) over real https
// and tests assert what Graph saw.
//
// Fidelity that makes tests able to fail: Graph routes require a bearer token this fake issued; users come
// back with only the $selected properties (and Graph's default set without $select, which lacks
// accountEnabled, department and userType); $filter is parsed as OData (a literal with an undoubled quote
// is a 400, as in Graph); $count needs ConsistencyLevel: eventual; collections page through @odata.nextLink;
// error bodies echo the requested UPN as Graph's do, so an adapter that copies Graph's message into a
// log or an error is caught. Trust: see test/support/testTls.ts.
import { randomUUID, X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { resolve } from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { closeServer, listenOnLoopback, readBody, LOOPBACK_HOST } from './loopback';
import { trustedTestTlsFiles } from './testTls';

const DEMO_DIRECTORY_FILE = resolve(__dirname, '..', '..', 'local', 'demo', 'directory.json');
const MANIFEST_FILE = resolve(__dirname, '..', '..', 'appPackage', 'manifest.json');

/** Small pages, so any collection of three or more exercises @odata.nextLink. */
export const FAKE_PAGE_SIZE = 2;
/** Graph's own default page size when $top is not given. */
const GRAPH_DEFAULT_PAGE_SIZE = 100;
/** checkMemberGroups accepts at most 20 group ids (Graph's limit). */
const MAX_CHECK_GROUP_IDS = 20;
const TOKEN_LIFETIME_SECONDS = 3600;
/** Clock skew the token endpoint allows on client assertions (Entra allows five minutes). */
const ASSERTION_CLOCK_SKEW_SECONDS = 300;

export const FAKE_TENANT_ID: string = (JSON.parse(readFileSync(DEMO_DIRECTORY_FILE, 'utf8')) as { tenantId: string }).tenantId;
export const FAKE_CLIENT_ID = 'c0ffee00-1111-4222-8333-444455556666';
export const FAKE_CLIENT_SECRET = 'fake-graph-client-secret';
/** Privacy Desk's Teams manifest id, as published in the fake catalog. */
export const FAKE_MANIFEST_ID: string = (JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as { id: string }).id;
/** The id the catalog gives the published app (different from the manifest id, as in Teams). */
export const FAKE_CATALOG_APP_ID = 'f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b';

/** Ids of the directory's objects, for tests. Users a001–a008 come from local/demo/directory.json. */
export const FAKE_IDS = {
  alex: 'a1b2c3d4-0001-4000-8000-00000000a001',
  megan: 'a1b2c3d4-0002-4000-8000-00000000a002',
  adele: 'a1b2c3d4-0003-4000-8000-00000000a003',
  isaiah: 'a1b2c3d4-0004-4000-8000-00000000a004',
  patti: 'a1b2c3d4-0005-4000-8000-00000000a005',
  lynne: 'a1b2c3d4-0006-4000-8000-00000000a006',
  grady: 'a1b2c3d4-0007-4000-8000-00000000a007',
  joni: 'a1b2c3d4-0008-4000-8000-00000000a008',
  /** Siobhán O'Brien: mail o'brien+news@example.com (a quote and a plus in the address). */
  siobhan: 'a1b2c3d4-0009-4000-8000-00000000a009',
  /** The privacy team's mailbox (privacy@example.com). */
  privacyMailbox: 'a1b2c3d4-0010-4000-8000-00000000a010',
  /** "Privacy Team" from the demo file. */
  privacyTeamGroup: 'b7c8d9e0-0001-4000-8000-00000000b001',
  /** The security group of privacy admins; Alex is a direct member. */
  privacyAdminsGroup: 'b7c8d9e0-0002-4000-8000-00000000b002',
  /** Nested inside Privacy Admins; Patti is a member, so an admin transitively. */
  privacyLeadsGroup: 'b7c8d9e0-0003-4000-8000-00000000b003',
  allStaffGroup: 'b7c8d9e0-0004-4000-8000-00000000b004',
  marketingGroup: 'b7c8d9e0-0005-4000-8000-00000000b005',
  device: 'd1e2f3a4-0001-4000-8000-00000000d001',
  servicePrincipal: 'e1f2a3b4-0001-4000-8000-00000000e001',
} as const;

/** Isaiah and Lynne both carry this alias: a mail look-up for it is ambiguous. */
export const FAKE_SHARED_ALIAS = 'sales@example.com';

export interface FakeUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  department: string | null;
  jobTitle: string | null;
  preferredLanguage: string | null;
  usageLocation: string | null;
  country: string | null;
  state: string | null;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  proxyAddresses: string[];
  managerId?: string;
  /** Direct group memberships (group ids); nested groups add more transitively. */
  memberOf: string[];
  /** Assigned licences (sku part numbers). */
  licenses: string[];
}

interface FakeGroup {
  id: string;
  displayName: string;
  securityEnabled: boolean;
  memberOf: string[];
}

interface FakeOtherObject {
  id: string;
  displayName: string;
  odataType: '#microsoft.graph.device' | '#microsoft.graph.servicePrincipal';
}

interface CatalogApp {
  id: string;
  externalId: string;
  displayName: string;
  distributionMethod: 'organization';
}

interface Installation {
  id: string;
  catalogAppId: string;
  chatId: string;
}

export type FakeGraphRequestKind = 'graph' | 'token' | 'discovery';

/** One request the fake received, whatever it answered. */
export interface FakeGraphRequest {
  readonly kind: FakeGraphRequestKind;
  readonly method: string;
  /** Decoded path, e.g. /v1.0/users/joni_partner.example#EXT#@example.com */
  readonly path: string;
  /** Decoded query parameters ($filter arrives here as Graph would read it). */
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly consistencyLevel: string | undefined;
  /** Parsed JSON body (Graph) or form fields (token endpoint); undefined when empty. */
  readonly body: unknown;
  /** The status the fake answered. */
  status: number;
  /** True when the answer came from failNext(). */
  injectedFailure: boolean;
}

export interface SentMail {
  /** The mailbox's user id (whatever form the path named it in). */
  readonly mailboxId: string;
  readonly message: {
    subject: string;
    body: { contentType: string; content: string };
    toRecipients: Array<{ emailAddress: { address: string } }>;
  };
  readonly saveToSentItems: boolean;
}

export interface FailNextOptions {
  /** Adds Retry-After (seconds), as Graph does when it throttles. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose decoded path contains this (default: any Graph request). */
  readonly pathIncludes?: string;
  /** The error code in the body (default: Graph's usual code for the status). */
  readonly code?: string;
}

export interface FakeGraph {
  /** https://127.0.0.1:PORT — Graph's base URL and also the authority host. */
  readonly baseUrl: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request, in arrival order. */
  readonly requests: FakeGraphRequest[];
  /** Graph API requests only (no token or discovery calls). */
  graphRequests(): FakeGraphRequest[];
  /** Requests to the token endpoint. */
  tokenRequests(): FakeGraphRequest[];
  /** Every sendMail the fake accepted. */
  readonly sentMail: SentMail[];
  /** When true the token endpoint answers 401 invalid_client to the client secret (as for a wrong or expired secret). */
  refuseClientSecret(refuse?: boolean): void;
  /** Registers a certificate (PEM) whose signed client assertions the token endpoint accepts. */
  acceptCertificate(certificatePem: string): void;
  /** The next `times` matching Graph requests are answered with `status` instead of being handled. */
  failNext(status: number, times?: number, options?: FailNextOptions): void;
  /** Replaces a user's direct group memberships (what checkMemberGroups and memberOf answer from then on). */
  setMemberOf(userId: string, groupIds: readonly string[]): void;
  /** A user as the fake holds it (a live object: tests may change fields). */
  user(userId: string): FakeUser;
  /** Adds a user (or replaces one with the same id). */
  addUser(user: FakeUser): void;
  /** Removes Privacy Desk from the app catalog (install then finds no app). */
  removeCatalogApp(): void;
  /** When true, installing any app answers 403 (a Teams app permission policy blocks it). */
  blockAppInstalls(block?: boolean): void;
  /** The catalog app ids installed for a user. */
  installedApps(userId: string): string[];
  /**
   * Microsoft 365 personal-data exports requested through POST /users/{id}/exportPersonalData, as
   * dataPolicyOperations. The fake does not write anything by itself: a test moves an operation on
   * with `progressPersonalDataExport` and finishes it with `completePersonalDataExport`.
   */
  personalDataExports(): ReadonlyArray<{ id: string; userId: string; storageLocation: string; status: string }>;
  progressPersonalDataExport(operationId: string, progress: number): void;
  /** Writes the files into the storage location (through its SAS URL, as Microsoft would) and completes. */
  completePersonalDataExport(operationId: string, files: Record<string, string | Buffer>): Promise<void>;
  failPersonalDataExport(operationId: string): void;
  /** Clears recorded requests, sent mail, pending failures and the refuse/block switches (directory data, installations and issued tokens stay). */
  reset(): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the fake on https://127.0.0.1 with an OS-chosen port. The process must trust the test CA
 * (NODE_EXTRA_CA_CERTS, set by `npm test`); otherwise this throws with the command to run instead.
 */
/** The GRAPH_* settings that point Privacy Desk at the fake, signing in with its client secret. */
export function fakeGraphEnv(fake: FakeGraph, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    GRAPH_TENANT_ID: fake.tenantId,
    GRAPH_CLIENT_ID: fake.clientId,
    GRAPH_CLIENT_SECRET: fake.clientSecret,
    GRAPH_BASE_URL: fake.baseUrl,
    GRAPH_AUTHORITY_HOST: fake.authorityHost,
    ...overrides,
  };
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const tls = trustedTestTlsFiles('The fake Microsoft Graph');
  const state = seed();
  const requests: FakeGraphRequest[] = [];
  const sentMail: SentMail[] = [];
  const faults: Array<{ status: number; remaining: number; options: FailNextOptions }> = [];
  const issuedTokens = new Set<string>();
  const acceptedCertificates: X509Certificate[] = [];
  let refuseSecret = false;
  let blockInstalls = false;
  const exportOperations = new Map<
    string,
    { id: string; userId: string; storageLocation: string; status: string; progress: number; submittedDateTime: string; completedDateTime: string | null }
  >();
  let tokenCounter = 0;
  let baseUrl = '';

  const server: Server = createServer({ cert: readFileSync(tls.serverCertPath), key: readFileSync(tls.serverKeyPath) }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'FakeGraphBug', message: String(error) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://fake-graph.invalid');
    const rawBody = await readBody(req);
    const segments = url.pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const kind: FakeGraphRequestKind = segments[0] === 'v1.0' ? 'graph' : segments.includes('.well-known') ? 'discovery' : 'token';
    const record: FakeGraphRequest = {
      kind,
      method: req.method ?? 'GET',
      path: '/' + segments.join('/'),
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      consistencyLevel: header(req, 'consistencylevel'),
      body: parseBody(rawBody, req.headers['content-type']),
      status: 0,
      injectedFailure: false,
    };
    requests.push(record);
    res.setHeader('request-id', randomUUID());
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      if (body === undefined) {
        res.statusCode = status;
        res.end();
      } else sendJson(res, status, body);
    };

    try {
      if (kind === 'discovery') return answer(200, discovery(segments));
      if (kind === 'token') return answer(200, await token(segments, record));
      authorize(record.authorization);
      const fault = takeFault(record.path);
      if (fault) {
        record.injectedFailure = true;
        const headers: Record<string, string> = fault.options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.options.retryAfterSeconds) };
        return answer(
          fault.status,
          { error: { code: fault.options.code ?? defaultCode(fault.status), message: `Injected failure ${fault.status}.` } },
          headers,
        );
      }
      const result = graph(record, segments.slice(1), url);
      return answer(result.status, result.body, result.headers);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // The token endpoint speaks OAuth errors; Graph wraps its own in { error: { code, message } }.
      if (kind === 'graph') return answer(error.status, { error: { code: error.code, message: error.message, innerError: { 'request-id': randomUUID() } } });
      return answer(error.status, { error: error.code, error_description: error.message, error_codes: aadstsCodes(error.message) });
    }
  }

  function discovery(segments: string[]): unknown {
    const tenant = segments[0] ?? '';
    if (tenant.toLowerCase() !== FAKE_TENANT_ID) throw new HttpError(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`);
    const base = `${baseUrl}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      issuer: `${baseUrl}/${FAKE_TENANT_ID}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    };
  }

  async function token(segments: string[], record: FakeGraphRequest): Promise<unknown> {
    const tokenEndpoint = `${baseUrl}/${segments[0]}/oauth2/v2.0/token`;
    if (record.method !== 'POST' || segments.slice(1).join('/') !== 'oauth2/v2.0/token') throw new HttpError(404, 'not_found', 'AADSTS0: no such endpoint.');
    if ((segments[0] ?? '').toLowerCase() !== FAKE_TENANT_ID) throw new HttpError(400, 'invalid_request', `AADSTS90002: Tenant '${segments[0]}' not found.`);
    const form = (record.body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'client_credentials')
      throw new HttpError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    if (form.client_id !== FAKE_CLIENT_ID)
      throw new HttpError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.client_id}' was not found in the directory.`);
    if (form.scope !== `${baseUrl}/.default`)
      throw new HttpError(400, 'invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid (${form.scope}).`);
    if (form.client_assertion !== undefined) await verifyAssertion(form.client_assertion, tokenEndpoint);
    else if (refuseSecret || form.client_secret !== FAKE_CLIENT_SECRET)
      throw new HttpError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    const accessToken = `fake-graph-token-${++tokenCounter}`;
    issuedTokens.add(accessToken);
    return { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken };
  }

  async function verifyAssertion(assertion: string, tokenEndpoint: string): Promise<void> {
    const refused = () =>
      new HttpError(401, 'invalid_client', 'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.');
    let headerFields: Record<string, unknown>;
    try {
      headerFields = decodeProtectedHeader(assertion) as Record<string, unknown>;
    } catch {
      throw refused();
    }
    const certificate = acceptedCertificates.find((c) => headerFields['x5t#S256'] === thumbprint(c, 'sha256') || headerFields.x5t === thumbprint(c, 'sha1'));
    if (!certificate) throw refused();
    try {
      // Entra tolerates clock skew; MSAL rounds "now" to the nearest second, so nbf can be up to 1 s ahead.
      await jwtVerify(assertion, certificate.publicKey, {
        audience: tokenEndpoint,
        issuer: FAKE_CLIENT_ID,
        subject: FAKE_CLIENT_ID,
        clockTolerance: ASSERTION_CLOCK_SKEW_SECONDS,
      });
    } catch {
      throw new HttpError(401, 'invalid_client', 'AADSTS700027: Client assertion failed signature validation.');
    }
  }

  function authorize(authorization: string | undefined): void {
    const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!presented) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (!issuedTokens.has(presented)) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  }

  function takeFault(path: string) {
    const fault = faults.find((f) => f.remaining > 0 && (f.options.pathIncludes === undefined || path.includes(f.options.pathIncludes)));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  }

  function graph(record: FakeGraphRequest, s: string[], url: URL): { status: number; body?: unknown; headers?: Record<string, string> } {
    const q = record.query;
    if (q.$count !== undefined && record.consistencyLevel !== 'eventual') {
      throw new HttpError(400, 'Request_BadRequest', '$count is not currently supported without the ConsistencyLevel: eventual header.');
    }
    const method = record.method;
    const route = routeOf(s);
    const only = (allowed: string) => {
      if (method !== allowed) throw new HttpError(405, 'Request_BadRequest', `The ${method} method is not supported on this resource.`);
    };
    switch (route) {
      case 'users':
        only('GET');
        return ok(collection(listUsers(q), q, url, (u) => projectUser(u, q.$select)));
      case 'users/{}':
        only('GET');
        return ok(projectUser(findUser(s[1]!), q.$select));
      case 'users/{}/manager': {
        only('GET');
        const user = findUser(s[1]!);
        const manager = user.managerId ? state.users.get(user.managerId) : undefined;
        if (!manager)
          throw new HttpError(
            404,
            'Request_ResourceNotFound',
            `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`,
          );
        return ok({ '@odata.type': '#microsoft.graph.user', ...project({ ...manager } as unknown as Record<string, unknown>, q.$select) });
      }
      case 'users/{}/memberOf/microsoft.graph.group': {
        only('GET');
        const user = findUser(s[1]!);
        const groups = user.memberOf.map((id) => state.groups.get(id)).filter((g): g is FakeGroup => g !== undefined);
        return ok(collection(groups, q, url, (g) => project({ id: g.id, displayName: g.displayName, securityEnabled: g.securityEnabled }, q.$select)));
      }
      case 'users/{}/licenseDetails': {
        only('GET');
        const user = findUser(s[1]!);
        return ok(collection(user.licenses, q, url, (sku) => project({ id: `${user.id}-${sku}`, skuPartNumber: sku, skuId: randomUUID() }, q.$select)));
      }
      case 'users/{}/checkMemberGroups': {
        only('POST');
        const user = findUser(s[1]!);
        const groupIds = (record.body as { groupIds?: unknown } | undefined)?.groupIds;
        if (!Array.isArray(groupIds) || groupIds.length === 0 || groupIds.length > MAX_CHECK_GROUP_IDS || !groupIds.every((g) => typeof g === 'string')) {
          throw new HttpError(400, 'Request_BadRequest', 'groupIds must be a list of 1 to 20 group ids.');
        }
        const transitive = transitiveGroups(user);
        return ok({ value: groupIds.filter((g: string) => transitive.has(g.toLowerCase())) });
      }
      case 'users/{}/sendMail':
        only('POST');
        return sendMailRoute(s[1]!, record.body);
      case 'users/{}/teamwork/installedApps':
        if (method === 'POST') return install(s[1]!, record.body);
        only('GET');
        return ok(listInstallations(s[1]!, q));
      case 'users/{}/teamwork/installedApps/{}/chat': {
        only('GET');
        const installation = installationsOf(findUser(s[1]!)).find((i) => i.id === s[4]);
        if (!installation) throw new HttpError(404, 'NotFound', 'The app installation was not found.');
        return ok(project({ id: installation.chatId, chatType: 'oneOnOne' }, q.$select));
      }
      case 'directoryObjects/{}': {
        only('GET');
        const object = findDirectoryObject(s[1]!);
        if (!object)
          throw new HttpError(
            404,
            'Request_ResourceNotFound',
            `Resource '${s[1]}' does not exist or one of its queried reference-property objects are not present.`,
          );
        return ok(object);
      }
      case 'users/{}/exportPersonalData': {
        only('POST');
        const user = findUser(s[1]!);
        const storageLocation = (record.body as { storageLocation?: unknown } | undefined)?.storageLocation;
        if (typeof storageLocation !== 'string' || !/^https?:\/\/.+\?.*sig=/.test(storageLocation)) {
          throw new HttpError(400, 'BadRequest', 'storageLocation must be a container SAS URL.');
        }
        const operation = {
          id: randomUUID(),
          userId: user.id,
          storageLocation,
          status: 'notStarted',
          progress: 0,
          submittedDateTime: new Date().toISOString(),
          completedDateTime: null as string | null,
        };
        exportOperations.set(operation.id, operation);
        return { status: 202, headers: { location: `${baseUrl}/v1.0/dataPolicyOperations/${operation.id}` } };
      }
      case 'groups/{}/transitiveMembers/microsoft.graph.user': {
        only('GET');
        const groupId = s[1]!.toLowerCase();
        if (!state.groups.has(groupId)) throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${s[1]}' does not exist.`);
        const members = [...state.users.values()].filter((u) => transitiveGroups(u).has(groupId));
        return ok(collection(members, q, url, (u) => project({ id: u.id, displayName: u.displayName } as unknown as Record<string, unknown>, q.$select)));
      }
      case 'dataPolicyOperations/{}': {
        only('GET');
        const operation = exportOperations.get(s[1]!);
        if (!operation) throw new HttpError(404, 'ResourceNotFound', 'The data policy operation was not found.');
        return ok({ ...operation });
      }
      case 'appCatalogs/teamsApps':
        only('GET');
        return ok(collection(filterBy([...state.catalog.values()], q.$filter), q, url, (a) => project({ ...a }, q.$select)));
      default:
        throw new HttpError(400, 'BadRequest', `Resource not found for the segment '${s.at(-1)}'.`);
    }
  }

  function userById(userId: string): FakeUser {
    const user = state.users.get(userId.toLowerCase());
    if (!user) throw new Error(`fakeGraph: no user ${userId}`);
    return user;
  }

  function listUsers(q: Readonly<Record<string, string>>): FakeUser[] {
    return filterBy([...state.users.values()], q.$filter);
  }

  function findUser(key: string): FakeUser {
    const k = key.toLowerCase();
    for (const user of state.users.values()) {
      if (user.id === k || user.userPrincipalName.toLowerCase() === k) return user;
    }
    // Graph's message repeats what was asked for (a UPN is personal data): adapters must not pass it on.
    throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
  }

  function findDirectoryObject(id: string): Record<string, unknown> | undefined {
    const k = id.toLowerCase();
    const user = state.users.get(k);
    if (user) return { '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.displayName };
    const group = state.groups.get(k);
    if (group) return { '@odata.type': '#microsoft.graph.group', id: group.id, displayName: group.displayName };
    const other = state.others.get(k);
    if (other) return { '@odata.type': other.odataType, id: other.id, displayName: other.displayName };
    return undefined;
  }

  function transitiveGroups(user: FakeUser): Set<string> {
    const seen = new Set<string>();
    const queue = [...user.memberOf];
    while (queue.length) {
      const id = queue.shift()!.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(state.groups.get(id)?.memberOf ?? []));
    }
    return seen;
  }

  function sendMailRoute(mailboxKey: string, body: unknown): { status: number } {
    const mailbox = [...state.users.values()].find((u) => [u.id, u.userPrincipalName.toLowerCase(), u.mail?.toLowerCase()].includes(mailboxKey.toLowerCase()));
    if (!mailbox) throw new HttpError(404, 'ErrorInvalidUser', `The requested user '${mailboxKey}' is invalid.`);
    const b = body as Partial<SentMail> | undefined;
    const m = b?.message;
    const valid =
      m &&
      typeof m.subject === 'string' &&
      typeof m.body?.content === 'string' &&
      ['HTML', 'Text', 'html', 'text'].includes(m.body?.contentType ?? '') &&
      Array.isArray(m.toRecipients) &&
      m.toRecipients.length > 0 &&
      m.toRecipients.every((r) => typeof r?.emailAddress?.address === 'string');
    if (!valid) throw new HttpError(400, 'ErrorInvalidRequest', 'The message is not valid.');
    sentMail.push({ mailboxId: mailbox.id, message: m, saveToSentItems: b?.saveToSentItems === true });
    return { status: 202 };
  }

  function install(userKey: string, body: unknown): { status: number } {
    const user = findUser(userKey);
    const bind = (body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
    const encodedAppId = typeof bind === 'string' ? /\/v1\.0\/appCatalogs\/teamsApps\/([^/?#]+)$/.exec(bind)?.[1] : undefined;
    const appId = encodedAppId === undefined ? undefined : decodeURIComponent(encodedAppId);
    if (!appId) throw new HttpError(400, 'BadRequest', 'teamsApp@odata.bind must reference an app in the catalog.');
    if (!(bind as string).startsWith(`${baseUrl}/`)) throw new HttpError(400, 'BadRequest', 'teamsApp@odata.bind must be a Graph URL.');
    if (!state.catalog.has(appId)) throw new HttpError(404, 'NotFound', 'The app was not found in the catalog.');
    if (blockInstalls) throw new HttpError(403, 'Forbidden', 'The app is blocked by the app permission policy.');
    const installations = installationsOf(user);
    if (installations.some((i) => i.catalogAppId === appId)) throw new HttpError(409, 'Conflict', 'The app is already installed.');
    installations.push({ id: Buffer.from(`${user.id}##${appId}`).toString('base64url'), catalogAppId: appId, chatId: `19:${user.id}_${appId}@unq.gbl.spaces` });
    return { status: 201 };
  }

  function listInstallations(userKey: string, q: Readonly<Record<string, string>>): unknown {
    const user = findUser(userKey);
    const expanded = (q.$expand ?? '').split(',').map((e) => e.trim());
    if (q.$filter?.includes('teamsApp/') && !expanded.includes('teamsApp')) {
      throw new HttpError(
        400,
        'BadRequest',
        "Could not find a property named 'teamsApp' on type 'microsoft.graph.userScopeTeamsAppInstallation'; expand it to filter on it.",
      );
    }
    const shaped = installationsOf(user).map((i) => {
      const app = state.catalog.get(i.catalogAppId);
      return { id: i.id, teamsApp: { id: i.catalogAppId, externalId: app?.externalId, displayName: app?.displayName, distributionMethod: 'organization' } };
    });
    const filtered = filterBy(shaped, q.$filter);
    return { value: filtered.map((i) => (expanded.includes('teamsApp') ? i : { id: i.id })) };
  }

  function installationsOf(user: FakeUser): Installation[] {
    let list = state.installations.get(user.id);
    if (!list) state.installations.set(user.id, (list = []));
    return list;
  }

  /** A page of a collection, with @odata.nextLink when more remain and @odata.count when $count=true. */
  function collection<T>(items: T[], q: Readonly<Record<string, string>>, url: URL, shape: (item: T) => unknown): Record<string, unknown> {
    const pageSize = Math.min(q.$top ? Number(q.$top) : GRAPH_DEFAULT_PAGE_SIZE, FAKE_PAGE_SIZE);
    const start = q.$skiptoken ? Number(q.$skiptoken) : 0;
    const page: Record<string, unknown> = { value: items.slice(start, start + pageSize).map(shape) };
    if (q.$count === 'true') page['@odata.count'] = items.length;
    if (start + pageSize < items.length) {
      const next = new URL(url.pathname, baseUrl);
      for (const [key, value] of Object.entries(q)) if (key !== '$skiptoken') next.searchParams.set(key, value);
      next.searchParams.set('$skiptoken', String(start + pageSize));
      page['@odata.nextLink'] = next.toString();
    }
    return page;
  }

  await listenOnLoopback(server);
  const port = (server.address() as { port: number }).port;
  baseUrl = `https://${LOOPBACK_HOST}:${port}`;

  return {
    baseUrl,
    authorityHost: baseUrl,
    tenantId: FAKE_TENANT_ID,
    clientId: FAKE_CLIENT_ID,
    clientSecret: FAKE_CLIENT_SECRET,
    requests,
    graphRequests: () => requests.filter((r) => r.kind === 'graph'),
    tokenRequests: () => requests.filter((r) => r.kind === 'token'),
    sentMail,
    refuseClientSecret(refuse = true) {
      refuseSecret = refuse;
    },
    acceptCertificate(certificatePem) {
      acceptedCertificates.push(new X509Certificate(certificatePem));
    },
    failNext(status, times = 1, options = {}) {
      faults.push({ status, remaining: times, options });
    },
    setMemberOf(userId, groupIds) {
      userById(userId).memberOf = [...groupIds];
    },
    user: userById,
    addUser(user) {
      state.users.set(user.id.toLowerCase(), user);
    },
    removeCatalogApp() {
      state.catalog.clear();
    },
    blockAppInstalls(block = true) {
      blockInstalls = block;
    },
    installedApps(userId) {
      return (state.installations.get(userId.toLowerCase()) ?? []).map((i) => i.catalogAppId);
    },
    personalDataExports() {
      return [...exportOperations.values()].map(({ id, userId, storageLocation, status }) => ({ id, userId, storageLocation, status }));
    },
    progressPersonalDataExport(operationId, progress) {
      const operation = exportOperations.get(operationId)!;
      operation.status = 'running';
      operation.progress = progress;
    },
    async completePersonalDataExport(operationId, files) {
      const operation = exportOperations.get(operationId)!;
      const location = new URL(operation.storageLocation);
      for (const [name, content] of Object.entries(files)) {
        const blobUrl = `${location.origin}${location.pathname.replace(/\/$/, '')}/${name}${location.search}`;
        const response = await fetch(blobUrl, {
          method: 'PUT',
          headers: { 'x-ms-blob-type': 'BlockBlob' },
          body: typeof content === 'string' ? content : new Uint8Array(content),
        });
        if (response.status !== 201) throw new Error(`fakeGraph: writing ${name} to the export's storage location answered ${response.status}`);
      }
      operation.status = 'complete';
      operation.progress = 100;
      operation.completedDateTime = new Date().toISOString();
    },
    failPersonalDataExport(operationId) {
      exportOperations.get(operationId)!.status = 'failed';
    },
    reset() {
      requests.length = 0;
      sentMail.length = 0;
      faults.length = 0;
      refuseSecret = false;
      blockInstalls = false;
    },
    close: () => closeServer(server),
  };
}

// ---------------------------------------------------------------------------------------------
// Directory data

interface FakeState {
  users: Map<string, FakeUser>;
  groups: Map<string, FakeGroup>;
  others: Map<string, FakeOtherObject>;
  catalog: Map<string, CatalogApp>;
  installations: Map<string, Installation[]>;
}

interface DemoFile {
  users: Array<{
    objectId: string;
    displayName: string;
    userPrincipalName: string;
    mail?: string;
    department?: string;
    jobTitle?: string;
    preferredLanguage?: string;
    usageLocation?: string;
    country?: string;
    state?: string;
    accountEnabled: boolean;
    userType: 'Member' | 'Guest';
  }>;
  groups: Array<{ objectId: string; displayName: string }>;
}

function seed(): FakeState {
  const demo = JSON.parse(readFileSync(DEMO_DIRECTORY_FILE, 'utf8')) as DemoFile;
  const users = new Map<string, FakeUser>();
  for (const u of demo.users) {
    users.set(u.objectId.toLowerCase(), {
      id: u.objectId.toLowerCase(),
      displayName: u.displayName,
      userPrincipalName: u.userPrincipalName,
      mail: u.mail ?? null,
      department: u.department ?? null,
      jobTitle: u.jobTitle ?? null,
      preferredLanguage: u.preferredLanguage ?? null,
      usageLocation: u.usageLocation ?? null,
      country: u.country ?? null,
      state: u.state ?? null,
      accountEnabled: u.accountEnabled,
      userType: u.userType,
      proxyAddresses: u.mail ? [`SMTP:${u.mail}`] : [],
      memberOf: [],
      licenses: [],
    });
  }
  const extraUser = (id: string, displayName: string, upn: string, mail: string): FakeUser => ({
    id,
    displayName,
    userPrincipalName: upn,
    mail,
    department: 'Legal & Privacy',
    jobTitle: null,
    preferredLanguage: 'en-GB',
    usageLocation: null,
    country: null,
    state: null,
    accountEnabled: true,
    userType: 'Member',
    proxyAddresses: [`SMTP:${mail}`],
    memberOf: [],
    licenses: [],
  });
  users.set(FAKE_IDS.siobhan, extraUser(FAKE_IDS.siobhan, 'Siobhán O’Brien', 'siobhan.obrien@example.com', "o'brien+news@example.com"));
  users.set(FAKE_IDS.privacyMailbox, extraUser(FAKE_IDS.privacyMailbox, 'Privacy Desk mailbox', 'privacy@example.com', 'privacy@example.com'));

  const groups = new Map<string, FakeGroup>();
  for (const g of demo.groups)
    groups.set(g.objectId.toLowerCase(), { id: g.objectId.toLowerCase(), displayName: g.displayName, securityEnabled: false, memberOf: [] });
  const group = (id: string, displayName: string, memberOf: string[] = []) => groups.set(id, { id, displayName, securityEnabled: true, memberOf });
  group(FAKE_IDS.privacyAdminsGroup, 'Privacy Admins');
  group(FAKE_IDS.privacyLeadsGroup, 'Privacy Leads', [FAKE_IDS.privacyAdminsGroup]);
  group(FAKE_IDS.allStaffGroup, 'All Staff');
  group(FAKE_IDS.marketingGroup, 'Marketing');

  const set = (id: string, change: Partial<FakeUser>) => Object.assign(users.get(id)!, change);
  set(FAKE_IDS.alex, {
    memberOf: [FAKE_IDS.privacyAdminsGroup, FAKE_IDS.privacyTeamGroup, FAKE_IDS.allStaffGroup],
    managerId: FAKE_IDS.patti,
    licenses: ['SPE_E5'],
  });
  set(FAKE_IDS.megan, {
    memberOf: [FAKE_IDS.marketingGroup, FAKE_IDS.allStaffGroup, FAKE_IDS.privacyTeamGroup],
    managerId: FAKE_IDS.patti,
    licenses: ['ENTERPRISEPACK', 'EMS'],
  });
  set(FAKE_IDS.patti, { memberOf: [FAKE_IDS.privacyLeadsGroup, FAKE_IDS.allStaffGroup], licenses: ['SPE_E5'] });
  for (const id of [FAKE_IDS.isaiah, FAKE_IDS.lynne]) users.get(id)!.proxyAddresses.push(`smtp:${FAKE_SHARED_ALIAS}`);

  const others = new Map<string, FakeOtherObject>([
    [FAKE_IDS.device, { id: FAKE_IDS.device, displayName: 'KIOSK-42', odataType: '#microsoft.graph.device' }],
    [FAKE_IDS.servicePrincipal, { id: FAKE_IDS.servicePrincipal, displayName: 'Payroll Connector', odataType: '#microsoft.graph.servicePrincipal' }],
  ]);
  const catalog = new Map<string, CatalogApp>([
    [FAKE_CATALOG_APP_ID, { id: FAKE_CATALOG_APP_ID, externalId: FAKE_MANIFEST_ID, displayName: 'Privacy Desk', distributionMethod: 'organization' }],
  ]);
  return { users, groups, others, catalog, installations: new Map() };
}

// ---------------------------------------------------------------------------------------------
// OData bits

/** Graph's default user properties: what comes back without $select. */
const DEFAULT_USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'userPrincipalName',
  'businessPhones',
];

function projectUser(user: FakeUser, select: string | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = { ...user, givenName: null, surname: null, mobilePhone: null, officeLocation: null, businessPhones: [] };
  delete full.managerId;
  delete full.memberOf;
  delete full.licenses;
  return project(full, select ?? DEFAULT_USER_PROPERTIES.join(','));
}

/** Only the selected properties, as Graph returns them (not even id unless selected). */
function project(object: Record<string, unknown>, select: string | undefined): Record<string, unknown> {
  if (!select) return object;
  const out: Record<string, unknown> = {};
  for (const name of select.split(',').map((s) => s.trim())) if (name in object) out[name] = object[name];
  return out;
}

type Clause = { kind: 'eq'; property: string; value: string } | { kind: 'any'; collection: string; value: string };

/** Items matching a $filter of `prop eq 'v'` and `coll/any(x:x eq 'v')` clauses joined by `or`. Anything else is a 400. */
function filterBy<T>(items: T[], filter: string | undefined): T[] {
  if (filter === undefined) return items;
  const clauses = parseFilter(filter);
  const equal = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
  return items.filter((item) =>
    clauses.some((c) => {
      if (c.kind === 'eq')
        return equal(
          c.property.split('/').reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], item),
          c.value,
        );
      const values = (item as Record<string, unknown>)[c.collection];
      return Array.isArray(values) && values.some((v) => equal(v, c.value));
    }),
  );
}

export function parseFilter(text: string): Clause[] {
  const clauses: Clause[] = [];
  let rest = text.trim();
  const fail = (): never => {
    throw new HttpError(400, 'BadRequest', `Invalid filter clause: syntax error in '${text}'.`);
  };
  for (;;) {
    let clause: Clause;
    const any = /^([A-Za-z]+)\/any\(([a-z]+):\2 eq /.exec(rest);
    if (any) {
      const [literal, after] = readLiteral(rest.slice(any[0].length), fail);
      if (!after.startsWith(')')) fail();
      clause = { kind: 'any', collection: any[1]!, value: literal };
      rest = after.slice(1);
    } else {
      const eq = /^([A-Za-z]+(?:\/[A-Za-z]+)*) eq /.exec(rest) ?? fail();
      const [literal, after] = readLiteral(rest.slice(eq[0].length), fail);
      clause = { kind: 'eq', property: eq[1]!, value: literal };
      rest = after;
    }
    clauses.push(clause);
    if (rest.trim() === '') return clauses;
    if (!rest.startsWith(' or ')) fail();
    rest = rest.slice(' or '.length);
  }
}

/** Reads an OData string literal ('…' with '' for a quote); returns its value and the text after it. */
function readLiteral(text: string, fail: () => never): [string, string] {
  if (!text.startsWith("'")) fail();
  let value = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") value += text[i];
    else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else return [value, text.slice(i + 1)];
  }
  return fail();
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** The Graph routes the fake serves; {} stands for one path segment (an id, a UPN, …). */
const ROUTES = [
  'users',
  'users/{}',
  'users/{}/manager',
  'users/{}/memberOf/microsoft.graph.group',
  'users/{}/licenseDetails',
  'users/{}/checkMemberGroups',
  'users/{}/sendMail',
  'users/{}/teamwork/installedApps',
  'users/{}/teamwork/installedApps/{}/chat',
  'directoryObjects/{}',
  'appCatalogs/teamsApps',
  'users/{}/exportPersonalData',
  'dataPolicyOperations/{}',
  'groups/{}/transitiveMembers/microsoft.graph.user',
].map((route) => route.split('/'));

/** The route a path matches (as its pattern string), or '' for none. */
function routeOf(segments: string[]): string {
  const match = ROUTES.find((pattern) => pattern.length === segments.length && pattern.every((part, i) => part === '{}' || part === segments[i]));
  return match ? match.join('/') : '';
}

function ok(body: unknown): { status: number; body: unknown } {
  return { status: 200, body };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function defaultCode(status: number): string {
  return (
    (
      {
        429: 'TooManyRequests',
        500: 'InternalServerError',
        502: 'BadGateway',
        503: 'ServiceUnavailable',
        504: 'GatewayTimeout',
        403: 'Forbidden',
        404: 'NotFound',
      } as Record<number, string>
    )[status] ?? 'generalException'
  );
}

function aadstsCodes(message: string): number[] {
  return [...message.matchAll(/AADSTS(\d+)/g)].map((m) => Number(m[1]));
}

/** A certificate thumbprint as JWT headers carry it (x5t = SHA-1, x5t#S256 = SHA-256; base64url of the DER). */
function thumbprint(certificate: X509Certificate, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(certificate.raw).digest('base64url');
}
