// A local HTTP server standing in for the Bot Framework Connector service (the serviceUrl Teams puts on
// every activity). The bot's outbound calls (replies, proactive messages, card updates) land here, so tests
// can assert what the bot said without Teams, and can inject the connector's failures (500, 429).
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Activity, ConversationParameters } from 'botbuilder';
import { closeServer, listenOnLoopback, readBody, LOOPBACK_HOST } from './loopback';

/** How long waitFor() waits by default: a guard for a test that would otherwise hang, not a speed check. */
const DEFAULT_WAIT_TIMEOUT_MS = 5_000;
/** waitFor()'s failure message lists at most this many captured items. */
const MAX_LISTED_IN_ERROR = 20;

/** The activity JSON as the bot sent it (dates such as `timestamp` arrive as strings). */
export type ActivityJson = Partial<Activity> & Record<string, unknown>;

export type ConnectorOperation = 'createConversation' | 'sendToConversation' | 'replyToActivity' | 'updateActivity';

/** One activity the stand-in accepted (answered 2xx). */
export interface CapturedActivity {
  operation: ConnectorOperation;
  conversationId: string;
  /** The id the stand-in assigned (or, for updateActivity, the id being updated). */
  activityId: string;
  /** Set for replyToActivity: the id in the URL the reply is threaded under. */
  replyToId?: string;
  activity: ActivityJson;
  /** The Authorization header the bot sent, e.g. 'Bearer test-outbound-token'. */
  authorization?: string;
}

/** One HTTP request, whatever it was and whatever the stand-in answered. */
export interface CapturedRequest {
  method: string;
  /** Path without the query string, still URL-encoded as sent. */
  path: string;
  /** Parsed JSON body, or undefined if the body was empty or not JSON (see rawBody). */
  body: unknown;
  rawBody: string;
  authorization?: string;
  /** The status the stand-in answered. */
  status: number;
  /** True if the answer came from failNext(). */
  injectedFailure: boolean;
}

export interface CreatedConversation {
  conversationId: string;
  parameters: ConversationParameters;
  authorization?: string;
}

export interface FailNextOptions {
  /** Adds a Retry-After header (seconds), as the real service does with 429. */
  retryAfterSeconds?: number;
  /** The error code in the body, as Teams sends it (e.g. ConversationNotFound, ConversationBlockedByUser). */
  code?: string;
}

export interface BotConnectorStandIn {
  /** http://127.0.0.1:PORT/ : put it on inbound activities (and in the token's serviceurl claim). */
  serviceUrl: string;
  port: number;
  /** Every request, in arrival order (including injected failures and unknown routes). */
  readonly requests: CapturedRequest[];
  /** Every activity accepted, in arrival order (failed calls are not in here). */
  readonly activities: CapturedActivity[];
  /** Every conversation created through POST /v3/conversations. */
  readonly conversations: CreatedConversation[];
  /** All activities the bot sent (a copy of `activities`). */
  sent(): CapturedActivity[];
  /**
   * Resolves with the first captured activity (already captured or arriving later) that matches;
   * rejects after timeoutMs with a message listing everything captured.
   */
  waitFor(predicate: (captured: CapturedActivity) => boolean, options?: { timeoutMs?: number }): Promise<CapturedActivity>;
  /**
   * The next activity that matches is captured as usual, and then `whileHeld` runs before the
   * stand-in answers: a test can kill the bot that sent it in there, so the Connector has accepted
   * the message and the bot never learns it. Each call holds one activity.
   */
  holdNext(predicate: (captured: CapturedActivity) => boolean, whileHeld: (captured: CapturedActivity) => Promise<void>): void;
  /** The next `times` requests (any route) are answered with `statusCode` instead of being handled. */
  failNext(statusCode: number, times?: number, options?: FailNextOptions): void;
  /** Forgets captured requests, activities, conversations, pending failures and holds. Ids keep counting up. */
  reset(): void;
  stop(): Promise<void>;
}

interface PendingHold {
  predicate: (captured: CapturedActivity) => boolean;
  whileHeld: (captured: CapturedActivity) => Promise<void>;
}

interface PendingFailure {
  statusCode: number;
  remaining: number;
  retryAfterSeconds?: number;
  code?: string;
}

// Connector REST routes (Bot Framework v3). Ids arrive URL-encoded: Teams ids contain ':' and ';'.
const CREATE_CONVERSATION = /^\/v3\/conversations\/?$/;
const CONVERSATION_ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities\/?$/;
const CONVERSATION_ACTIVITY = /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)\/?$/;

export async function startBotConnector(): Promise<BotConnectorStandIn> {
  const requests: CapturedRequest[] = [];
  const activities: CapturedActivity[] = [];
  const conversations: CreatedConversation[] = [];
  const failures: PendingFailure[] = [];
  const holds: PendingHold[] = [];
  const events = new EventEmitter();
  // Counters survive reset() so ids stay unique for the whole life of the stand-in.
  let conversationCounter = 0;
  let activityCounter = 0;
  const nextConversationId = () => `conv-${++conversationCounter}`;
  const nextActivityId = () => `activity-${++activityCounter}`;

  const capture = async (entry: CapturedActivity) => {
    activities.push(entry);
    events.emit('activity', entry);
    const held = holds.findIndex((hold) => hold.predicate(entry));
    if (held >= 0) await holds.splice(held, 1)[0]!.whileHeld(entry);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const authorization = req.headers.authorization;
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const record: CapturedRequest = { method, path, body, rawBody, authorization, status: 0, injectedFailure: false };
    requests.push(record);

    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };

    const failure = failures[0];
    if (failure) {
      if (--failure.remaining <= 0) failures.shift();
      record.injectedFailure = true;
      const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
      // The Connector's error body shape (ErrorResponse), so the SDK can parse it.
      return answer(
        failure.statusCode,
        { error: { code: failure.code ?? 'InjectedFailure', message: `Injected ${failure.statusCode} by the test connector` } },
        headers,
      );
    }

    const activity = (body ?? {}) as ActivityJson;
    let match: RegExpExecArray | null;

    if (method === 'POST' && CREATE_CONVERSATION.test(path)) {
      const parameters = (body ?? {}) as ConversationParameters;
      const conversationId = nextConversationId();
      const activityId = nextActivityId();
      conversations.push({ conversationId, parameters, authorization });
      if (parameters.activity) {
        await capture({
          operation: 'createConversation',
          conversationId,
          activityId,
          activity: parameters.activity as unknown as ActivityJson,
          authorization,
        });
      }
      return answer(201, { id: conversationId, activityId, serviceUrl: serviceUrlOf(port) });
    }

    if (method === 'POST' && (match = CONVERSATION_ACTIVITIES.exec(path))) {
      const activityId = nextActivityId();
      const conversationId = decodeURIComponent(match[1]);
      await capture({ operation: 'sendToConversation', conversationId, activityId, activity, authorization });
      return answer(200, { id: activityId });
    }

    if (method === 'POST' && (match = CONVERSATION_ACTIVITY.exec(path))) {
      const activityId = nextActivityId();
      await capture({
        operation: 'replyToActivity',
        conversationId: decodeURIComponent(match[1]),
        activityId,
        replyToId: decodeURIComponent(match[2]),
        activity,
        authorization,
      });
      return answer(200, { id: activityId });
    }

    if (method === 'PUT' && (match = CONVERSATION_ACTIVITY.exec(path))) {
      const activityId = decodeURIComponent(match[2]);
      const conversationId = decodeURIComponent(match[1]);
      await capture({ operation: 'updateActivity', conversationId, activityId, activity, authorization });
      return answer(200, { id: activityId });
    }

    if (method === 'DELETE' && CONVERSATION_ACTIVITY.test(path)) {
      // deleteActivity: recorded in `requests` only (it carries no activity).
      return answer(200, {});
    }

    return answer(404, {
      error: { code: 'NotFound', message: `The test connector does not handle ${method} ${path}` },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`test connector error: ${err.message}`);
    });
  });
  const port = await listenOnLoopback(server);

  const waitFor: BotConnectorStandIn['waitFor'] = (predicate, options = {}) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    const already = activities.find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const onActivity = (entry: CapturedActivity) => {
        if (!predicate(entry)) return;
        clearTimeout(timer);
        events.off('activity', onActivity);
        resolve(entry);
      };
      const timer = setTimeout(() => {
        events.off('activity', onActivity);
        const captured = describeCaptured(activities, requests);
        reject(new Error(`No matching activity reached the test connector within ${timeoutMs} ms.\n${captured}`));
      }, timeoutMs);
      events.on('activity', onActivity);
    });
  };

  return {
    serviceUrl: serviceUrlOf(port),
    port,
    requests,
    activities,
    conversations,
    sent: () => [...activities],
    waitFor,
    holdNext(predicate, whileHeld) {
      holds.push({ predicate, whileHeld });
    },
    failNext(statusCode, times = 1, options = {}) {
      if (times < 1) return;
      failures.push({ statusCode, remaining: times, retryAfterSeconds: options.retryAfterSeconds, code: options.code });
    },
    reset() {
      requests.length = 0;
      activities.length = 0;
      conversations.length = 0;
      failures.length = 0;
      holds.length = 0;
    },
    stop: () => closeServer(server),
  };
}

function serviceUrlOf(port: number): string {
  // Trailing slash as Teams sends it; the connector client joins 'v3/...' onto it.
  return `http://${LOOPBACK_HOST}:${port}/`;
}

function describeCaptured(activities: CapturedActivity[], requests: CapturedRequest[]): string {
  if (requests.length === 0) return 'Captured: nothing (no request reached the test connector).';
  const lines = activities.slice(0, MAX_LISTED_IN_ERROR).map((a, i) => {
    const { type, text } = a.activity;
    return `  ${i + 1}. ${a.operation} ${a.conversationId} type=${String(type)} text=${JSON.stringify(text)}`;
  });
  const others = requests
    .filter((r) => r.status < 200 || r.status >= 300)
    .slice(0, MAX_LISTED_IN_ERROR)
    .map((r) => `  - ${r.method} ${r.path} -> ${r.status}${r.injectedFailure ? ' (injected)' : ''}`);
  return [
    `Captured ${activities.length} activit${activities.length === 1 ? 'y' : 'ies'}:`,
    ...(lines.length ? lines : ['  (none)']),
    ...(others.length ? ['Requests not accepted:', ...others] : []),
  ].join('\n');
}
