// A local stand-in for the Bot Framework channel's token issuer: an OpenID metadata document and a JWKS
// served over loopback, plus a signer for the JWTs Teams would put in the Authorization header. Pointing
// botbuilder's ToBotFromChannelOpenIdMetadataUrl here lets tests run the REAL token validation offline.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type GenerateKeyPairResult, type JWK, type JWTPayload } from 'jose';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from './loopback';

/** The issuer Bot Framework puts on channel tokens (botframework-connector's ToBotFromChannelTokenIssuer). */
export const DEFAULT_CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';
/** The kid of the key published in the JWKS and used to sign valid tokens. */
export const SIGNING_KEY_ID = 'test-key-1';
/** A second published key, endorsed for no real channel: tokens signed with it fail the endorsement check. */
export const UNENDORSED_KEY_ID = 'test-key-unendorsed';
/**
 * Endorsements of the unendorsed key. It must not be empty: botframework-connector only checks
 * endorsements when a key has some, so a key with `[]` (or none) passes for every channel.
 */
export const UNENDORSED_KEY_ENDORSEMENTS = ['not-a-real-channel'];
/** Teams' channel id: the published signing key is endorsed for it unless the issuer is configured otherwise. */
export const DEFAULT_ENDORSEMENTS = ['msteams'];
/** Real channel tokens live about an hour. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60 * 60;
/** botframework-connector accepts tokens up to 5 minutes past exp (clockTolerance 300 s). */
export const LIBRARY_CLOCK_TOLERANCE_SECONDS = 5 * 60;
/** Pass as expiresInSeconds for a token that is expired even after the library's clock tolerance. */
export const EXPIRED_TOKEN_EXPIRES_IN_SECONDS = -(LIBRARY_CLOCK_TOLERANCE_SECONDS + 60 * 60);
/** The caller id botbuilder stamps on activities authenticated from the public Azure channel. */
export const PUBLIC_AZURE_CALLER_ID = 'urn:botframework:azure';
/** The audience of the bot's own outbound tokens in the public cloud. */
export const TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = 'https://api.botframework.com';
/** A valid GUID: the Playground's tenant id is not one (see STACK-NOTES). */
export const TEST_TENANT_ID = '6e5c5f0a-4d8e-4f53-9a57-7b1b7a1f0d11';

const SIGNING_ALGORITHM = 'RS256';
/** iat/nbf of an already-expired token are set this far before its exp, so the token is consistent. */
const EXPIRED_TOKEN_ISSUED_BEFORE_EXP_SECONDS = 60 * 60;

export interface ChannelTokenIssuerOptions {
  /** The bot's app id: the `aud` of the tokens. */
  appId: string;
  /** The `iss` of the tokens and of the metadata (default DEFAULT_CHANNEL_TOKEN_ISSUER). */
  issuer?: string;
  /** Endorsements of the published signing key (default ['msteams']). `[]` disables the library's check. */
  endorsements?: string[];
}

/**
 * Claims of a channel token. `serviceUrl` becomes the `serviceurl` claim and must equal the activity's
 * serviceUrl. Any other key overrides or adds a claim (`aud`, `iss`, `exp`...); a key set to `undefined`
 * removes that claim from the token.
 */
export type ChannelTokenClaims = { serviceUrl: string } & Record<string, unknown>;

export interface SignOptions {
  /** exp = now + this (default one hour). Use EXPIRED_TOKEN_EXPIRES_IN_SECONDS for an expired token. */
  expiresInSeconds?: number;
  /** The kid put in the header (default SIGNING_KEY_ID; an unpublished kid gives "unknown kid"). */
  kid?: string;
  /**
   * Sign with `otherKey`, a key pair that is NOT published, while the header still names the kid:
   * "right kid, wrong signature".
   */
  signWithOtherKey?: boolean;
  /**
   * Sign with the published key whose endorsements do not include the channel
   * (header kid UNENDORSED_KEY_ID unless `kid` is given).
   */
  omitEndorsement?: boolean;
}

export interface ChannelTokenIssuer {
  /** Put in ToBotFromChannelOpenIdMetadataUrl. Unique per issuer: botbuilder caches metadata per URL for 24 h. */
  openIdMetadataUrl: string;
  jwksUri: string;
  /** Put in ToBotFromChannelTokenIssuer. */
  issuer: string;
  appId: string;
  /**
   * http://127.0.0.1:PORT/<unique prefix>. The other URLs botbuilder is given (login, OAuth) point under it,
   * so a stray call to them shows up in `requests`.
   */
  baseUrl: string;
  /** Endorsements published on the signing key. */
  endorsements: string[];
  /** Paths requested from this server, in order (metadata and JWKS fetches, and anything unexpected). */
  readonly requests: string[];
  sign(claims: ChannelTokenClaims, options?: SignOptions): Promise<string>;
  /** `Bearer <sign(...)>`, ready for an Authorization header. */
  authorization(claims: ChannelTokenClaims, options?: SignOptions): Promise<string>;
  stop(): Promise<void>;
}

async function publishedJwk(keyPair: GenerateKeyPairResult, kid: string, endorsements: string[]): Promise<JWK & { endorsements: string[] }> {
  // botframework-connector reads kid, n and e (RSA only) and the non-standard `endorsements` list.
  return { ...(await exportJWK(keyPair.publicKey)), kid, use: 'sig', alg: SIGNING_ALGORITHM, endorsements };
}

export async function startChannelTokenIssuer(options: ChannelTokenIssuerOptions): Promise<ChannelTokenIssuer> {
  const issuer = options.issuer ?? DEFAULT_CHANNEL_TOKEN_ISSUER;
  const endorsements = options.endorsements ?? DEFAULT_ENDORSEMENTS;
  // Fresh keys per issuer: nothing signed for one test setup verifies against another.
  const [signingKey, otherKey, unendorsedKey] = await Promise.all([
    generateKeyPair(SIGNING_ALGORITHM),
    generateKeyPair(SIGNING_ALGORITHM),
    generateKeyPair(SIGNING_ALGORITHM),
  ]);
  const jwks = {
    keys: [await publishedJwk(signingKey, SIGNING_KEY_ID, endorsements), await publishedJwk(unendorsedKey, UNENDORSED_KEY_ID, UNENDORSED_KEY_ENDORSEMENTS)],
  };

  // A random path prefix makes the metadata URL unique even if a later issuer gets a port number back:
  // botbuilder's metadata cache is static per URL, and stale keys there would fail tests confusingly.
  const prefix = `/${randomUUID()}`;
  const metadataPath = `${prefix}/v1/.well-known/openidconfiguration`;
  const jwksPath = `${prefix}/v1/.well-known/keys`;
  const requests: string[] = [];
  let metadata: Record<string, unknown> = {};

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push(path);
    const body = path === metadataPath ? metadata : path === jwksPath ? jwks : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`The test token issuer does not serve ${req.method} ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  });
  const port = await listenOnLoopback(server);
  const baseUrl = `http://${LOOPBACK_HOST}:${port}${prefix}`;
  const openIdMetadataUrl = `http://${LOOPBACK_HOST}:${port}${metadataPath}`;
  const jwksUri = `http://${LOOPBACK_HOST}:${port}${jwksPath}`;
  // Shaped like https://login.botframework.com/v1/.well-known/openidconfiguration.
  metadata = {
    issuer,
    authorization_endpoint: `${baseUrl}/authorize-not-used`,
    jwks_uri: jwksUri,
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
  };

  const sign = async (claims: ChannelTokenClaims, signOptions: SignOptions = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (signOptions.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
    const iat = exp > now ? now : exp - EXPIRED_TOKEN_ISSUED_BEFORE_EXP_SECONDS;
    const { serviceUrl, ...overrides } = claims;
    const payload: Record<string, unknown> = {
      iss: issuer,
      aud: options.appId,
      serviceurl: serviceUrl,
      iat,
      nbf: iat,
      exp,
      ...overrides,
    };
    // An override set to undefined removes the claim (JSON would drop it anyway; be explicit).
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];

    // signWithOtherKey wins: the point is a signature that matches no published key.
    const unendorsed = signOptions.omitEndorsement && !signOptions.signWithOtherKey;
    const keyPair = signOptions.signWithOtherKey ? otherKey : unendorsed ? unendorsedKey : signingKey;
    const kid = signOptions.kid ?? (unendorsed ? UNENDORSED_KEY_ID : SIGNING_KEY_ID);
    return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'JWT', kid }).sign(keyPair.privateKey);
  };

  return {
    openIdMetadataUrl,
    jwksUri,
    issuer,
    appId: options.appId,
    baseUrl,
    endorsements,
    requests,
    sign,
    authorization: async (claims, signOptions) => `Bearer ${await sign(claims, signOptions)}`,
    stop: () => closeServer(server),
  };
}

/**
 * The settings for botbuilder's ConfigurationBotFrameworkAuthentication that validate channel tokens
 * against `issuer`. Setting any one "parameterized" key (login URL, scope, token issuer, OAuth URL,
 * metadata URLs, caller id) makes botbuilder use ONLY the given values and no built-in defaults, so all
 * are set; every URL points at loopback so nothing can reach the internet.
 *
 * MicrosoftAppType: botbuilder 4.23 accepts 'MultiTenant' (its default), 'SingleTenant' and
 * 'UserAssignedMsi', case-insensitively; SingleTenant also needs MicrosoftAppTenantId and a password.
 * App type, tenant and password are read only by botbuilder's own credential factory, i.e. when the
 * tests forget to pass testCredentialsFactory().
 */
export function botFrameworkAuthConfig(
  appId: string,
  issuer: Pick<ChannelTokenIssuer, 'openIdMetadataUrl' | 'issuer' | 'baseUrl'>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: 'test-password-not-a-secret',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TEST_TENANT_ID,
    ToBotFromChannelOpenIdMetadataUrl: issuer.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: issuer.issuer,
    // Emulator-style tokens are validated against this one: keep it local too.
    ToBotFromEmulatorOpenIdMetadataUrl: issuer.openIdMetadataUrl,
    ToChannelFromBotLoginUrl: `${issuer.baseUrl}/login-not-used`,
    ToChannelFromBotOAuthScope: TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
    OAuthUrl: `${issuer.baseUrl}/oauth-not-used`,
    CallerId: PUBLIC_AZURE_CALLER_ID,
    ValidateAuthority: 'true',
    ...overrides,
  };
}
