import { errors, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';

/**
 * Why a channel token was refused. Logged as is: a code, never the token, a key or a stack.
 * `KeySetUnavailable` is ours, not the sender's: the key set could not be fetched.
 */
export const TokenRefusal = {
  Missing: 'missing',
  Malformed: 'malformed',
  UnknownKey: 'unknown_key',
  BadSignature: 'bad_signature',
  NoExpiry: 'no_expiry',
  Expired: 'expired',
  NotYetValid: 'not_yet_valid',
  WrongAudience: 'wrong_audience',
  WrongIssuer: 'wrong_issuer',
  ServiceUrlMismatch: 'service_url_mismatch',
  NotEndorsed: 'not_endorsed',
  KeySetUnavailable: 'key_set_unavailable',
} as const;
export type TokenRefusal = (typeof TokenRefusal)[keyof typeof TokenRefusal];

export class TokenRefused extends Error {
  constructor(readonly reason: TokenRefusal) {
    super(`channel token refused: ${reason}`);
    this.name = 'TokenRefused';
  }
}

/** The Bot Framework's public defaults (botframework-connector's AuthenticationConstants). */
export const BOT_FRAMEWORK_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const BOT_FRAMEWORK_TOKEN_ISSUER = 'https://api.botframework.com';

/** botframework-connector's own tolerance; a stricter one would refuse tokens Teams considers fresh. */
const CLOCK_TOLERANCE_SECONDS = 5 * 60;
/** The algorithms botframework-connector accepts for channel tokens. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** Microsoft rotates keys rarely and publishes new ones ahead of use; a day matches botbuilder's cache. */
const KEY_SET_MAX_AGE_MS = 24 * 3600_000;
/** An unknown kid may mean a rotation: look again, but not more often than this (a flood of forged kids must not become a flood of fetches). */
const UNKNOWN_KEY_REFETCH_MS = 5 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;
/**
 * Tokens whose signature was verified, kept so the same token is not verified again on every
 * activity: a channel signs one token and sends it with everything for up to an hour, and an RSA
 * verification was the larger part of this check's CPU per turn (bench/README.md, "Where a turn's
 * time goes"). Only tokens that passed are kept, so forged ones cannot fill it; the bound covers
 * many channels' tokens at once, and the oldest goes first.
 */
const MAX_VERIFIED_TOKENS = 256;
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

interface PublishedKey {
  readonly jwk: JWK;
  /** Imported on first use, per algorithm (a Web Crypto key is bound to one). */
  readonly imported: Map<string, Promise<CryptoKey | Uint8Array>>;
  /** Channels the key may sign for (Bot Framework's non-standard JWKS field); empty = any. */
  readonly endorsements: readonly string[];
}

/** A token that passed: what was checked once and for all (signature, issuer, audience, algorithm, claims present). */
interface VerifiedToken {
  readonly kid: string;
  /** The key it was verified with; a refreshed key set has new ones, so the token is verified again. */
  readonly key: PublishedKey;
  readonly payload: JWTPayload;
}

export interface ChannelTokenValidatorOptions {
  readonly appId: string;
  readonly openIdMetadataUrl: string;
  readonly issuer: string;
  readonly now?: () => number;
}

/**
 * Validates the Bot Framework channel token on an inbound activity before botbuilder sees it.
 * botbuilder accepts a token without `exp` (jsonwebtoken only checks it when present) and, when a
 * signature or claim fails, prints the error and the published keys to stderr. This check is
 * stricter — `exp` is required, `nbf` honoured, both within the same tolerance — and says why in one
 * code. botbuilder validates again afterwards (it needs its own result to run the turn), so nothing
 * it would refuse gets through.
 */
export class ChannelTokenValidator {
  private keys = new Map<string, PublishedKey>();
  private fetchedAt = 0;
  private fetching?: Promise<void>;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly options: ChannelTokenValidatorOptions) {}

  async validate(authorization: string | undefined, activity: { readonly channelId: string; readonly serviceUrl: string }): Promise<JWTPayload> {
    const token = BEARER.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new TokenRefused(authorization ? TokenRefusal.Malformed : TokenRefusal.Missing);
    const { payload, key } = (await this.alreadyVerified(token)) ?? (await this.verify(token));
    if (payload.serviceurl !== activity.serviceUrl) throw new TokenRefused(TokenRefusal.ServiceUrlMismatch);
    if (key.endorsements.length > 0 && !key.endorsements.includes(activity.channelId)) throw new TokenRefused(TokenRefusal.NotEndorsed);
    return payload;
  }

  /**
   * A token verified before, if its key is still the published one, checked again for what changes
   * with time, in jose's order and with its arithmetic: the key first (a refresh may be due), then
   * `nbf` and `exp` against the clock now.
   */
  private async alreadyVerified(token: string): Promise<VerifiedToken | undefined> {
    const known = this.verified.get(token);
    if (!known) return undefined;
    if ((await this.keyFor(known.kid)) !== known.key) {
      this.verified.delete(token);
      return undefined;
    }
    const now = Math.floor(this.now() / 1000);
    const { nbf, exp } = known.payload;
    if (nbf !== undefined && nbf > now + CLOCK_TOLERANCE_SECONDS) throw new TokenRefused(TokenRefusal.NotYetValid);
    if (exp !== undefined && exp <= now - CLOCK_TOLERANCE_SECONDS) {
      this.verified.delete(token);
      throw new TokenRefused(TokenRefusal.Expired);
    }
    return known;
  }

  private async verify(token: string): Promise<VerifiedToken> {
    let published: PublishedKey | undefined;
    let kid = '';
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          published = await this.keyFor(header.kid);
          kid = header.kid!;
          const alg = header.alg;
          if (!ALGORITHMS.includes(alg)) throw new TokenRefused(TokenRefusal.Malformed);
          let key = published.imported.get(alg);
          if (!key) published.imported.set(alg, (key = importJWK({ ...published.jwk, alg }) as Promise<CryptoKey | Uint8Array>));
          return key;
        },
        {
          issuer: this.options.issuer,
          audience: this.options.appId,
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp'],
          ...(this.options.now ? { currentDate: new Date(this.options.now()) } : {}),
        },
      ));
    } catch (error) {
      throw error instanceof TokenRefused ? error : new TokenRefused(refusalOf(error));
    }
    const verified: VerifiedToken = { kid, key: published!, payload: Object.freeze(payload) };
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
    return verified;
  }

  private async keyFor(kid: string | undefined): Promise<PublishedKey> {
    if (!kid) throw new TokenRefused(TokenRefusal.UnknownKey);
    const age = this.now() - this.fetchedAt;
    if (age > KEY_SET_MAX_AGE_MS || (!this.keys.has(kid) && age > UNKNOWN_KEY_REFETCH_MS)) await this.refresh();
    const key = this.keys.get(kid);
    if (!key) throw new TokenRefused(TokenRefusal.UnknownKey);
    return key;
  }

  /** One fetch at a time, shared by every request waiting on it. */
  private refresh(): Promise<void> {
    this.fetching ??= this.fetchKeys().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const metadata = (await fetchJson(this.options.openIdMetadataUrl)) as { jwks_uri?: unknown };
      if (typeof metadata.jwks_uri !== 'string') throw new Error('no jwks_uri');
      const jwks = (await fetchJson(metadata.jwks_uri)) as { keys?: unknown };
      if (!Array.isArray(jwks.keys)) throw new Error('no keys');
      const keys = new Map<string, PublishedKey>();
      for (const jwk of jwks.keys as Array<JWK & { endorsements?: unknown }>) {
        if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
        const endorsements = Array.isArray(jwk.endorsements) ? jwk.endorsements.filter((e): e is string => typeof e === 'string') : [];
        const { endorsements: _ignored, alg: _anyAllowed, ...standard } = jwk;
        keys.set(jwk.kid, { jwk: standard, imported: new Map(), endorsements });
      }
      this.keys = keys;
      this.fetchedAt = this.now();
    } catch (error) {
      // Keep the keys we have: a failed refresh must not turn into refusing everyone.
      if (this.keys.size > 0) {
        this.fetchedAt = this.now();
        return;
      }
      throw new TokenRefused(error instanceof TokenRefused ? error.reason : TokenRefusal.KeySetUnavailable);
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function refusalOf(error: unknown): TokenRefusal {
  if (error instanceof errors.JWTExpired) return TokenRefusal.Expired;
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'exp') return TokenRefusal.NoExpiry;
    if (error.claim === 'nbf') return TokenRefusal.NotYetValid;
    if (error.claim === 'aud') return TokenRefusal.WrongAudience;
    if (error.claim === 'iss') return TokenRefusal.WrongIssuer;
    return TokenRefusal.Malformed;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return TokenRefusal.BadSignature;
  return TokenRefusal.Malformed;
}
