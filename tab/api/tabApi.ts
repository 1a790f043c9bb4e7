import { userActor, type Actor } from '../../domain/actor';
import type { Logger } from '../../domain/logger';
import { Refusal } from '../../domain/refusal';
import { answerConfirmation } from '../../bot/cardActions/respondToRequest';
import { buildConfirmationCard, CardVerb, DECLINE_REASON_INPUT } from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import type { ComplaintRoute } from '../../cards/subjectNotices';
import type { PackageLifecycle } from '../../domain/export/packageLifecycle';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { RequestState } from '../../domain/requests/lifecycle';
import type { RequestStore } from '../../domain/requests/requestStore';
import { Decision, type RequestService } from '../../domain/requests/requestService';
import type { LocalSignIn } from './localSignIn';
import { requestView } from './requestViews';
import type { SignInCheck, SsoUser } from './ssoTokenValidator';

/** Every route of the tab's JSON API is under this path. */
export const TAB_API_PATH = '/api/tab';
/** The most rows one call of the request list returns. */
export const MAX_LIST_LIMIT = 200;
const DEFAULT_LIST_LIMIT = 50;
/** Local mode's sign-in routes, under TAB_API_PATH. */
export const LOCAL_PATH = '/local';
/** Where the page sends a card's Action.Execute: verb and data, as Teams would. */
export const CARD_ACTIONS_PATH = '/card-actions';
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;
const DOWNLOAD = /^\/requests\/[^/]+\/download$/;
const REFERENCE = /^[A-Za-z]{2,10}-\d{4}-\d{1,8}$/;

/** What the HTTP layer hands the API: nothing of restify's. */
export interface TabApiRequest {
  readonly method: string;
  /** The path under TAB_API_PATH, e.g. "/me" or "/requests/DSR-2026-0001". */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization?: string;
  /** The parsed JSON body of a POST, if any. */
  readonly body?: unknown;
  /** The Host header: local mode answers only requests addressed to this machine by name (no DNS rebinding). */
  readonly host?: string;
  /** True when the caller is on this machine (127.0.0.1 or ::1): local mode's sign-in answers no one else. */
  readonly fromLoopback: boolean;
}

export interface TabApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** A path the API does not serve (or does not serve to this caller): the same answer for every one. */
function nothingHere(): TabApiResponse {
  return failure(404, 'not_found', 'There is nothing at this address.');
}

function failure(status: number, code: string, message: string, headers?: Record<string, string>): TabApiResponse {
  return { status, body: { error: { code, message } } satisfies ErrorBody, ...(headers ? { headers } : {}) };
}

const SIGN_IN_AGAIN = 'Privacy Desk could not confirm who you are. Close and reopen the tab; if that does not help, sign out of Teams and in again.';

/** What the tab's API works with: the sign-in check, the same RequestService as the bot, and the log. */
export interface TabApiDeps {
  readonly sso: SignInCheck;
  readonly requests: RequestService;
  readonly logger: Logger;
  /** Local mode only: pick a demo person instead of Teams sign-in (tab/api/localSignIn.ts). */
  readonly local?: LocalSignIn;
  /** What answering the confirmation card needs, as the bot's card action has it (answerConfirmation). */
  readonly confirmation: { readonly store: RequestStore; readonly complaints?: ComplaintRoute };
  /** Download links for the recipient (PackageLifecycle); without it the page offers no Download button. */
  readonly lifecycle?: Pick<PackageLifecycle, 'workingLinkFor' | 'freshLinkForRecipient'>;
  /** Called after a change that queued work (an export, a message), so it starts now rather than at the next poll. */
  readonly afterChange?: () => void;
}

/**
 * The JSON API behind the Teams tab. Every call carries the Teams single sign-on token; the person it
 * names is the actor, and every answer goes through the same RequestService as the bot, so who may
 * see what is decided in one place. A subject sees only requests they are the subject of; anything
 * else is "not found", the same answer as for a reference that does not exist.
 */
export class TabApi {
  constructor(private readonly deps: TabApiDeps) {}

  async handle(request: TabApiRequest): Promise<TabApiResponse> {
    const segments = request.path.split('/').filter(Boolean);
    // One spelling per resource: "/requests//X/download/" is not "/requests/X/download", whose methods are checked below.
    if (request.path !== `/${segments.join('/')}`) return nothingHere();
    // A page on another site whose name was pointed at 127.0.0.1 would be same-origin with local mode's server.
    if (this.deps.local && !LOOPBACK_HOST.test(request.host ?? ''))
      return failure(403, 'not_this_host', 'Local mode answers only http://127.0.0.1 or http://localhost.');
    if (request.path.startsWith(LOCAL_PATH)) return this.localSignIn(request);
    const allowed = request.path === '/my-requests' ? ['GET', 'POST'] : request.path === CARD_ACTIONS_PATH || DOWNLOAD.test(request.path) ? ['POST'] : ['GET'];
    if (!allowed.includes(request.method)) return failure(405, 'method_not_allowed', 'That cannot be done here.', { Allow: allowed.join(', ') });
    const signedIn = await this.deps.sso.check(request.authorization);
    if (!signedIn.ok) {
      this.deps.logger.warn({ refusal: signedIn.refusal, path: request.path }, 'tab API call refused: sign-in');
      if (signedIn.refusal === 'keys_unavailable')
        return failure(503, 'sign_in_unavailable', 'Privacy Desk cannot check sign-ins right now. Try again in a minute.', { 'Retry-After': '60' });
      return failure(401, 'unauthorized', SIGN_IN_AGAIN, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${signedIn.refusal}"` });
    }
    return this.route(request, signedIn.user);
  }

  /**
   * GET /local/people lists the demo people; POST /local/sign-in?as=<objectId> answers a token for
   * one. Only in local mode, only from this machine: anywhere else these paths do not exist.
   */
  private async localSignIn(request: TabApiRequest): Promise<TabApiResponse> {
    const local = this.deps.local;
    if (!local || !request.fromLoopback) return nothingHere();
    if (request.path === `${LOCAL_PATH}/people` && request.method === 'GET') return { status: 200, body: { people: local.list() } };
    if (request.path === `${LOCAL_PATH}/sign-in` && request.method === 'POST') {
      const token = await local.signIn(request.query.get('as') ?? '');
      return token ? { status: 200, body: { token } } : failure(400, 'unknown_person', 'Pick one of the demo people.');
    }
    return nothingHere();
  }

  private async route(request: TabApiRequest, user: SsoUser): Promise<TabApiResponse> {
    const actor = userActor(user.objectId);
    const [first, second, ...rest] = request.path.split('/').filter(Boolean);
    if (first === 'me' && !second) return this.me(actor, user);
    if (request.path === CARD_ACTIONS_PATH) return this.cardAction(actor, request.body);
    if (first === 'my-requests' && !second)
      return request.method === 'POST' ? this.exportMyData(actor, request.query.get('law') ?? undefined) : this.myRequests(actor);
    if (first === 'requests' && !second) return this.allRequests(actor, request.query);
    if (first === 'requests' && second && rest.length === 0) return this.oneRequest(actor, decodeURIComponent(second));
    if (first === 'requests' && second && rest.length === 1 && rest[0] === 'download') return this.download(actor, decodeURIComponent(second));
    return nothingHere();
  }

  private async me(actor: Actor, user: SsoUser): Promise<TabApiResponse> {
    const isPrivacyAdmin = await this.deps.requests.isAdmin(actor);
    return { status: 200, body: { objectId: user.objectId, ...(user.name ? { name: user.name } : {}), isPrivacyAdmin } };
  }

  private async myRequests(actor: Actor): Promise<TabApiResponse> {
    const today = this.deps.requests.today();
    const [requests, exportMyData] = await Promise.all([this.deps.requests.ownRequests(actor), this.exportMyDataOffer(actor)]);
    // The subject's view even for an admin: this is the page about their own data.
    return { status: 200, body: { requests: requests.map((r) => requestView(r, today, false)), exportMyData } };
  }

  /** Whether "Export my data" can be asked now, and under which law it suggests (decision 0019), or why not. */
  private async exportMyDataOffer(actor: Actor): Promise<{ suggestedLaw: string } | { notNow: string }> {
    try {
      return { suggestedLaw: await this.deps.requests.selfServiceDefault(actor) };
    } catch (error) {
      if (error instanceof Refusal) return { notNow: error.sentence };
      throw error;
    }
  }

  /** "Export my data": the chat command's own path (RequestService.fileForSelf), so its rules and audit are one. */
  private async exportMyData(actor: Actor, law: string | undefined): Promise<TabApiResponse> {
    try {
      const filed = await this.deps.requests.fileForSelf(actor, law);
      this.deps.afterChange?.();
      return { status: 201, body: { request: requestView(filed, this.deps.requests.today(), false) } };
    } catch (error) {
      if (error instanceof Refusal) return failure(409, error.code, error.sentence);
      throw error;
    }
  }

  /**
   * A button on a card the tab shows (today the subject's confirmation card), as Teams would send it:
   * its verb and data. Answered by the bot's own handling of that verb, with the card that replaces it.
   */
  private async cardAction(actor: Actor, body: unknown): Promise<TabApiResponse> {
    const action = body as { verb?: unknown; data?: Record<string, unknown> } | undefined;
    const decision = action?.verb === CardVerb.Approve ? Decision.Approve : action?.verb === CardVerb.Decline ? Decision.Decline : undefined;
    const requestId = action?.data?.requestId;
    if (!decision || typeof requestId !== 'string') return failure(400, 'unknown_action', 'That button does nothing here.');
    const reason = action?.data?.[DECLINE_REASON_INPUT];
    const inputs: Record<string, string> = typeof reason === 'string' ? { [DECLINE_REASON_INPUT]: reason } : {};
    const card = await answerConfirmation({ requests: this.deps.requests, ...this.deps.confirmation }, actor, requestId, decision, inputs);
    this.deps.afterChange?.();
    return { status: 200, body: { card } };
  }

  private async allRequests(actor: Actor, query: URLSearchParams): Promise<TabApiResponse> {
    if (!(await this.deps.requests.isAdmin(actor)))
      return failure(403, 'forbidden', 'Only privacy admins can see every request. Your own are under "My data requests".');
    const limit = Number(query.get('limit') ?? DEFAULT_LIST_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
      return failure(400, 'bad_limit', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}.`);
    const today = this.deps.requests.today();
    const { requests } = await this.deps.requests.list(actor, limit);
    return { status: 200, body: { requests: requests.map((r) => requestView(r, today, true)) } };
  }

  private async oneRequest(actor: Actor, reference: string): Promise<TabApiResponse> {
    const found = await this.visibleInTab(actor, reference);
    if (!found)
      return failure(404, 'not_found', REFERENCE.test(reference) ? `I can't find a request ${reference} that you can see.` : "I can't find that request.");
    const { request, admin } = found;
    const [timeline, card, linkUntil] = await Promise.all([
      this.deps.requests.timelineOf(request),
      this.confirmationCardFor(actor, request),
      this.deps.lifecycle?.workingLinkFor(actor, request),
    ]);
    return {
      status: 200,
      body: {
        request: requestView(request, this.deps.requests.today(), admin),
        timeline,
        ...(card ? { card } : {}),
        ...(linkUntil ? { download: { until: linkUntil.toISOString() } } : {}),
      },
    };
  }

  /** A fresh link for the recipient while theirs still works, ending when it ends (PackageLifecycle.freshLinkForRecipient). */
  private async download(actor: Actor, reference: string): Promise<TabApiResponse> {
    const found = await this.visibleInTab(actor, reference);
    if (!found || !this.deps.lifecycle) return failure(404, 'not_found', "I can't find that request.");
    try {
      const link = await this.deps.lifecycle.freshLinkForRecipient(actor, found.request);
      return { status: 200, body: { url: link.url, expiresAt: link.expiresAt.toISOString() } };
    } catch (error) {
      if (error instanceof Refusal) return failure(409, error.code, error.sentence);
      throw error;
    }
  }

  /** The card the bot sent the subject to confirm, while their answer is awaited: the same card, so the same buttons. */
  private async confirmationCardFor(actor: Actor, request: ExportRequest): Promise<AdaptiveCard | undefined> {
    if (request.state !== RequestState.AwaitingConfirmation || request.selfService || request.subject.objectId.toLowerCase() !== actor.objectId)
      return undefined;
    return buildConfirmationCard(request, await this.deps.requests.requesterNameOf(request), this.deps.requests.today());
  }

  /**
   * A request as the tab may show it, and whether the reader is a privacy admin: the bot's own rule
   * (RequestService.status), and in the tab someone who is not an admin sees only requests about
   * themselves, even one they filed. Undefined where either refuses; whatever else fails is an error.
   */
  private async visibleInTab(actor: Actor, reference: string): Promise<{ request: ExportRequest; admin: boolean } | undefined> {
    if (!REFERENCE.test(reference)) return undefined;
    const [request, admin] = await Promise.all([
      this.deps.requests.status(actor, reference).catch((error: unknown) => {
        if (error instanceof Refusal) return undefined;
        throw error;
      }),
      this.deps.requests.isAdmin(actor),
    ]);
    if (!request || (!admin && request.subject.objectId.toLowerCase() !== actor.objectId)) return undefined;
    return { request, admin };
  }
}
