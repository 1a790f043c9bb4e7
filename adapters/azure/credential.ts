import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

/**
 * The one Azure identity Privacy Desk uses for Azure Storage (AZURE_STORAGE_ACCOUNT_URL) and
 * PostgreSQL (DATABASE_AUTH=entra): on Azure, the managed identity of the App Service or container
 * (a user-assigned one when AZURE_CLIENT_ID names its client id); on a developer's machine, their
 * Azure CLI sign-in. Created once, on first use, so its token cache serves every caller, and never
 * when nothing needs it (connection strings and passwords need no identity).
 *
 * Microsoft Graph keeps its own settings (GRAPH_*, adapters/graph/graphCredential.ts): it may be a
 * separate app registration with a secret or certificate, deliberately distinct from this identity.
 */
let shared: TokenCredential | undefined;

export function azureCredential(): TokenCredential {
  shared ??= new DefaultAzureCredential();
  return shared;
}
