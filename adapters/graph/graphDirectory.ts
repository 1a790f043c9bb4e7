/**
 * The production directory: people as Entra ID knows them, read through Microsoft Graph.
 *
 * Application permissions needed: User.Read.All (users, manager, licenceDetails), GroupMember.Read.All
 * (the names of a user's groups) and Directory.Read.All (telling a group, device or service principal
 * apart when an objectId is not a user). Directory.Read.All alone covers all three.
 *
 * Look-up inputs are personal data (UPN, mail): they go into Graph requests, never into logs or errors.
 */
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { Directory, DirectoryLookup, DirectoryUser } from '../../domain/directory/directory';
import { silentLogger, type Logger } from '../../domain/logger';
import { failureFields, graphStatus, toGraphFailure } from './graphErrors';
import { allPages } from './graphPages';
import { encodedFilter, isGuid, odataString, pathSegment } from './odata';

/** Exactly the properties a DirectoryUser holds. Graph returns only what is selected (and by default omits accountEnabled, department and userType). */
export const USER_PROPERTIES = [
  'id',
  'displayName',
  'mail',
  'userPrincipalName',
  'department',
  'jobTitle',
  'preferredLanguage',
  'usageLocation',
  'country',
  'state',
  'accountEnabled',
  'userType',
] as const;

/** Enough to say "N people share this address" without reading the whole tenant. */
const MAIL_MATCH_LIMIT = 10;
/** Graph's largest page for membership and licence lists: fewest round trips. */
const LARGEST_PAGE = 999;
const NOT_FOUND = 404;

/** What a directoryObject's @odata.type means in a refusal ("… is a group, not a person"). */
const OBJECT_TYPE_WORDS: Readonly<Record<string, string>> = {
  '#microsoft.graph.group': 'group',
  '#microsoft.graph.device': 'device',
  '#microsoft.graph.servicePrincipal': 'service principal',
  '#microsoft.graph.application': 'application',
  '#microsoft.graph.orgContact': 'contact',
  '#microsoft.graph.administrativeUnit': 'administrative unit',
  '#microsoft.graph.directoryRole': 'directory role',
};
const USER_TYPE = '#microsoft.graph.user';

interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  preferredLanguage?: string | null;
  usageLocation?: string | null;
  country?: string | null;
  state?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
}

/** Any directory object as Graph returns it: its id, maybe a name, and @odata.type for derived types. */
interface GraphObject {
  id: string;
  displayName?: string | null;
  '@odata.type'?: string;
}

export interface GraphDirectoryOptions {
  readonly client: Client;
  readonly logger?: Logger;
}

export class GraphDirectory implements Directory {
  private readonly client: Client;
  private readonly logger: Logger;

  constructor(options: GraphDirectoryOptions) {
    this.client = options.client;
    this.logger = options.logger ?? silentLogger;
  }

  async lookup(query: string): Promise<DirectoryLookup> {
    const q = query.trim();
    if (isGuid(q)) return this.lookupObjectId(q);
    // Not an objectId and no "@": neither a UPN nor a mail address, so nothing Graph could match.
    if (!q.includes('@')) return { kind: 'not_found' };
    const byUpn = await this.guarded('upn', () => this.getUser(q));
    if (byUpn) return { kind: 'user', user: toDirectoryUser(byUpn) };
    return this.guarded('mail', () => this.lookupMail(q));
  }

  async profile(objectId: string): Promise<Record<string, unknown> | undefined> {
    if (!isGuid(objectId)) return undefined;
    return this.guarded(
      'profile',
      async () => {
        const user = await this.getUser(objectId);
        if (!user) return undefined;
        const id = pathSegment(user.id);
        const [manager, groups, licences] = await Promise.all([
          this.optional(this.client.api(`/users/${id}/manager`).select(['id', 'displayName'])),
          // Groups only (the cast), not directory roles or administrative units.
          allPages<{ displayName?: string | null }>(
            this.client,
            this.client.api(`/users/${id}/memberOf/microsoft.graph.group`).select(['displayName']).top(LARGEST_PAGE),
            advancedQuery,
          ),
          allPages<{ skuPartNumber?: string | null }>(this.client, this.client.api(`/users/${id}/licenseDetails`).select(['skuPartNumber'])),
        ]);
        return {
          ...toDirectoryUser(user),
          manager: manager ? { id: manager.id, displayName: manager.displayName ?? '' } : null,
          groups: names(groups.map((g) => g.displayName)),
          licenses: names(licences.map((l) => l.skuPartNumber)),
        };
      },
      { userId: objectId },
    );
  }

  private async lookupObjectId(objectId: string): Promise<DirectoryLookup> {
    const user = await this.guarded('objectId', () => this.getUser(objectId));
    if (user) return { kind: 'user', user: toDirectoryUser(user) };
    // Not a user: ask what it is, so "that id is a group" can be said instead of "not found".
    const object = await this.guarded('objectId', () => this.optional(this.client.api(`/directoryObjects/${pathSegment(objectId)}`).select(['id'])));
    if (!object) return { kind: 'not_found' };
    const type = object['@odata.type'] ?? '';
    // A user that /users did not return (deleted between the two calls): nothing to file for.
    if (type === USER_TYPE || type === '') return { kind: 'not_found' };
    return { kind: 'not_a_user', objectType: OBJECT_TYPE_WORDS[type] ?? typeWords(type) };
  }

  private async lookupMail(address: string): Promise<DirectoryLookup> {
    const literal = odataString(address);
    // Primary address (mail) or any alias (proxyAddresses holds "SMTP:primary" and "smtp:alias").
    const filter = `mail eq ${literal} or proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)})`;
    const page = (await advancedQuery(
      this.client
        .api('/users')
        .filter(encodedFilter(filter))
        .select([...USER_PROPERTIES])
        .top(MAIL_MATCH_LIMIT),
    ).get()) as {
      value?: GraphUser[];
      '@odata.count'?: number;
    };
    const found = page.value ?? [];
    const count = Math.max(page['@odata.count'] ?? 0, found.length);
    if (count === 0) return { kind: 'not_found' };
    if (count > 1) return { kind: 'ambiguous', count };
    return { kind: 'user', user: toDirectoryUser(found[0]!) };
  }

  /** A user by objectId or UPN, or undefined when Graph says 404. */
  private getUser(idOrUpn: string): Promise<GraphUser | undefined> {
    return this.optional(this.client.api(`/users/${pathSegment(idOrUpn)}`).select([...USER_PROPERTIES]));
  }

  /** GET that turns 404 into undefined and lets every other failure through. */
  private async optional<T = GraphObject>(request: GraphRequest): Promise<T | undefined> {
    try {
      return (await request.get()) as T;
    } catch (error) {
      if (graphStatus(error) === NOT_FOUND) return undefined;
      throw error;
    }
  }

  /** Runs one Graph step; a failure is logged (ids and codes only) and rethrown as a readable error. */
  private async guarded<T>(by: string, step: () => Promise<T>, fields: Record<string, unknown> = {}): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const failure = toGraphFailure(error, by === 'profile' ? 'reading a user’s directory profile' : 'looking up a person in the directory');
      this.logger.warn({ ...fields, directoryStep: by, ...failureFields(failure) }, 'Microsoft Graph directory request failed');
      throw failure;
    }
  }
}

/**
 * Filters on proxyAddresses, OData casts and $count are "advanced queries" for Entra objects: Graph
 * answers them only with ConsistencyLevel: eventual and $count=true (the data may lag by seconds,
 * which is fine for a look-up a person reviews).
 */
function advancedQuery(request: GraphRequest): GraphRequest {
  return request.header('ConsistencyLevel', 'eventual').query({ $count: 'true' });
}

function toDirectoryUser(u: GraphUser): DirectoryUser {
  return Object.freeze({
    objectId: u.id,
    displayName: u.displayName ?? '',
    userPrincipalName: u.userPrincipalName ?? '',
    ...(u.mail ? { mail: u.mail } : {}),
    ...(u.department ? { department: u.department } : {}),
    ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}),
    ...(u.preferredLanguage ? { preferredLanguage: u.preferredLanguage } : {}),
    ...(u.usageLocation ? { usageLocation: u.usageLocation } : {}),
    ...(u.country ? { country: u.country } : {}),
    ...(u.state ? { state: u.state } : {}),
    // Missing means Graph did not say: treat as disabled, so the request is refused rather than sent to a dead account.
    accountEnabled: u.accountEnabled === true,
    // Entra leaves userType empty on some older member accounts; only "Guest" marks a guest.
    userType: u.userType === 'Guest' ? 'Guest' : 'Member',
  });
}

function names(values: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))].sort((a, b) => a.localeCompare(b));
}

/** "#microsoft.graph.someNewType" → "some new type", for types this file does not list. */
function typeWords(odataType: string): string {
  const name = odataType.replace(/^#microsoft\.graph\./, '');
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() || 'directory object';
}
