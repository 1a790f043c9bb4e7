/**
 * All environment settings of the Graph adapters in one place: the connection (graphCredential.ts)
 * plus what the directory, admin policy and mailer need. Parsed together so one start-up error lists
 * every bad setting at once.
 */
import { z } from 'zod';
import { DEFAULT_ADMIN_CACHE_TTL_MS } from './graphAdminPolicy';
import {
  GRAPH_CONNECTION_SETTINGS,
  GraphConfigError,
  graphConnectionEnvSchema,
  graphIssueSentences,
  setting,
  type GraphConnectionConfig,
} from './graphCredential';
import { isGuid } from './odata';

/** A day: an admin removed from the group must not keep rights for longer than that. */
const MAX_ADMIN_CACHE_SECONDS = 24 * 60 * 60;
const MAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const graphFeatureEnvSchema = z.object({
  /** The mailbox Privacy Desk sends mail from (its address). Without it, no mail fallback. */
  GRAPH_MAIL_FROM: setting.refine((v) => v === undefined || MAIL_ADDRESS.test(v) || isGuid(v), 'must be the privacy mailbox’s address (or its objectId).'),
  /** The security group whose members (nested included) are privacy admins. */
  PRIVACY_ADMIN_GROUP_ID: setting.refine((v) => v === undefined || isGuid(v), 'must be the objectId (a GUID) of the Entra security group of privacy admins.'),
  /** How long an admin check is trusted, in seconds. */
  PRIVACY_ADMIN_CACHE_SECONDS: setting.refine(
    (v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= MAX_ADMIN_CACHE_SECONDS),
    `must be a whole number of seconds from 0 to ${MAX_ADMIN_CACHE_SECONDS}.`,
  ),
});

export interface GraphSettings {
  readonly connection: GraphConnectionConfig;
  readonly mailFrom?: string;
  readonly adminGroupId?: string;
  readonly adminCacheTtlMs: number;
}

/** True when any Graph connection setting is present: the deployment means to use Graph. */
export function hasGraphSettings(env: NodeJS.ProcessEnv): boolean {
  return GRAPH_CONNECTION_SETTINGS.some((key) => (env[key] ?? '').trim() !== '');
}

/** Validates every Graph setting; throws GraphConfigError with one sentence per problem, each naming its setting. */
export function parseGraphSettings(env: NodeJS.ProcessEnv): GraphSettings {
  const connection = graphConnectionEnvSchema.safeParse(env);
  const features = graphFeatureEnvSchema.safeParse(env);
  const issues = [...(connection.success ? [] : connection.error.issues), ...(features.success ? [] : features.error.issues)];
  if (!connection.success || !features.success) throw new GraphConfigError(graphIssueSentences(issues));
  const f = features.data;
  return {
    connection: connection.data,
    ...(f.GRAPH_MAIL_FROM ? { mailFrom: f.GRAPH_MAIL_FROM } : {}),
    ...(f.PRIVACY_ADMIN_GROUP_ID ? { adminGroupId: f.PRIVACY_ADMIN_GROUP_ID } : {}),
    adminCacheTtlMs: f.PRIVACY_ADMIN_CACHE_SECONDS === undefined ? DEFAULT_ADMIN_CACHE_TTL_MS : Number(f.PRIVACY_ADMIN_CACHE_SECONDS) * 1000,
  };
}
