/**
 * What a failed Bot Connector call means for delivery. Teams answers proactive messages with
 * documented codes; the connector client has already retried 429 (with Retry-After) and 5xx.
 */
export const TeamsFailure = {
  /** The stored conversation, or the card being updated, is gone (404): drop the reference, try once more. */
  ConversationGone: 'conversation_gone',
  /** Teams will not deliver to this person (blocked by them, bot not in roster, disabled by admin). */
  Refused: 'refused',
  /** Anything else (throttling after retries, 5xx, network): try again later with backoff. */
  Transient: 'transient',
} as const;
export type TeamsFailure = (typeof TeamsFailure)[keyof typeof TeamsFailure];

const REFUSED_CODES = new Set(['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin', 'BotDisabled', 'UserNotFound']);

export function classifyTeamsError(error: unknown): TeamsFailure {
  const e = error as { statusCode?: number; code?: string; body?: { error?: { code?: string } }; response?: { parsedBody?: { error?: { code?: string } } } };
  const code = e?.body?.error?.code ?? e?.response?.parsedBody?.error?.code ?? e?.code;
  // Any 404 is gone for good, whatever its code (a deleted card answers 404 to an update): retrying cannot help.
  if (code === 'ConversationNotFound' || e?.statusCode === 404) return TeamsFailure.ConversationGone;
  if ((code && REFUSED_CODES.has(code)) || e?.statusCode === 403) return TeamsFailure.Refused;
  return TeamsFailure.Transient;
}
