import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type TurnContext,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from '../../domain/logger';
import type { ServiceUrlPolicy } from '../proactive/serviceUrlPolicy';

export interface HttpExchange {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * CloudAdapter with a stricter front door. botbuilder answers 500 when a token names a known key but
 * was signed by another one (its error is not an AuthenticationError); here every failure to
 * authenticate is 401 with no body and the turn never runs. Turn errors are logged loudly instead of
 * being answered with a silent 200.
 */
export class PrivacyDeskAdapter extends CloudAdapter {
  constructor(
    private readonly auth: ConfigurationBotFrameworkAuthentication,
    private readonly logger: Logger,
    private readonly serviceUrls: ServiceUrlPolicy,
    private readonly tenantId?: string,
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

  static create(
    settings: Record<string, string>,
    logger: Logger,
    serviceUrls: ServiceUrlPolicy,
    options: { credentialsFactory?: ServiceClientCredentialsFactory; tenantId?: string } = {},
  ): PrivacyDeskAdapter {
    const auth = new ConfigurationBotFrameworkAuthentication(settings, options.credentialsFactory);
    return new PrivacyDeskAdapter(auth, logger, serviceUrls, options.tenantId);
  }

  /** Authenticates one inbound HTTP exchange and runs the turn; never throws. */
  async handle(exchange: HttpExchange, logic: (context: TurnContext) => Promise<void>): Promise<HttpAnswer> {
    const activity = parseActivity(exchange.body);
    if (!activity) return { status: 400 };
    const header = exchange.headers['authorization'];
    const authHeader = (Array.isArray(header) ? header[0] : header) ?? '';
    let authResult;
    try {
      authResult = await this.auth.authenticateRequest(activity, authHeader);
    } catch (error) {
      this.logger.warn({ reason: error instanceof Error ? error.message : String(error), channelId: activity.channelId }, 'inbound activity refused: authentication failed');
      return { status: 401 };
    }
    // Replies go to the activity's serviceUrl: only Teams / Bot Framework hosts may receive them.
    if (!this.serviceUrls.allows(activity.serviceUrl)) {
      this.logger.warn({ channelId: activity.channelId }, 'inbound activity refused: serviceUrl not on the allow-list');
      return { status: 403 };
    }
    const activityTenant = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (this.tenantId && activityTenant && activityTenant.toLowerCase() !== this.tenantId.toLowerCase()) {
      this.logger.warn({ activityTenant }, 'inbound activity refused: foreign tenant');
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

const MAX_TEXT_LENGTH = 10_000;

/** Structural checks before any work: what is not a plausible activity is answered 400. */
function parseActivity(body: unknown): Activity | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const a = body as Partial<Activity>;
  if (typeof a.type !== 'string' || typeof a.serviceUrl !== 'string' || typeof a.channelId !== 'string') return undefined;
  if (typeof a.conversation?.id !== 'string') return undefined;
  if (a.text !== undefined && (typeof a.text !== 'string' || a.text.length > MAX_TEXT_LENGTH)) return undefined;
  return a as Activity;
}
