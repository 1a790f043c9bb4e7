import type { ConversationReference } from 'botbuilder';
import type { KeyValueStore } from '../../adapters/store/keyValueStore';

const USER_PREFIX = 'convref:user:';
const NOTIFICATION_CHANNEL_KEY = 'settings:notification-channel';

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

  /** Saves the reference; true when it is new or changed (someone just became reachable). */
  async saveForUser(objectId: string, reference: Partial<ConversationReference>): Promise<boolean> {
    const key = USER_PREFIX + objectId.toLowerCase();
    const existing = await this.store.get(key);
    const current = existing?.value as Partial<ConversationReference> | undefined;
    if (current && current.conversation?.id === reference.conversation?.id && current.serviceUrl === reference.serviceUrl) return false;
    await this.store.put(key, reference);
    return true;
  }

  async forUser(objectId: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.get(USER_PREFIX + objectId.toLowerCase()))?.value as Partial<ConversationReference> | undefined;
  }

  async setNotificationChannel(channel: NotificationChannel): Promise<void> {
    await this.store.put(NOTIFICATION_CHANNEL_KEY, channel);
  }

  async notificationChannel(): Promise<NotificationChannel | undefined> {
    return (await this.store.get(NOTIFICATION_CHANNEL_KEY))?.value as NotificationChannel | undefined;
  }
}
