/**
 * Installs Privacy Desk in a person's personal Teams scope through Microsoft Graph (proactive app
 * installation), so the bot can write to someone who has never opened it, and returns the 1:1 chat id.
 *
 * Application permissions needed:
 *  - TeamsAppInstallation.ReadWriteSelfForUser.All — install this app (and only this app) for users,
 *    list its installation and read the installation's chat;
 *  - AppCatalog.Read.All — find the app in the organisation's catalog by its manifest id.
 * The app must be published to the organisation's catalog and allowed by the Teams app permission
 * policies; otherwise Graph answers 403 and the caller falls back to mail.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { TeamsInstallError, type TeamsAppInstaller } from '../../domain/delivery/reach';
import { silentLogger, type Logger } from '../../domain/logger';
import { failureFields, graphStatus, GraphCredentialError, toGraphFailure } from './graphErrors';
import { encodedFilter, isGuid, odataString, pathSegment } from './odata';

const CONFLICT = 409;
const FORBIDDEN = 403;
const NOT_FOUND = 404;

export interface GraphTeamsInstallerOptions {
  readonly client: Client;
  /** The `id` in appPackage/manifest.json (the app's "external id" in the catalog), not the catalog id. */
  readonly manifestId: string;
  /** Graph's origin, for the teamsApp@odata.bind URL (the same value the client was built with). */
  readonly baseUrl: string;
  readonly logger?: Logger;
}

interface Installation {
  id: string;
}

export class GraphTeamsInstaller implements TeamsAppInstaller {
  /** The catalog id never changes while the app stays published; found once per process. */
  private catalogAppId: Promise<string> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: GraphTeamsInstallerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async ensureInstalledForUser(userObjectId: string): Promise<{ chatId: string; installedNow: boolean }> {
    if (!isGuid(userObjectId)) throw new TeamsInstallError('user_not_found', 'Teams app installation needs the user’s objectId (a GUID).');
    const user = pathSegment(userObjectId);
    const appId = await this.findCatalogApp();

    let installedNow = true;
    try {
      await this.options.client.api(`/users/${user}/teamwork/installedApps`).post({
        'teamsApp@odata.bind': `${this.options.baseUrl}/v1.0/appCatalogs/teamsApps/${pathSegment(appId)}`,
      });
    } catch (error) {
      // Already installed (by the person, an admin policy, or an earlier attempt): exactly what we want.
      if (graphStatus(error) === CONFLICT) installedNow = false;
      else throw this.installFailure(error, userObjectId, 'install');
    }

    // The install answers 201 with no body, so the installation is found by its app.
    const installations = (await this.call(userObjectId, 'find', () =>
      this.options.client
        .api(`/users/${user}/teamwork/installedApps`)
        .expand(['teamsApp'])
        .filter(encodedFilter(`teamsApp/id eq ${odataString(appId)}`))
        .get(),
    )) as { value?: Installation[] };
    const installation = installations.value?.[0];
    if (!installation) {
      throw new TeamsInstallError('failed', 'Teams reported Privacy Desk installed for the user but did not list the installation; try again shortly.');
    }

    const chat = (await this.call(userObjectId, 'chat', () =>
      this.options.client
        .api(`/users/${user}/teamwork/installedApps/${pathSegment(installation.id)}/chat`)
        .select(['id'])
        .get(),
    )) as { id?: string };
    if (!chat.id) throw new TeamsInstallError('failed', 'Teams returned no chat for the Privacy Desk installation.');
    this.logger.info({ userId: userObjectId, installedNow }, 'Privacy Desk is installed for the user in Teams');
    return { chatId: chat.id, installedNow };
  }

  private findCatalogApp(): Promise<string> {
    this.catalogAppId ??= this.lookUpCatalogApp().catch((error: unknown) => {
      this.catalogAppId = undefined; // not cached: the next attempt asks again (the app may be published meanwhile)
      throw error;
    });
    return this.catalogAppId;
  }

  private async lookUpCatalogApp(): Promise<string> {
    const found = (await this.call(undefined, 'catalog', () =>
      this.options.client
        .api('/appCatalogs/teamsApps')
        .filter(encodedFilter(`externalId eq ${odataString(this.options.manifestId)}`))
        .select(['id', 'externalId'])
        .get(),
    )) as { value?: Array<{ id?: string }> };
    const id = found.value?.find((app) => typeof app.id === 'string')?.id;
    if (!id) {
      this.logger.warn({ manifestId: this.options.manifestId }, 'Privacy Desk is not in the organisation’s Teams app catalog');
      throw new TeamsInstallError(
        'app_not_in_catalog',
        `Privacy Desk (manifest id ${this.options.manifestId}) is not published in the organisation’s Teams app catalog; a Teams admin must upload it before the bot can reach people who have not installed it.`,
      );
    }
    return id;
  }

  /** One Graph step whose failure is not specific to installing: 404 still means the user, anything else is "failed". */
  private async call<T>(userId: string | undefined, step: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.installFailure(error, userId, step);
    }
  }

  private installFailure(error: unknown, userId: string | undefined, step: string): TeamsInstallError {
    const failure = toGraphFailure(error, 'installing Privacy Desk in Teams for a user');
    this.logger.warn({ userId, installStep: step, ...failureFields(failure) }, 'Teams app installation through Microsoft Graph failed');
    if (failure instanceof GraphCredentialError) return new TeamsInstallError('failed', failure.message);
    if (step === 'install' && failure.status === FORBIDDEN) {
      return new TeamsInstallError(
        'blocked_by_admin',
        'Teams refused to install Privacy Desk for the user: an app permission or setup policy blocks it (or the Graph app lacks TeamsAppInstallation.ReadWriteSelfForUser.All).',
      );
    }
    if (userId && failure.status === NOT_FOUND) {
      return new TeamsInstallError('user_not_found', 'Teams does not know the user (no such account, or no Teams licence yet).');
    }
    return new TeamsInstallError('failed', failure.message);
  }
}
