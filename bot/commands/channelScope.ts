import type { Activity, TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/actor';
import type { NotificationChannel } from '../state/conversationReferences';
import type { CommandTurn } from './command';
import { replyPlain } from './replies';

/** Teams' conversationType for a team channel; a group chat ('groupChat') never qualifies. */
const TEAM_CHANNEL = 'channel';

/**
 * Said in any shared conversation where requests may not be shown. It names no request and no person,
 * and reads the same whether or not the one asked about exists.
 */
export const ASK_IN_ONE_TO_ONE = 'Requests carry personal data, and everyone in this conversation would see my answer. Please ask me in our 1:1 chat.';

/** Where the privacy team chose to be told (`notify here`): ConversationDirectory provides it. */
export interface PrivacyChannelSource {
  notificationChannel(): Promise<Pick<NotificationChannel, 'channelId' | 'teamId'> | undefined>;
}

/** How much of a request a command may show where it was asked. */
export const Disclosure = {
  /** The asker's 1:1 chat: what the asker may see. */
  Personal: 'personal',
  /** The privacy channel, to a privacy admin: only what its cards show (reference, name, state, due). */
  PrivacyChannel: 'privacy-channel',
  /** Any other team channel or group chat, or a non-admin anywhere shared: nothing. */
  None: 'none',
} as const;
export type Disclosure = (typeof Disclosure)[keyof typeof Disclosure];

/**
 * Decides how much a command about requests may show in the conversation it was typed in. A channel
 * answer is read by the whole team, so it is allowed only where the privacy team already receives
 * every request's card, and only to a privacy admin (anyone else asking there would publish their own
 * request). Without a way to know the privacy channel the answer is always None: a missing setting
 * must never widen who reads personal data.
 */
export async function disclosureFor(
  turn: CommandTurn,
  isAdmin: (actor: Actor) => Promise<boolean>,
  privacyChannel: PrivacyChannelSource | undefined,
): Promise<Disclosure> {
  if (turn.scope === 'personal') return Disclosure.Personal;
  if (!privacyChannel || !(await isAdmin(turn.actor))) return Disclosure.None;
  const chosen = await privacyChannel.notificationChannel();
  return chosen && isInChannel(turn.context, chosen) ? Disclosure.PrivacyChannel : Disclosure.None;
}

/** Replies that the answer is for the 1:1 chat. */
export async function askInOneToOne(context: TurnContext): Promise<void> {
  await replyPlain(context, ASK_IN_ONE_TO_ONE);
}

/**
 * True only for a message in that team channel. Unlike `notify here`, the conversation id is not a
 * fallback: a group chat has one but no channelData.channel, and must never pass as the channel.
 */
function isInChannel(context: TurnContext, chosen: Pick<NotificationChannel, 'channelId' | 'teamId'>): boolean {
  const activity = context.activity;
  if (activity.conversation?.conversationType !== TEAM_CHANNEL) return false;
  const channelId = channelIdIn(activity);
  if (channelId === undefined || channelId !== chosen.channelId) return false;
  return !chosen.teamId || teamIdIn(activity) === chosen.teamId;
}

/**
 * The Teams channel and team an activity came from (channelData.channel.id, channelData.team.id),
 * read as untrusted JSON: botbuilder types channelData as any, and its own teamsGet… helpers fail
 * on a null channelData.
 */
export function channelIdIn(activity: Pick<Activity, 'channelData'>): string | undefined {
  return idAt(activity.channelData as unknown, 'channel');
}

export function teamIdIn(activity: Pick<Activity, 'channelData'>): string | undefined {
  return idAt(activity.channelData as unknown, 'team');
}

function idAt(channelData: unknown, part: 'channel' | 'team'): string | undefined {
  if (typeof channelData !== 'object' || channelData === null) return undefined;
  const holder = (channelData as Record<string, unknown>)[part];
  if (typeof holder !== 'object' || holder === null) return undefined;
  const id = (holder as Record<string, unknown>).id;
  return typeof id === 'string' ? id : undefined;
}
