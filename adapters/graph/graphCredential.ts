/**
 * How Privacy Desk signs in to Microsoft Graph: its own Entra app identity (client secret or
 * certificate) or the managed identity of the Azure resource it runs on. Settings come from the
 * environment (GRAPH_*), are validated here, and a bad one yields a sentence naming it.
 *
 * Graph is called with application permissions (no user is signed in); the permissions each adapter
 * needs are listed in its file. Keep this identity separate from the bot's (MicrosoftAppId) so each
 * holds only what it needs.
 */
import { existsSync } from 'node:fs';
import {
  AzureAuthorityHosts,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { z } from 'zod';
import { GraphCredentialError } from './graphErrors';
import { isGuid } from './odata';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const DEFAULT_AUTHORITY_HOST = AzureAuthorityHosts.AzurePublicCloud;

/** Microsoft's own sign-in hosts; MSAL's instance discovery knows them. Any other host (a test fake) skips discovery. */
const MICROSOFT_AUTHORITY_HOSTS: ReadonlySet<string> = new Set(Object.values(AzureAuthorityHosts).map((url) => new URL(url).host));

export type GraphCredentialConfig =
  | { readonly kind: 'clientSecret'; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string; readonly authorityHost: string }
  | { readonly kind: 'certificate'; readonly tenantId: string; readonly clientId: string; readonly certificatePath: string; readonly authorityHost: string }
  /** System-assigned when clientId is absent, else the user-assigned identity with that client id. */
  | { readonly kind: 'managedIdentity'; readonly clientId?: string };

/** Everything needed to reach Graph. Holds a secret: never log it. */
export interface GraphConnectionConfig {
  readonly credential: GraphCredentialConfig;
  /** Graph's origin, without a version (https://graph.microsoft.com, a national cloud, or a test fake). */
  readonly baseUrl: string;
}

/** The environment settings this file reads. */
export const GRAPH_CONNECTION_SETTINGS = [
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CERTIFICATE_PATH',
  'GRAPH_USE_MANAGED_IDENTITY',
  'GRAPH_MANAGED_IDENTITY_CLIENT_ID',
  'GRAPH_BASE_URL',
  'GRAPH_AUTHORITY_HOST',
] as const;

/** A tenant is named by its id or by one of its verified domains (contoso.onmicrosoft.com). */
const DOMAIN_NAME = /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** Unset and empty are the same thing in an .env file. */
export const setting = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/**
 * The zod schema for the GRAPH_* connection settings. Issues carry the setting as their path and a
 * message that reads after it ("GRAPH_CLIENT_ID must be …"); parseGraphConnectionSettings joins them.
 */
export const graphConnectionEnvSchema = z
  .object({
    GRAPH_TENANT_ID: setting,
    GRAPH_CLIENT_ID: setting,
    GRAPH_CLIENT_SECRET: setting,
    GRAPH_CERTIFICATE_PATH: setting,
    GRAPH_USE_MANAGED_IDENTITY: setting,
    GRAPH_MANAGED_IDENTITY_CLIENT_ID: setting,
    GRAPH_BASE_URL: setting,
    GRAPH_AUTHORITY_HOST: setting,
  })
  .superRefine((env, ctx) => {
    const problem = (key: (typeof GRAPH_CONNECTION_SETTINGS)[number], message: string) => ctx.addIssue({ code: 'custom', path: [key], message });

    const managedWord = env.GRAPH_USE_MANAGED_IDENTITY?.toLowerCase();
    if (managedWord !== undefined && !TRUE_WORDS.includes(managedWord) && !FALSE_WORDS.includes(managedWord)) {
      problem('GRAPH_USE_MANAGED_IDENTITY', 'must be true or false.');
    }
    const managed = managedWord !== undefined && TRUE_WORDS.includes(managedWord);
    const chosen = [
      env.GRAPH_CLIENT_SECRET && 'GRAPH_CLIENT_SECRET',
      env.GRAPH_CERTIFICATE_PATH && 'GRAPH_CERTIFICATE_PATH',
      managed && 'GRAPH_USE_MANAGED_IDENTITY=true',
    ].filter(Boolean);
    if (chosen.length === 0) {
      problem(
        'GRAPH_CLIENT_SECRET',
        'is missing: Graph needs one way to sign in — set GRAPH_CLIENT_SECRET, GRAPH_CERTIFICATE_PATH or GRAPH_USE_MANAGED_IDENTITY=true.',
      );
    } else if (chosen.length > 1) {
      problem(
        env.GRAPH_CLIENT_SECRET ? 'GRAPH_CLIENT_SECRET' : 'GRAPH_CERTIFICATE_PATH',
        `conflicts with ${chosen.slice(1).join(' and ')}: set exactly one way for Graph to sign in.`,
      );
    }

    if (managed) {
      // An app registration's client id beside managed identity is almost always a mix-up; silently
      // using the system-assigned identity instead would fail later with a far less helpful message.
      if (env.GRAPH_CLIENT_ID && !env.GRAPH_MANAGED_IDENTITY_CLIENT_ID) {
        problem(
          'GRAPH_CLIENT_ID',
          'is for an app registration’s secret or certificate; with GRAPH_USE_MANAGED_IDENTITY=true set GRAPH_MANAGED_IDENTITY_CLIENT_ID to pick a user-assigned identity, or neither for the system-assigned one.',
        );
      }
    } else {
      if (!env.GRAPH_TENANT_ID) problem('GRAPH_TENANT_ID', 'is required: the directory (tenant) id of your organisation, a GUID.');
      if (!env.GRAPH_CLIENT_ID) problem('GRAPH_CLIENT_ID', 'is required: the Application (client) ID of Privacy Desk’s Graph app registration, a GUID.');
      if (env.GRAPH_MANAGED_IDENTITY_CLIENT_ID) problem('GRAPH_MANAGED_IDENTITY_CLIENT_ID', 'is only used with GRAPH_USE_MANAGED_IDENTITY=true.');
    }
    if (env.GRAPH_TENANT_ID && !isGuid(env.GRAPH_TENANT_ID) && !DOMAIN_NAME.test(env.GRAPH_TENANT_ID)) {
      problem('GRAPH_TENANT_ID', 'must be the directory (tenant) id, a GUID, or one of the tenant’s domain names.');
    }
    if (env.GRAPH_CLIENT_ID && !isGuid(env.GRAPH_CLIENT_ID)) problem('GRAPH_CLIENT_ID', 'must be a GUID (the app registration’s Application (client) ID).');
    if (env.GRAPH_MANAGED_IDENTITY_CLIENT_ID && !isGuid(env.GRAPH_MANAGED_IDENTITY_CLIENT_ID)) {
      problem('GRAPH_MANAGED_IDENTITY_CLIENT_ID', 'must be a GUID (the client id of the user-assigned managed identity).');
    }
    if (env.GRAPH_CERTIFICATE_PATH && !existsSync(env.GRAPH_CERTIFICATE_PATH)) {
      problem('GRAPH_CERTIFICATE_PATH', `names no file (${env.GRAPH_CERTIFICATE_PATH}); it must be a PEM file holding the certificate and its private key.`);
    }
    for (const key of ['GRAPH_BASE_URL', 'GRAPH_AUTHORITY_HOST'] as const) {
      const value = env[key];
      if (value !== undefined) {
        const reason = originProblem(value);
        if (reason) problem(key, reason);
      }
    }
  })
  .transform((env): GraphConnectionConfig => {
    const baseUrl = trimSlash(env.GRAPH_BASE_URL ?? DEFAULT_GRAPH_BASE_URL);
    const authorityHost = trimSlash(env.GRAPH_AUTHORITY_HOST ?? DEFAULT_AUTHORITY_HOST);
    const managed = TRUE_WORDS.includes(env.GRAPH_USE_MANAGED_IDENTITY?.toLowerCase() ?? '');
    // After superRefine the required values are present; `!` only restates that.
    const credential: GraphCredentialConfig = managed
      ? { kind: 'managedIdentity', ...(env.GRAPH_MANAGED_IDENTITY_CLIENT_ID ? { clientId: env.GRAPH_MANAGED_IDENTITY_CLIENT_ID } : {}) }
      : env.GRAPH_CLIENT_SECRET
        ? { kind: 'clientSecret', tenantId: env.GRAPH_TENANT_ID!, clientId: env.GRAPH_CLIENT_ID!, clientSecret: env.GRAPH_CLIENT_SECRET, authorityHost }
        : { kind: 'certificate', tenantId: env.GRAPH_TENANT_ID!, clientId: env.GRAPH_CLIENT_ID!, certificatePath: env.GRAPH_CERTIFICATE_PATH!, authorityHost };
    return { credential, baseUrl };
  });

/** A configuration problem, listed as one sentence per setting. */
export class GraphConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Microsoft Graph is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'GraphConfigError';
  }
}

/** Turns zod issues from the GRAPH_* schemas into sentences that start with the setting's name. */
export function graphIssueSentences(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.map(String).join('.') || 'Graph settings'} ${issue.message}`);
}

/** Validates the GRAPH_* connection settings; throws GraphConfigError naming each bad one. */
export function parseGraphConnectionSettings(env: NodeJS.ProcessEnv): GraphConnectionConfig {
  const parsed = graphConnectionEnvSchema.safeParse(env);
  if (!parsed.success) throw new GraphConfigError(graphIssueSentences(parsed.error.issues));
  return parsed.data;
}

/**
 * The TokenCredential for a configuration. Its failures come out as GraphCredentialError with a
 * sentence naming the setting to check, instead of MSAL's "invalid_client: Error(s): 7000215 - …".
 */
export function createGraphCredential(config: GraphCredentialConfig): TokenCredential {
  switch (config.kind) {
    case 'clientSecret':
      return new ExplainedCredential(
        new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, authorityOptions(config.authorityHost)),
        config,
      );
    case 'certificate':
      return new ExplainedCredential(
        new ClientCertificateCredential(config.tenantId, config.clientId, { certificatePath: config.certificatePath }, authorityOptions(config.authorityHost)),
        config,
      );
    case 'managedIdentity':
      return new ExplainedCredential(config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential(), config);
  }
}

function authorityOptions(authorityHost: string) {
  // Instance discovery asks login.microsoftonline.com about the authority: right for Microsoft's clouds,
  // impossible for any other host (and a test fake must not send the process looking for the internet).
  return { authorityHost, disableInstanceDiscovery: !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).host) };
}

/** Wraps a credential so a failed sign-in says what to fix. The token itself is passed through untouched. */
export class ExplainedCredential implements TokenCredential {
  constructor(
    readonly inner: TokenCredential,
    private readonly config: GraphCredentialConfig,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    try {
      return await this.inner.getToken(scopes, options);
    } catch (error) {
      throw new GraphCredentialError(explainSignInFailure(error, this.config));
    }
  }
}

/** One sentence for a failed sign-in: what the identity platform said (its codes only) and which settings to check. */
export function explainSignInFailure(error: unknown, config: GraphCredentialConfig): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  const saidMessage = (error as { message?: unknown } | undefined)?.message;
  const message = typeof saidMessage === 'string' ? saidMessage : '';
  // MSAL's message starts with the OAuth error ("invalid_client: Error(s): 7000215 - …"); AADSTS numbers follow.
  const oauthError = /^([a-z_]+):/.exec(message)?.[1];
  const aadsts =
    /Error\(s\):\s*([\d,\s]+?)\s*-/
      .exec(message)?.[1]
      ?.split(/[,\s]+/)
      .filter(Boolean)
      .map((n) => `AADSTS${n}`) ?? [];
  const codes = [oauthError, ...aadsts].filter(Boolean).join(', ');
  const said = codes ? ` (${codes})` : '';
  const prefix = 'Privacy Desk could not sign in to Microsoft Graph:';

  if (config.kind === 'managedIdentity') {
    const which = config.clientId ? 'the user-assigned managed identity named by GRAPH_MANAGED_IDENTITY_CLIENT_ID' : 'a system-assigned managed identity';
    return name === 'CredentialUnavailableError'
      ? `${prefix} ${which} is not available where Privacy Desk runs${said}. Assign it to this app service or container, or configure GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH instead.`
      : `${prefix} ${which} could not get a token${said}. Check that it exists and is assigned to this resource.`;
  }
  const secretOrCertificate = config.kind === 'clientSecret' ? 'the client secret' : 'the certificate';
  const secretSetting =
    config.kind === 'clientSecret'
      ? 'GRAPH_CLIENT_SECRET (secrets expire; make a new one in the app registration if needed)'
      : 'GRAPH_CERTIFICATE_PATH (is this certificate uploaded to the app registration?)';
  switch (oauthError) {
    case 'invalid_client':
      return `${prefix} the token endpoint refused ${secretOrCertificate}${said}. Check ${secretSetting} and GRAPH_CLIENT_ID.`;
    case 'unauthorized_client':
      return `${prefix} the tenant does not know the application${said}. Check GRAPH_CLIENT_ID and GRAPH_TENANT_ID.`;
    case 'invalid_scope':
      return `${prefix} the token endpoint refused the Graph scope${said}. Check GRAPH_BASE_URL.`;
    case 'endpoints_resolution_error':
      return `${prefix} the sign-in endpoint for the tenant could not be found or reached${said}. Check GRAPH_TENANT_ID and GRAPH_AUTHORITY_HOST, and that the host can reach it.`;
    default:
      return `${prefix} signing in with ${secretOrCertificate} failed${said}. Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and ${config.kind === 'clientSecret' ? 'GRAPH_CLIENT_SECRET' : 'GRAPH_CERTIFICATE_PATH'}.`;
  }
}

function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an https URL such as ${DEFAULT_GRAPH_BASE_URL} (got something that is not a URL).`;
  }
  // Tokens must never travel in clear text; the Graph client also attaches them only to https URLs.
  if (url.protocol !== 'https:') return 'must be an https URL: tokens are never sent over plain http.';
  if (url.pathname !== '/' || url.search || url.hash) return `must be the host only, without a path or version (for example ${url.origin}).`;
  return undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
