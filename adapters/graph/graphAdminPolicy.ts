/**
 * Who is a privacy admin in production: members of one Entra security group, directly or through
 * nested groups, asked of Microsoft Graph (POST /users/{id}/checkMemberGroups, which is transitive).
 *
 * Answers are cached per user for a short TTL: the bot asks on nearly every turn, and a person removed
 * from the group loses admin rights once the TTL has passed. Anything that goes wrong answers "not an
 * admin" (fail closed) and is not cached, so the next turn asks again.
 *
 * Application permissions needed: GroupMember.Read.All and User.ReadBasic.All (or Directory.Read.All).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { allPages } from './graphPages';
import type { Clock } from '../../domain/clock';
import { silentLogger, type Logger } from '../../domain/logger';
import type { AdminPolicy, KnownAdmin } from '../../domain/policy/adminPolicy';
import { failureFields, toGraphFailure } from './graphErrors';
import { isGuid, pathSegment } from './odata';

/** Five minutes: short enough for a removal to take effect within a coffee break, long enough to spare Graph. */
export const DEFAULT_ADMIN_CACHE_TTL_MS = 5 * 60 * 1000;
/** Cached answers kept at most; the oldest goes first. A tenant's active admins and requesters fit easily. */
const MAX_CACHED_USERS = 10_000;

export interface GraphAdminPolicyOptions {
  readonly client: Client;
  /** The objectId of the security group whose (transitive) members are privacy admins. */
  readonly adminGroupId: string;
  readonly clock: Clock;
  /** How long one answer is trusted (0 = ask Graph every time). */
  readonly cacheTtlMs?: number;
  readonly logger?: Logger;
}

interface CachedAnswer {
  readonly isAdmin: boolean;
  readonly expiresAt: number;
}

export class GraphAdminPolicy implements AdminPolicy {
  private readonly cache = new Map<string, CachedAnswer>();
  /** One Graph call per user at a time: concurrent checks for the same person share it. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly ttlMs: number;
  private members: { admins: KnownAdmin[]; expiresAt: number } | undefined;
  private listing: Promise<KnownAdmin[] | undefined> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: GraphAdminPolicyOptions) {
    if (!isGuid(options.adminGroupId)) throw new Error('GraphAdminPolicy: the admin group must be given by its objectId (a GUID).');
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_ADMIN_CACHE_TTL_MS;
    this.logger = options.logger ?? silentLogger;
  }

  async isAdmin(objectId: string): Promise<boolean> {
    // Identity comes from a validated activity, so a non-GUID is a bug or an attack: never an admin.
    if (!isGuid(objectId)) return false;
    const key = objectId.toLowerCase();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.options.clock.now().getTime()) return cached.isAdmin;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asking = this.ask(key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asking);
    return asking;
  }

  /**
   * The group's (transitive) user members, for "assign to" choices and the channel cards' admin view.
   * A failure names nobody rather than guessing (GroupMember.Read.All covers it).
   */
  async knownAdmins(): Promise<KnownAdmin[]> {
    // Asked for every channel card and its refreshes: one Graph listing (names included) per cache
    // period, not one per post and no lookup per admin.
    const now = this.options.clock.now().getTime();
    if (this.members && this.members.expiresAt > now) return this.members.admins;
    // Cards posted together when the cache has expired share one listing, as membership checks do.
    this.listing ??= this.listMembers().finally(() => (this.listing = undefined));
    const admins = await this.listing;
    // A failure names nobody and is not cached, like the membership check.
    if (admins) this.members = { admins, expiresAt: now + this.ttlMs };
    return admins ?? [];
  }

  private async listMembers(): Promise<KnownAdmin[] | undefined> {
    try {
      const members = await allPages<{ id?: string; displayName?: string }>(
        this.options.client,
        this.options.client.api(`/groups/${pathSegment(this.options.adminGroupId)}/transitiveMembers/microsoft.graph.user`).select('id,displayName'),
      );
      return members
        .filter((m): m is { id: string; displayName?: string } => typeof m.id === 'string' && isGuid(m.id))
        .map((m) => ({ objectId: m.id, ...(m.displayName ? { displayName: m.displayName } : {}) }));
    } catch (error) {
      this.logger.warn({ ...failureFields(toGraphFailure(error, 'list the privacy admin group')) }, 'could not list the privacy admin group');
      return undefined;
    }
  }

  private async ask(objectId: string): Promise<boolean> {
    let isAdmin: boolean;
    try {
      const answer = (await this.options.client.api(`/users/${pathSegment(objectId)}/checkMemberGroups`).post({ groupIds: [this.options.adminGroupId] })) as {
        value?: unknown;
      };
      const groups = Array.isArray(answer?.value) ? answer.value : [];
      isAdmin = groups.some((id) => typeof id === 'string' && id.toLowerCase() === this.options.adminGroupId.toLowerCase());
    } catch (error) {
      const failure = toGraphFailure(error, 'checking privacy admin group membership');
      this.logger.warn({ userId: objectId, ...failureFields(failure) }, 'Admin check against Microsoft Graph failed; treating the user as not an admin');
      return false;
    }
    this.remember(objectId, isAdmin);
    return isAdmin;
  }

  private remember(objectId: string, isAdmin: boolean): void {
    if (this.ttlMs <= 0) return;
    this.cache.delete(objectId); // re-insert at the end: Map order is age order
    this.cache.set(objectId, { isAdmin, expiresAt: this.options.clock.now().getTime() + this.ttlMs });
    while (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value!);
  }
}
