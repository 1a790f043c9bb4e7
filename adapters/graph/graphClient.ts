/**
 * The Microsoft Graph client every Graph adapter shares: the library's own middleware (token,
 * retry on 429/503/504 honouring Retry-After, redirects, telemetry), with the retry pace configurable
 * and a log line per throttled or failed attempt.
 */
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { silentLogger, type Logger } from '../../domain/logger';
import { DEFAULT_GRAPH_BASE_URL } from './graphCredential';

export const GRAPH_API_VERSION = 'v1.0';
/** The library's defaults: 3 retries, 3 s base delay (plus exponential back-off and jitter). */
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_SECONDS = 3;

export interface GraphRetryOptions {
  /** Retries after the first attempt (0–10). */
  readonly maxRetries?: number;
  /** Base delay when Graph sends no Retry-After (0–180 s). Retry-After, when sent, wins. */
  readonly delaySeconds?: number;
  /**
   * How to wait between attempts (milliseconds). Tests pass one that records the wait and returns at
   * once, so honouring "Retry-After: 2" is asserted without sleeping or timing anything.
   */
  readonly wait?: (ms: number) => Promise<void>;
}

export interface GraphClientOptions {
  readonly credential: TokenCredential;
  /** Graph's origin (default https://graph.microsoft.com); a test fake's https://127.0.0.1:PORT. */
  readonly baseUrl?: string;
  readonly retry?: GraphRetryOptions;
  readonly logger?: Logger;
}

/**
 * The scope for application permissions: "{resource}/.default". For the real Graph that is
 * https://graph.microsoft.com/.default; national clouds and fakes get their own origin.
 */
export function graphScope(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

export function createGraphClient(options: GraphClientOptions): Client {
  const baseUrl = new URL(options.baseUrl ?? DEFAULT_GRAPH_BASE_URL).origin;
  const logger = options.logger ?? silentLogger;
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [graphScope(baseUrl)] });
  const retry = new RetryHandler(
    new RetryHandlerOptions(options.retry?.delaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS, options.retry?.maxRetries ?? DEFAULT_MAX_RETRIES),
  );
  const wait = options.retry?.wait;
  if (wait) {
    // RetryHandler's sleep(seconds) is private in its typings but is the only seam for the wait; the
    // delay itself (Retry-After, back-off) is still computed by the library. Tests fail if this stops working.
    (retry as unknown as { sleep(seconds: number): Promise<void> }).sleep = (seconds) => wait(seconds * 1000);
  }
  // The order of the library's default chain, with the attempt logger just inside the retry handler so
  // it sees every attempt rather than only the last.
  const middleware: Middleware[] = [
    new AuthenticationHandler(authProvider),
    retry,
    new AttemptLogger(logger),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    middleware,
    baseUrl,
    defaultVersion: GRAPH_API_VERSION,
    // The client attaches the token only to Graph's own hosts (public and national clouds) and to these
    // custom hosts; adding just our baseUrl's host lets a test fake work and sends tokens nowhere else.
    customHosts: new Set([new URL(baseUrl).hostname]),
  });
}

const TOO_MANY_REQUESTS = 429;
const FIRST_SERVER_ERROR = 500;

/** Logs each attempt Graph throttled or failed: method, status, Retry-After and request-id — never the URL, which may hold a UPN or mail. */
class AttemptLogger implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly logger: Logger) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    await this.next!.execute(context);
    const response = context.response;
    if (response && (response.status === TOO_MANY_REQUESTS || response.status >= FIRST_SERVER_ERROR)) {
      this.logger.warn(
        {
          graphMethod: context.options?.method ?? 'GET',
          status: response.status,
          retryAfter: response.headers.get('retry-after') ?? undefined,
          requestId: response.headers.get('request-id') ?? undefined,
        },
        'Microsoft Graph throttled or failed a request',
      );
    }
  }
}
