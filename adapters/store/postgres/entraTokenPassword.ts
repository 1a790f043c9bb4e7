import type { AccessToken, TokenCredential } from '@azure/identity';

/**
 * Passwordless sign-in to Azure Database for PostgreSQL: the "password" is a Microsoft Entra access
 * token for this scope, issued to the bot's managed identity. Tokens live about an hour, so pg asks
 * for one at every new connection (PostgresConnectionOptions.password) and gets it from here.
 */
export const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

/** A token this close to expiring is replaced: a connection opened with it must still be accepted. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * A password function for pg that hands out the credential's token for PostgreSQL. The token is
 * cached and fetched again REFRESH_BEFORE_EXPIRY_MS before it expires; callers that come while a
 * fetch is under way share it (a pool opening ten connections asks the identity endpoint once). If
 * a refresh fails while the cached token is still valid, that token is used and the next call tries
 * again; otherwise the failure is one sentence naming what could not be done.
 */
export function entraTokenPassword(credential: TokenCredential, scope: string = POSTGRES_ENTRA_SCOPE): () => Promise<string> {
  let cached: AccessToken | undefined;
  let fetching: Promise<AccessToken> | undefined;

  const fetchToken = (): Promise<AccessToken> => {
    fetching ??= (async () => {
      let token: AccessToken | null;
      try {
        token = await credential.getToken(scope);
      } catch (error) {
        throw new Error(`Could not get a Microsoft Entra token to sign in to PostgreSQL (scope ${scope}): ${reasonOf(error)}`, { cause: error });
      }
      if (!token) throw new Error(`Could not get a Microsoft Entra token to sign in to PostgreSQL (scope ${scope}): the credential returned none.`);
      cached = token;
      return token;
    })().finally(() => {
      fetching = undefined;
    });
    return fetching;
  };

  return async () => {
    const now = Date.now();
    if (cached && now < cached.expiresOnTimestamp - REFRESH_BEFORE_EXPIRY_MS) return cached.token;
    try {
      return (await fetchToken()).token;
    } catch (error) {
      // A refresh ahead of time that failed leaves a token that still works: better than no connection.
      if (cached && Date.now() < cached.expiresOnTimestamp) return cached.token;
      throw error;
    }
  };
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // @azure/identity's messages can run over several lines (every credential DefaultAzureCredential tried): the first says what failed.
  const first = message.split('\n')[0]!.trim();
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
