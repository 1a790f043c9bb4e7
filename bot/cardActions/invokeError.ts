import type { AdaptiveCardInvokeResponse } from 'botbuilder';

/** The content type of a Universal Actions error; Teams shows its message on the clicked card. */
export const INVOKE_ERROR_TYPE = 'application/vnd.microsoft.error';

export const InvokeErrorCode = {
  BadRequest: 'BadRequest',
  Unauthorized: 'Unauthorized',
} as const;
export type InvokeErrorCode = (typeof InvokeErrorCode)[keyof typeof InvokeErrorCode];

/** An `adaptiveCard/action` answer that refuses with a sentence and changes nothing. */
export function invokeError(statusCode: 400 | 401 | 403, code: InvokeErrorCode, message: string): AdaptiveCardInvokeResponse {
  // botbuilder types `value` as a card; for errors the protocol puts { code, message } there.
  return { statusCode, type: INVOKE_ERROR_TYPE, value: { code, message } as unknown as Record<string, unknown> };
}
