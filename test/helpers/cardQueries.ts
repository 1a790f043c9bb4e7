import type { CapturedActivity } from '../support/botConnector';

/** A JSON object, as a card's elements, actions and an activity's attachments are. */
type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

/** The attachments of an activity as the bot sent it; anything that is not an object is not an attachment. */
function attachmentsOf(activity: unknown): JsonObject[] {
  if (!isJsonObject(activity)) return [];
  const { attachments } = activity;
  return Array.isArray(attachments) ? attachments.filter(isJsonObject) : [];
}

/**
 * The Adaptive Card an activity carries, if any. It stays `any` on purpose: tests read the card the
 * bot built (card.body[0].text, …) and assert on what they find there.
 */
export function cardOf(captured: { activity: unknown }): any {
  return attachmentsOf(captured.activity).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** What tests read of a card's action: every field is checked by the assertions that use it. */
export interface CardAction {
  readonly type: string;
  readonly title?: string;
  readonly verb?: string;
  readonly url?: string;
  readonly data?: { readonly requestId?: string; readonly [field: string]: unknown };
}

/**
 * Every action in a card, however deeply nested (ShowCard, ActionSet): any object whose `type` starts
 * with "Action.". Its other fields are as the card has them; the assertions that read them check them.
 */
export function actionsOf(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isJsonObject(node)) return;
    if (typeof node.type === 'string' && node.type.startsWith('Action.')) found.push(node as unknown as CardAction);
    for (const value of Object.values(node)) visit(value);
  };
  visit(card);
  return found;
}

/** All text a person would read in an activity: its text and every attachment (Adaptive or hero card). */
export function textOfActivity(captured: { activity: unknown }): string {
  const text = isJsonObject(captured.activity) && typeof captured.activity.text === 'string' ? captured.activity.text : '';
  return [text, ...attachmentsOf(captured.activity).map((a) => textOf(a.content))].filter(Boolean).join('\n');
}

/** Polls until `check` returns a value (not undefined / false), or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** All text a person would read on the card. */
export function textOf(card: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isJsonObject(node)) return;
    for (const key of ['text', 'title', 'value']) {
      const value = node[key];
      if (typeof value === 'string') parts.push(value);
    }
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(card);
  return parts.join('\n');
}

export function sentTo(conversationId: string) {
  return (c: CapturedActivity) => decodeURIComponent(c.conversationId) === conversationId;
}

/** Sent to the privacy channel: a new post (createConversation) or a reply in a request's thread (the stand-in's conv-N ids). */
export function toChannel(c: CapturedActivity): boolean {
  return c.operation === 'createConversation' || decodeURIComponent(c.conversationId).startsWith('conv-');
}
