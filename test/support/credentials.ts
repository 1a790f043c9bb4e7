// Outbound credentials for tests: the bot's calls to the Connector carry a fixed bearer token and never
// contact a login server. The default factory (MSAL) always reaches login.microsoftonline.com, which does
// not exist here, and the turn error is then swallowed (see STACK-NOTES), so tests must pass this one.
import { ServiceClientCredentialsFactory, TokenCredentials, type ServiceClientCredentials } from 'botframework-connector';

export const TEST_OUTBOUND_TOKEN = 'test-outbound-token';
/** The exact Authorization header the connector stand-in should see on the bot's outbound calls. */
export const TEST_OUTBOUND_AUTHORIZATION = `Bearer ${TEST_OUTBOUND_TOKEN}`;

/** What the library asked the factory for, so tests can check the audience and app id it used. */
export interface CredentialsRequest {
  appId: string;
  audience: string | undefined;
  loginEndpoint: string;
  validateAuthority: boolean;
}

type WebResourceLike = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Anonymous mode (no app id): calls go out without an Authorization header, as with the real factory. */
class AnonymousCredentials implements ServiceClientCredentials {
  signRequest(webResource: WebResourceLike): Promise<WebResourceLike> {
    return Promise.resolve(webResource);
  }
}

export class TestCredentialsFactory extends ServiceClientCredentialsFactory {
  /** Every createCredentials() call, in order. */
  readonly requests: CredentialsRequest[] = [];

  constructor(
    /** The bot's app id. Empty means authentication disabled, as botbuilder treats an empty MicrosoftAppId. */
    readonly appId: string,
    readonly token: string = TEST_OUTBOUND_TOKEN,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    // Only this bot's own id: a token for another bot (wrong aud) must be refused.
    return Promise.resolve(this.appId !== '' && appId === this.appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(this.appId === '');
  }

  createCredentials(appId: string, audience: string | undefined, loginEndpoint: string, validateAuthority: boolean): Promise<ServiceClientCredentials> {
    this.requests.push({ appId, audience, loginEndpoint, validateAuthority });
    if (this.appId === '') return Promise.resolve(new AnonymousCredentials());
    // Like PasswordServiceClientCredentialFactory ('Invalid appId.'): credentials only for this bot's own id.
    if (appId !== this.appId) {
      const message = `TestCredentialsFactory: no credentials for app id '${appId}' (this bot is '${this.appId}')`;
      return Promise.reject(new Error(message));
    }
    return Promise.resolve(new TokenCredentials(this.token));
  }
}

/**
 * A ServiceClientCredentialsFactory for ConfigurationBotFrameworkAuthentication whose credentials add
 * `Authorization: Bearer test-outbound-token` and never contact a login server.
 */
export function testCredentialsFactory(appId: string, token: string = TEST_OUTBOUND_TOKEN): TestCredentialsFactory {
  return new TestCredentialsFactory(appId, token);
}
