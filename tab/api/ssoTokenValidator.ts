import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../../domain/clock';

/**
 * What a Teams tab's single sign-on token must be, for this deployment. Teams asks Entra for an access
 * token to the app's `webApplicationInfo.resource`; with the Entra app's default
 * `accessTokenAcceptedVersion` (v1, the one Privacy Desk documents) its issuer is
 * `https://sts.windows.net/<tenant>/` and its audience that resource, `api://<host>/<app id>`.
 */
export interface SsoSettings {
  /** The one tenant whose people may use the tab (MicrosoftAppTenantId). */
  readonly tenantId: string;
  /** `api://<BOT_PUBLIC_HOSTNAME>/<MicrosoftAppId>`: the resource in the app package. */
  readonly audience: string;
  readonly issuer: string;
  /** The tenant's signing keys. */
  readonly jwksUrl: string;
}

/** Entra's v1 endpoints for a tenant (docs/production.md, "The tab's sign-in"). */
export function entraSsoSettings(tenantId: string, audience: string): SsoSettings {
  return {
    tenantId,
    audience,
    issuer: `https://sts.windows.net/${tenantId}/`,
    jwksUrl: `https://login.microsoftonline.com/${tenantId}/discovery/keys`,
  };
}

/** The delegated permission the tab's token must carry: the scope the Entra app exposes (docs/production.md). */
export const TAB_SCOPE = 'access_as_user';
/**
 * The apps that may ask Entra for the tab's token on a person's behalf: the Teams clients the Entra
 * app pre-authorizes (docs/production.md (a), step 4). Any other app a person consented to is refused.
 */
export const TEAMS_CLIENT_APP_IDS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams on the web
];

/** Entra and the person's device clocks drift; five minutes is what botbuilder allows for channel tokens too. */
const CLOCK_TOLERANCE_SECONDS = 5 * 60;
/** Entra signs with RS256 only; anything else (none, HMAC with the public key as secret) is refused. */
const ALGORITHMS = ['RS256'];
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who signed in: the person's Entra objectId, and a display name when the token has one. */
export interface SsoUser {
  readonly objectId: string;
  readonly name?: string;
}

/**
 * Why a token was refused, as a word for the log and the 401's body: never the token, never a claim's
 * value. `keys_unavailable` is the one that is not the caller's fault (answered 503).
 */
export type SsoRefusal =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_tenant'
  | 'missing_scope'
  | 'wrong_client'
  | 'not_a_person'
  | 'keys_unavailable';

export type SsoCheck = { readonly ok: true; readonly user: SsoUser } | { readonly ok: false; readonly refusal: SsoRefusal };

/** Who is calling the tab's API, from the Authorization header: Teams SSO in production, LocalSignIn in local mode. */
export interface SignInCheck {
  check(authorization: string | undefined): Promise<SsoCheck>;
}

/**
 * Checks the `Authorization: Bearer …` a tab sends with every API call, with jose: RS256 signature by
 * a key the tenant publishes (fetched and cached by jose, fetched again for an unknown key id), issuer,
 * audience, expiry and not-before, the tenant, the tab's scope, and that it names a person (an app-only
 * token has no `scp` and its `oid` is a service principal's).
 */
export class SsoTokenValidator implements SignInCheck {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly settings: SsoSettings,
    private readonly clock: Clock,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ?? createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 5 * 60_000, cacheMaxAge: 24 * 60 * 60_000 });
  }

  async check(authorization: string | undefined): Promise<SsoCheck> {
    if (!authorization) return refused('missing');
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return refused('malformed');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ALGORITHMS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      return refused(refusalFor(error));
    }
    if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== this.settings.tenantId.toLowerCase()) return refused('wrong_tenant');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(TAB_SCOPE)) return refused('missing_scope');
    // v1 tokens name the client in appid (v2 in azp).
    const client = typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : '';
    if (!TEAMS_CLIENT_APP_IDS.includes(client.toLowerCase())) return refused('wrong_client');
    if (typeof payload.oid !== 'string' || !OBJECT_ID.test(payload.oid)) return refused('not_a_person');
    const name = typeof payload.name === 'string' && payload.name ? payload.name : undefined;
    return { ok: true, user: { objectId: payload.oid.toLowerCase(), ...(name ? { name } : {}) } };
  }
}

function refused(refusal: SsoRefusal): SsoCheck {
  return { ok: false, refusal };
}

function refusalFor(error: unknown): SsoRefusal {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSEAlgNotAllowed)
    return 'bad_signature';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'keys_unavailable';
  // jose raises its base class itself when the key set answers with an error status or not JSON.
  if (error instanceof errors.JOSEError && error.constructor === errors.JOSEError) return 'keys_unavailable';
  // A key set that cannot be fetched surfaces as a plain Error from fetch; a token that is not JSON as JWTInvalid / JWSInvalid.
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid || error instanceof errors.JOSEError) return 'malformed';
  return 'keys_unavailable';
}
