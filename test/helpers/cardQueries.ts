import type { CapturedActivity } from '../support/botConnector';

/** The Adaptive Card an activity carries, if any. */
export function cardOf(captured: CapturedActivity | { activity: any }): any | undefined {
  const attachments = (captured.activity as any).attachments as Array<{ contentType: string; content: any }> | undefined;
  return attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every action in a card, however deeply nested (ShowCard, ActionSet). */
export function actionsOf(card: any): any[] {
  const found: any[] = [];
  const visit = (node: any) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.type.startsWith('Action.')) found.push(node);
    for (const value of Object.values(node)) visit(value);
  };
  visit(card);
  return found;
}

/** All text a person would read in an activity: its text and every attachment (Adaptive or hero card). */
export function textOfActivity(captured: { activity: any }): string {
  const attachments = ((captured.activity as any).attachments ?? []) as Array<{ content: any }>;
  return [captured.activity.text ?? '', ...attachments.map((a) => textOf(a.content))].filter(Boolean).join('\n');
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
export function textOf(card: any): string {
  const parts: string[] = [];
  const visit = (node: any) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const key of ['text', 'title', 'value']) if (typeof node[key] === 'string') parts.push(node[key]);
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
