import type { Activity } from 'botbuilder';
import { z } from 'zod';

/**
 * The shape an inbound activity must have before any work is done on it. botbuilder dereferences
 * these fields without checking them (a string `value`, a null `action`, a non-array `entities`
 * become TypeErrors, i.e. 500s), so they are checked here and anything else is answered 400.
 * Fields Privacy Desk never reads pass through unchecked.
 */

/** An Adaptive Card Universal Action: what Teams sends when a person clicks Action.Execute. */
export const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';
const EXECUTE_ACTION_TYPE = 'Action.Execute';
/** Longer than any verb Privacy Desk's cards use; a bound so nothing huge reaches the log or the audit. */
const MAX_VERB_LENGTH = 128;
const MAX_ID_LENGTH = 1024;

const id = z.string().min(1).max(MAX_ID_LENGTH);
const account = z.looseObject({
  id: z.string().max(MAX_ID_LENGTH).optional(),
  aadObjectId: z.string().max(MAX_ID_LENGTH).optional(),
  name: z.string().optional(),
});

const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(2048),
  conversation: z.looseObject({
    id,
    tenantId: z.string().max(MAX_ID_LENGTH).optional(),
    conversationType: z.string().max(64).optional(),
    isGroup: z.boolean().optional(),
  }),
  from: account.optional(),
  recipient: account.optional(),
  text: z.string().optional(),
  name: z.string().max(256).optional(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string().max(MAX_ID_LENGTH).optional() }).optional() }).optional(),
  entities: z.array(z.looseObject({ type: z.string().optional() })).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
});

const adaptiveCardActionSchema = z.looseObject({
  action: z.looseObject({
    type: z.literal(EXECUTE_ACTION_TYPE),
    verb: z.string().min(1).max(MAX_VERB_LENGTH),
    id: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  trigger: z.enum(['manual', 'automatic']).optional(),
});

export type ActivityCheck = { readonly ok: true; readonly activity: Activity } | { readonly ok: false; readonly problem: string };

/** Checks the activity's shape, and for a card action its value's; `problem` names what was wrong (no values). */
export function checkInboundActivity(body: unknown): ActivityCheck {
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  const activity = parsed.data as unknown as Activity;
  if (activity.type === 'invoke' && activity.name === ADAPTIVE_CARD_ACTION) {
    const value = adaptiveCardActionSchema.safeParse(activity.value);
    if (!value.success) return { ok: false, problem: `value ${describe(value.error)}` };
  }
  return { ok: true, activity };
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'body'}: ${first.code}` : 'invalid';
}
