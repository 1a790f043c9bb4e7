import type { ConversationReference } from 'botbuilder';
import { IF_ABSENT, KeyValueConflict, type KeyValueStore } from '../../adapters/store/keyValueStore';

const USER_PREFIX = 'convref:user:';
const NOTIFICATION_CHANNEL_KEY = 'settings:notification-channel';
const MAIL_FALLBACK_PREFIX = 'mailed:';
const PROGRESS_CARD_PREFIX = 'progresscard:';
const THREAD_PREFIX = 'thread:';

export interface NotificationChannel {
  readonly teamId?: string;
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly setBy: string;
  readonly setAt: string;
}

/**
 * Where Privacy Desk can reach people: each person's 1:1 conversation (captured whenever they talk
 * to the bot or install it) and the privacy team's notification channel.
 */
export class ConversationDirectory {
  constructor(private readonly store: KeyValueStore) {}

  /** Saves the reference; writes only when it is new or changed (it is refreshed on every activity). */
  async saveForUser(objectId: string, reference: Partial<ConversationReference>): Promise<void> {
    const key = USER_PREFIX + objectId.toLowerCase();
    const existing = await this.store.get(key);
    const current = existing?.value as Partial<ConversationReference> | undefined;
    if (current && current.conversation?.id === reference.conversation?.id && current.serviceUrl === reference.serviceUrl) return;
    await this.store.put(key, reference);
  }

  async forUser(objectId: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.get(USER_PREFIX + objectId.toLowerCase()))?.value as Partial<ConversationReference> | undefined;
  }

  /** Forgets a reference Teams no longer knows (404 ConversationNotFound). */
  async forgetUser(objectId: string): Promise<void> {
    await this.store.delete(USER_PREFIX + objectId.toLowerCase());
  }

  /**
   * Claims the one mail fallback allowed per request and person; false if it was already sent
   * (by this instance or another), so a retried delivery never mails twice.
   */
  async claimMailFallback(requestId: string, objectId: string, at: Date): Promise<boolean> {
    try {
      await this.store.put(`${MAIL_FALLBACK_PREFIX}${requestId}:${objectId.toLowerCase()}`, { at: at.toISOString() }, IF_ABSENT);
      return true;
    } catch (error) {
      if (error instanceof KeyValueConflict) return false;
      throw error;
    }
  }

  /** The progress card already sent to a person for a request, so later progress updates it in place. */
  async progressCard(requestId: string, objectId: string): Promise<string | undefined> {
    const found = await this.store.get(`${PROGRESS_CARD_PREFIX}${requestId}:${objectId.toLowerCase()}`);
    return (found?.value as { activityId?: string } | undefined)?.activityId;
  }

  async rememberProgressCard(requestId: string, objectId: string, activityId: string): Promise<void> {
    await this.store.put(`${PROGRESS_CARD_PREFIX}${requestId}:${objectId.toLowerCase()}`, { activityId });
  }

  /** The channel thread a request's updates go into (the conversation its first channel card started). */
  async requestThread(channelId: string, requestId: string): Promise<string | undefined> {
    return ((await this.store.get(`${THREAD_PREFIX}${channelId}:${requestId}`))?.value as { conversationId?: string } | undefined)?.conversationId;
  }

  async rememberRequestThread(channelId: string, requestId: string, conversationId: string): Promise<void> {
    await this.store.put(`${THREAD_PREFIX}${channelId}:${requestId}`, { conversationId });
  }

  async setNotificationChannel(channel: NotificationChannel): Promise<void> {
    await this.store.put(NOTIFICATION_CHANNEL_KEY, channel);
  }

  async notificationChannel(): Promise<NotificationChannel | undefined> {
    return (await this.store.get(NOTIFICATION_CHANNEL_KEY))?.value as NotificationChannel | undefined;
  }
}
