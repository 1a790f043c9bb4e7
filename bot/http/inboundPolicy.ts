import type { Activity } from 'botbuilder';
import type { ServiceUrlPolicy } from '../proactive/serviceUrlPolicy';

/** Why an authenticated activity is still not processed. Logged as is: a code, no personal data. */
export const InboundRefusal = {
  /** Not a channel Privacy Desk serves (Web Chat / Direct Line let the client choose `from`). */
  Channel: 'channel_not_allowed',
  /** From another Entra tenant. */
  ForeignTenant: 'foreign_tenant',
  /** Says nothing about its tenant, so it cannot be shown to be ours. */
  NoTenant: 'no_tenant',
  /** Replies would go to a host that is not Teams / the Bot Framework. */
  ServiceUrl: 'service_url_not_allowed',
} as const;
export type InboundRefusal = (typeof InboundRefusal)[keyof typeof InboundRefusal];

/** Teams' channel id, the default and usually the only one allowed. */
export const TEAMS_CHANNEL_ID = 'msteams';

export interface InboundPolicyOptions {
  /** Channel ids processed; anything else is refused. */
  readonly allowedChannelIds: readonly string[];
  /** The one tenant served; undefined only in local mode (the Playground's tenant id is not a GUID). */
  readonly tenantId?: string;
  readonly serviceUrls: ServiceUrlPolicy;
}

/**
 * Who may talk to Privacy Desk at all, decided after the token is valid and before the turn runs:
 * Teams only, this tenant only, and only with a serviceUrl replies may go to. A valid channel token
 * proves the Bot Framework sent the activity, not that it came from this organisation's Teams.
 */
export class InboundPolicy {
  private readonly channels: ReadonlySet<string>;

  constructor(private readonly options: InboundPolicyOptions) {
    this.channels = new Set(options.allowedChannelIds.map((c) => c.toLowerCase()));
  }

  refusal(activity: Activity): InboundRefusal | undefined {
    if (!this.channels.has(activity.channelId.toLowerCase())) return InboundRefusal.Channel;
    if (this.options.tenantId) {
      const tenant = tenantOf(activity);
      if (!tenant) return InboundRefusal.NoTenant;
      if (tenant.toLowerCase() !== this.options.tenantId.toLowerCase()) return InboundRefusal.ForeignTenant;
    }
    if (!this.options.serviceUrls.allows(activity.serviceUrl)) return InboundRefusal.ServiceUrl;
    return undefined;
  }
}

/**
 * The activity's tenant. Teams puts it in channelData.tenant.id and conversation.tenantId; when both
 * are present they must agree, or neither is believed.
 */
export function tenantOf(activity: Activity): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = activity.conversation?.tenantId;
  const named = [fromChannelData, fromConversation].filter((t): t is string => typeof t === 'string' && t !== '');
  if (named.length === 0) return undefined;
  if (named.some((t) => t.toLowerCase() !== named[0]!.toLowerCase())) return undefined;
  return named[0];
}
