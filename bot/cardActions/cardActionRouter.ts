import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import type { Actor } from '../../domain/actor';
import { RefusalCode } from '../../domain/refusal';
import type { RequestService } from '../../domain/requests/requestService';
import type { RequestStore } from '../../domain/requests/requestStore';
import type { CardActionHandler } from './cardAction';
import { invokeError, InvokeErrorCode } from './invokeError';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_INPUT_LENGTH = 2000;
const UNRECOGNISED_ACTION = 'This card’s action is not one Privacy Desk recognises, so nothing was changed. If you need help, ask your privacy team.';

/**
 * Routes `adaptiveCard/action` invokes by verb. The card's data is untrusted: it may name a request
 * (an opaque id, looked up server-side) and carry input strings; anything else is refused.
 */
export class CardActionRouter {
  private readonly handlers: ReadonlyMap<string, CardActionHandler>;

  constructor(
    handlers: readonly CardActionHandler[],
    private readonly requests: RequestService,
    private readonly store: RequestStore,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.verb, h]));
  }

  async route(context: TurnContext, actor: Actor, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const data = value?.action?.data;
    const requestId = isRecord(data) && typeof data.requestId === 'string' && UUID.test(data.requestId) ? data.requestId : undefined;
    const handler = typeof value?.action?.verb === 'string' ? this.handlers.get(value.action.verb) : undefined;
    if (!handler || !requestId) {
      const known = requestId ? await this.store.get(requestId) : undefined;
      if (known) await this.requests.refuse(actor, known, RefusalCode.MalformedAction, { verb: String(value?.action?.verb ?? '').slice(0, 64) });
      return invokeError(400, InvokeErrorCode.BadRequest, UNRECOGNISED_ACTION);
    }
    return cardResponse(await handler.handle({ context, actor, requestId, inputs: stringInputs(data) }));
  }
}

function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringInputs(data: unknown): Record<string, string> {
  const inputs: Record<string, string> = {};
  if (!isRecord(data)) return inputs;
  for (const [key, value] of Object.entries(data)) {
    if (key !== 'requestId' && typeof value === 'string') inputs[key] = value.slice(0, MAX_INPUT_LENGTH);
  }
  return inputs;
}
