import type { ConversationReference } from 'botbuilder';
import { IF_ABSENT, KeyValueConflict, type KeyValueStore } from '../../adapters/store/keyValueStore';

const USER_PREFIX = 'convref:user:';
const NOTIFICATION_CHANNEL_KEY = 'settings:notification-channel';
const MAIL_FALLBACK_PREFIX = 'mailed:';
const PROGRESS_CARD_PREFIX = 'progresscard:';
const THREAD_PREFIX = 'thread:';

function userKey(objectId: string): string {
  return USER_PREFIX + objectId.toLowerCase();
}

function matches(saved: SavedConversation, speaker: Speaker): boolean {
  if (saved.teamsUserId !== undefined && saved.teamsUserId !== speaker.teamsUserId) return false;
  if (saved.tenantId && speaker.tenantId && saved.tenantId.toLowerCase() !== speaker.tenantId.toLowerCase()) return false;
  return true;
}

/**
 * Reads a stored conversation in either format. A bare reference (before speakers were bound) whose
 * user id differs from the objectId came from the person speaking; an equal one from an installation.
 */
function savedConversationOf(value: unknown): SavedConversation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('reference' in value) return value as SavedConversation;
  const reference = value as Partial<ConversationReference>;
  const userId = reference.user?.id;
  const spoke = userId !== undefined && userId.toLowerCase() !== reference.user?.aadObjectId?.toLowerCase();
  return { reference, ...(spoke ? { teamsUserId: userId } : {}), ...(reference.conversation?.tenantId ? { tenantId: reference.conversation.tenantId } : {}) };
}

export interface NotificationChannel {
  readonly teamId?: string;
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly setBy: string;
  readonly setAt: string;
}

/**
 * How a person's 1:1 conversation was learnt. `teamsUserId` is the Teams user id (from.id) that spoke
 * in it; it is absent when the bot started the chat itself by installing the app, until the person
 * first speaks. Older records were the bare reference; `savedConversationOf` reads both.
 */
interface SavedConversation {
  readonly reference: Partial<ConversationReference>;
  readonly teamsUserId?: string;
  readonly tenantId?: string;
}

/** What became of an activity's claim to be a person. */
export const SpeakerCheck = {
  /** First contact, or the same person in a new personal conversation: the reference was saved. */
  Saved: 'saved',
  Unchanged: 'unchanged',
  /** Another Teams user id or tenant than the one on record for this objectId: nothing saved. */
  Mismatch: 'mismatch',
} as const;
export type SpeakerCheck = (typeof SpeakerCheck)[keyof typeof SpeakerCheck];

/** Who an activity says is speaking, as Teams put it on the activity. */
export interface Speaker {
  readonly objectId: string;
  readonly teamsUserId: string;
  readonly tenantId?: string;
}

/**
 * Where Privacy Desk can reach people: each person's 1:1 conversation (captured whenever they talk
 * to the bot or install it) and the privacy team's notification channel. A person's conversation is
 * bound to the Teams user id that first spoke in it: an activity that names the same objectId with
 * another Teams user id or tenant is not that person and can never redirect their messages.
 */
export class ConversationDirectory {
  constructor(private readonly store: KeyValueStore) {}

  /** False when the activity names a person whose Teams user id or tenant on record differs. */
  async isConsistent(speaker: Speaker): Promise<boolean> {
    const saved = await this.saved(speaker.objectId);
    return !saved || matches(saved, speaker);
  }

  /**
   * Remembers the personal conversation a person spoke in. Writes only when it is new or changed
   * (it is refreshed on every activity) and only for the same Teams user id and tenant.
   */
  async rememberSpeaker(speaker: Speaker, reference: Partial<ConversationReference>): Promise<SpeakerCheck> {
    const key = userKey(speaker.objectId);
    const found = await this.store.get(key);
    const saved = savedConversationOf(found?.value);
    if (saved && !matches(saved, speaker)) return SpeakerCheck.Mismatch;
    if (saved?.teamsUserId && saved.reference.conversation?.id === reference.conversation?.id && saved.reference.serviceUrl === reference.serviceUrl) {
      return SpeakerCheck.Unchanged;
    }
    const record: SavedConversation = { reference, teamsUserId: speaker.teamsUserId, ...(speaker.tenantId ? { tenantId: speaker.tenantId } : {}) };
    try {
      // Conditional on what was read: two first contacts racing cannot both bind.
      await this.store.put(key, record, found?.etag ?? IF_ABSENT);
    } catch (error) {
      if (!(error instanceof KeyValueConflict)) throw error;
      return (await this.isConsistent(speaker)) ? SpeakerCheck.Unchanged : SpeakerCheck.Mismatch;
    }
    return SpeakerCheck.Saved;
  }

  /** The chat the bot opened by installing the app for someone; the first time they speak binds their Teams user id. */
  async rememberInstalled(objectId: string, reference: Partial<ConversationReference>): Promise<void> {
    await this.store.put(userKey(objectId), {
      reference,
      ...(reference.conversation?.tenantId ? { tenantId: reference.conversation.tenantId } : {}),
    } satisfies SavedConversation);
  }

  async forUser(objectId: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.saved(objectId))?.reference;
  }

  /** The Teams user id (29:…) a person spoke with, once they have. */
  async teamsUserIdOf(objectId: string): Promise<string | undefined> {
    return (await this.saved(objectId))?.teamsUserId;
  }

  /** Forgets a reference Teams no longer knows (404 ConversationNotFound). */
  async forgetUser(objectId: string): Promise<void> {
    await this.store.delete(userKey(objectId));
  }

  private async saved(objectId: string): Promise<SavedConversation | undefined> {
    return savedConversationOf((await this.store.get(userKey(objectId)))?.value);
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

  /** The cards that carried a download link to a person for a request, oldest first (several after reissues). */
  async linkCards(requestId: string, objectId: string): Promise<LinkCard[]> {
    return linkCardsOf((await this.store.get(linkCardsKey(requestId, objectId)))?.value);
  }

  /** Remembers a card that carried a link, so a revoke can change it in place; once per activity. */
  async rememberLinkCard(requestId: string, objectId: string, card: LinkCard): Promise<void> {
    await this.changeLinkCards(requestId, objectId, (cards) => (cards.some((c) => c.activityId === card.activityId) ? undefined : [...cards, card]));
  }

  /** Marks cards as saying their link was withdrawn (changed in place, or gone and told by a notice). */
  async markLinkCardsWithdrawn(requestId: string, objectId: string, activityIds: readonly string[]): Promise<void> {
    if (activityIds.length === 0) return;
    await this.changeLinkCards(requestId, objectId, (cards) => cards.map((c) => (activityIds.includes(c.activityId) ? { ...c, withdrawn: true } : c)));
  }

  /** Read, change, write conditionally: two instances changing the same list never lose a card. */
  private async changeLinkCards(requestId: string, objectId: string, change: (cards: LinkCard[]) => LinkCard[] | undefined): Promise<void> {
    const key = linkCardsKey(requestId, objectId);
    for (;;) {
      const found = await this.store.get(key);
      const next = change(linkCardsOf(found?.value));
      if (!next) return;
      try {
        await this.store.put(key, { cards: next }, found?.etag ?? IF_ABSENT);
        return;
      } catch (error) {
        if (!(error instanceof KeyValueConflict)) throw error;
      }
    }
  }
}

const LINK_CARDS_PREFIX = 'linkcards:';

function linkCardsKey(requestId: string, objectId: string): string {
  return `${LINK_CARDS_PREFIX}${requestId}:${objectId.toLowerCase()}`;
}

function linkCardsOf(value: unknown): LinkCard[] {
  const cards = (value as { cards?: unknown } | undefined)?.cards;
  return Array.isArray(cards) ? (cards as LinkCard[]) : [];
}

/** A card sent to a person with a download link on it. */
export interface LinkCard {
  readonly activityId: string;
  /** The package blob its link reads: once the package has moved (revoke), the link is dead. */
  readonly blobName: string;
  /** It already says the link was withdrawn (or it was gone, and a notice said so). */
  readonly withdrawn?: boolean;
}
