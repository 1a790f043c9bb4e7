import { randomUUID } from 'node:crypto';
import type { ChannelTokenIssuer } from '../support/channelTokens';

/** A demo person as Teams presents them to the bot. */
export interface TeamsPerson {
  readonly objectId: string;
  readonly name: string;
}

export interface PostResult {
  readonly status: number;
  readonly body: any;
}

/**
 * Plays the Teams service: builds activities as Teams sends them, signs each with a channel token
 * from the local key set, and POSTs it to the bot over HTTP.
 */
export class TeamsClient {
  constructor(
    private readonly options: {
      readonly botUrl: string;
      readonly serviceUrl: string;
      readonly tenantId: string;
      readonly botId: string;
      readonly tokens?: ChannelTokenIssuer;
    },
  ) {}

  /** The 1:1 conversation id Teams would give this person with the bot. */
  personalConversationId(person: TeamsPerson): string {
    return `a:personal-${person.objectId}`;
  }

  activity(person: TeamsPerson, fields: Record<string, unknown>, channel?: { channelId: string; teamId: string }): Record<string, unknown> {
    const conversation = channel
      ? { id: `${channel.channelId};messageid=${Date.now()}`, conversationType: 'channel', isGroup: true, tenantId: this.options.tenantId }
      : { id: this.personalConversationId(person), conversationType: 'personal', tenantId: this.options.tenantId };
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.options.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${person.objectId}`, aadObjectId: person.objectId, name: person.name },
      recipient: { id: `28:${this.options.botId}`, name: 'Privacy Desk' },
      conversation,
      channelData: { tenant: { id: this.options.tenantId }, ...(channel ? { channel: { id: channel.channelId }, team: { id: channel.teamId } } : {}) },
      locale: 'en-US',
      ...fields,
    };
  }

  async post(activity: Record<string, unknown>, authorization?: string | null): Promise<PostResult> {
    const header =
      authorization === null
        ? undefined
        : (authorization ?? (this.options.tokens ? await this.options.tokens.authorization({ serviceUrl: this.options.serviceUrl }) : undefined));
    const response = await fetch(`${this.options.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header ? { authorization: header } : {}) },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? safeJson(text) : undefined };
  }

  say(person: TeamsPerson, text: string, channel?: { channelId: string; teamId: string }): Promise<PostResult> {
    const body = channel ? `<at>Privacy Desk</at> ${text}` : text;
    const entities = channel
      ? [{ type: 'mention', text: '<at>Privacy Desk</at>', mentioned: { id: `28:${this.options.botId}`, name: 'Privacy Desk' } }]
      : undefined;
    return this.post(this.activity(person, { type: 'message', text: body, ...(entities ? { entities } : {}) }, channel));
  }

  /** The Teams app was installed in this person's personal scope (what Teams sends first). */
  install(person: TeamsPerson): Promise<PostResult> {
    return this.post(
      this.activity(person, {
        type: 'conversationUpdate',
        membersAdded: [{ id: `28:${this.options.botId}` }, { id: `29:${person.objectId}`, aadObjectId: person.objectId }],
      }),
    );
  }

  /** An Action.Execute click: the `adaptiveCard/action` invoke. */
  invoke(person: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<PostResult> {
    return this.post(
      this.activity(person, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
