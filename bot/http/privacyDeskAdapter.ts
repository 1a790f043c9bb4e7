import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from '../../domain/logger';
import { ChannelTokenValidator, TokenRefusal, TokenRefused } from './channelTokenValidator';
import { ADAPTIVE_CARD_ACTION, checkInboundActivity } from './inboundActivity';
import { InboundPolicy } from './inboundPolicy';
import { invokeError, InvokeErrorCode } from '../cardActions/invokeError';

export interface HttpExchange {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body?: unknown;
}

const MALFORMED_SENTENCE = 'Privacy Desk could not read this request, so nothing was changed.';

export interface FrontDoorOptions {
  /** Set in production: tokens are checked before botbuilder sees them (see ChannelTokenValidator). */
  readonly tokens?: ChannelTokenValidator;
  readonly policy: InboundPolicy;
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
}

/**
 * CloudAdapter with a stricter front door. Every inbound activity passes, in order: its shape (400
 * with a sentence), its channel token (401, no body — see ChannelTokenValidator; botbuilder then
 * validates again and still answers 401 for anything it refuses, including the key mismatch it
 * would otherwise turn into a 500), and the inbound policy (403: Teams only, our tenant only,
 * replies only to Teams hosts). Each refusal is one log line with a reason code and no personal
 * data; the turn never runs. Turn errors are logged loudly instead of being answered with a silent 200.
 */
export class PrivacyDeskAdapter extends CloudAdapter {
  constructor(
    private readonly auth: ConfigurationBotFrameworkAuthentication,
    private readonly logger: Logger,
    private readonly options: FrontDoorOptions,
  ) {
    super(auth);
    this.onTurnError = async (context: TurnContext, error: Error) => {
      this.logger.error(
        { activityType: context.activity.type, conversationType: context.activity.conversation?.conversationType, error: error.message, stack: error.stack },
        'turn failed',
      );
      if (context.activity.type === ActivityTypes.Message) {
        // The person has their answer; a 500 would only make the channel deliver the message again.
        await context.sendActivity('Something went wrong on my side and nothing was changed. Please try again in a moment.').catch(() => undefined);
        return;
      }
      // An invoke (a card click) must fail visibly: the client shows its own error for a 5xx.
      throw error;
    };
  }

  static create(settings: Record<string, string>, logger: Logger, options: FrontDoorOptions): PrivacyDeskAdapter {
    const auth = new ConfigurationBotFrameworkAuthentication(settings, options.credentialsFactory);
    return new PrivacyDeskAdapter(auth, logger, options);
  }

  /** Authenticates one inbound HTTP exchange and runs the turn; never throws. */
  async handle(exchange: HttpExchange, logic: (context: TurnContext) => Promise<void>): Promise<HttpAnswer> {
    const checked = checkInboundActivity(exchange.body);
    if (!checked.ok) {
      this.logger.warn({ problem: checked.problem }, 'inbound activity refused: malformed');
      return malformed(exchange.body);
    }
    const activity = checked.activity;
    const header = exchange.headers['authorization'];
    const authHeader = (Array.isArray(header) ? header[0] : header) ?? '';
    let authResult;
    try {
      await this.options.tokens?.validate(authHeader, activity);
      authResult = await this.auth.authenticateRequest(activity, authHeader);
    } catch (error) {
      const reason = error instanceof TokenRefused ? error.reason : 'refused_by_botbuilder';
      this.logger.warn({ reason, channelId: activity.channelId, activityType: activity.type }, 'inbound activity refused: token');
      // The key set could not be fetched: not the sender's fault, and worth retrying.
      return { status: reason === TokenRefusal.KeySetUnavailable ? 503 : 401 };
    }
    const refusal = this.options.policy.refusal(activity);
    if (refusal) {
      this.logger.warn({ reason: refusal, channelId: activity.channelId.slice(0, 64), activityType: activity.type }, 'inbound activity refused: policy');
      return { status: 403 };
    }
    try {
      const invokeResponse = await this.processActivity(authResult, activity, logic);
      return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
    } catch {
      // Already logged by onTurnError.
      return { status: 500 };
    }
  }
}

/** A 400 that says why: as an invoke error for a card action (Teams shows it), else as plain JSON. */
function malformed(body: unknown): HttpAnswer {
  const invoke = typeof body === 'object' && body !== null && (body as { name?: unknown }).name === ADAPTIVE_CARD_ACTION;
  return {
    status: 400,
    body: invoke
      ? invokeError(400, InvokeErrorCode.BadRequest, MALFORMED_SENTENCE)
      : { error: { code: InvokeErrorCode.BadRequest, message: MALFORMED_SENTENCE } },
  };
}
