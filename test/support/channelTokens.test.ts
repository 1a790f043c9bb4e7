// Proves the whole test chain against the REAL library: botbuilder's ConfigurationBotFrameworkAuthentication
// validates tokens from the local issuer (channelTokens.ts), CloudAdapter runs the turn behind restify, and
// the reply reaches the connector stand-in (botConnector.ts) with the test credentials (credentials.ts).
import assert from 'node:assert/strict';
import * as restify from 'restify';
import sinon from 'sinon';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { SignJWT } from 'jose';
import { startBotConnector, type BotConnectorStandIn } from './botConnector';
import {
  EXPIRED_TOKEN_EXPIRES_IN_SECONDS,
  PUBLIC_AZURE_CALLER_ID,
  SIGNING_KEY_ID,
  TEST_TENANT_ID,
  TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
  UNENDORSED_KEY_ID,
  botFrameworkAuthConfig,
  startChannelTokenIssuer,
  type ChannelTokenIssuer,
  type ChannelTokenIssuerOptions,
} from './channelTokens';
import { TEST_OUTBOUND_AUTHORIZATION, testCredentialsFactory, type TestCredentialsFactory } from './credentials';
import { closeServer, listenOnLoopback } from './loopback';

const APP_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const OTHER_APP_ID = '9a8b7c6d-5e4f-4d3c-8b2a-1f0e9d8c7b6a';
const INCOMING_ACTIVITY_ID = 'incoming-1';
const PERSONAL_CONVERSATION_ID = 'a:test-personal-chat';
const REPLY_TEXT = 'hi';
const ONE_HOUR_SECONDS = 60 * 60;
/** Well inside botframework-connector's 5-minute clock tolerance. */
const RECENTLY_EXPIRED_SECONDS = -60;
/**
 * What CloudAdapter.process answers (botbuilder 4.23.3) for a forged or not-yet-valid token: 500, because
 * botframework-connector re-throws jsonwebtoken's error instead of an AuthenticationError (see below).
 */
const OBSERVED_STATUS_FOR_FORGED_TOKENS = 500;

/** A Teams personal-chat message, as the JSON Teams posts to the bot. */
function teamsMessage(serviceUrl: string): Record<string, unknown> {
  return {
    type: 'message',
    id: INCOMING_ACTIVITY_ID,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: '29:test-user', aadObjectId: '5b0c8d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e', name: 'Test User' },
    recipient: { id: `28:${APP_ID}`, name: 'Privacy Desk' },
    conversation: { id: PERSONAL_CONVERSATION_ID, conversationType: 'personal', tenantId: TEST_TENANT_ID },
    channelData: { tenant: { id: TEST_TENANT_ID } },
    text: 'hello',
  };
}

/** A bot exactly as production will wire it, minus the real login server: CloudAdapter behind restify. */
interface BotStack {
  issuer: ChannelTokenIssuer;
  credentials: TestCredentialsFactory;
  messagesUrl: string;
  /** Activities that reached the bot's logic (i.e. passed authentication). */
  turns: Activity[];
  stop(): Promise<void>;
}

async function startBotStack(issuerOptions: Partial<ChannelTokenIssuerOptions> = {}): Promise<BotStack> {
  const issuer = await startChannelTokenIssuer({ appId: APP_ID, ...issuerOptions });
  const credentials = testCredentialsFactory(APP_ID);
  const auth = new ConfigurationBotFrameworkAuthentication(botFrameworkAuthConfig(APP_ID, issuer), credentials);
  const adapter = new CloudAdapter(auth);
  const turns: Activity[] = [];
  const logic = async (context: TurnContext) => {
    turns.push(context.activity);
    await context.sendActivity(REPLY_TEXT);
  };

  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  // restify 12 accepts async handlers that take no `next`.
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, logic);
  });
  const port = await listenOnLoopback(server.server);

  return {
    issuer,
    credentials,
    messagesUrl: `http://127.0.0.1:${port}/api/messages`,
    turns,
    async stop() {
      await closeServer(server.server);
      await issuer.stop();
    },
  };
}

async function postActivity(stack: BotStack, activity: unknown, authorization?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(stack.messagesUrl, { method: 'POST', headers, body: JSON.stringify(activity) });
  return { status: res.status, body: await res.text() };
}

/**
 * The library console.error()s every rejected token (and CloudAdapter the error again). Keep the test
 * output readable, but hand the messages back so a failing assertion can show them.
 */
async function withConsoleErrorsCaptured<T>(fn: () => Promise<T>): Promise<{ result: T; logged: string }> {
  const stub = sinon.stub(console, 'error');
  try {
    const result = await fn();
    return {
      result,
      logged: stub
        .getCalls()
        .map((c) => c.args.map(String).join(' '))
        .join('\n'),
    };
  } finally {
    stub.restore();
  }
}

describe('test support: channel tokens through the real CloudAdapter', function () {
  let connector: BotConnectorStandIn;
  let stack: BotStack;

  before(async function () {
    connector = await startBotConnector();
    stack = await startBotStack();
  });

  after(async function () {
    await stack?.stop();
    await connector?.stop();
  });

  beforeEach(function () {
    connector.reset();
    stack.turns.length = 0;
  });

  it('accepts a valid channel token; the reply reaches the connector with the test bearer token', async function () {
    const authorization = await stack.issuer.authorization({ serviceUrl: connector.serviceUrl });
    const res = await postActivity(stack, teamsMessage(connector.serviceUrl), authorization);
    assert.equal(res.status, 200, res.body);

    assert.equal(stack.turns.length, 1);
    // botbuilder stamps the configured CallerId on authenticated channel activities.
    assert.equal(stack.turns[0].callerId, PUBLIC_AZURE_CALLER_ID);

    const reply = await connector.waitFor((a) => a.activity.text === REPLY_TEXT);
    assert.equal(reply.operation, 'replyToActivity');
    assert.equal(reply.conversationId, PERSONAL_CONVERSATION_ID);
    assert.equal(reply.replyToId, INCOMING_ACTIVITY_ID);
    assert.equal(reply.authorization, TEST_OUTBOUND_AUTHORIZATION);
    assert.equal(reply.activity.type, 'message');
    assert.deepEqual(connector.sent().length, 1);

    // Outbound credentials came from our factory only, for this bot and the channel's audience
    // (CloudAdapter asks more than once per turn: connector client and user-token client).
    assert.ok(stack.credentials.requests.length > 0);
    for (const request of stack.credentials.requests) {
      assert.deepEqual([request.appId, request.audience], [APP_ID, TO_CHANNEL_FROM_BOT_OAUTH_SCOPE]);
    }
    // The issuer served metadata and keys, and nothing tried its login or OAuth URLs.
    assert.ok(stack.issuer.requests.length > 0);
    assert.ok(
      stack.issuer.requests.every((p) => p.endsWith('/v1/.well-known/openidconfiguration') || p.endsWith('/v1/.well-known/keys')),
      stack.issuer.requests.join(', '),
    );
  });

  it('accepts a token that expired less than the library clock tolerance ago', async function () {
    const authorization = await stack.issuer.authorization({ serviceUrl: connector.serviceUrl }, { expiresInSeconds: RECENTLY_EXPIRED_SECONDS });
    const res = await postActivity(stack, teamsMessage(connector.serviceUrl), authorization);
    assert.equal(res.status, 200, res.body);
    assert.equal(stack.turns.length, 1);
  });

  describe('rejected with 401, and nothing reaches the bot or the connector', function () {
    const NO_VALID_IDENTITY = /No valid identity/;
    const INVALID_APP_ID = /Invalid AppId passed on token/;
    const SERVICE_URL_MISMATCH = /ServiceUrl claim do not match/;
    type RejectionCase = {
      name: string;
      authorization: (serviceUrl: string) => Promise<string | undefined>;
      reason: RegExp;
    };
    const cases: RejectionCase[] = [
      { name: 'no Authorization header', authorization: async () => undefined, reason: /Request is not authorized/ },
      { name: 'garbage token', authorization: async () => 'Bearer not-a-jwt', reason: NO_VALID_IDENTITY },
      {
        name: 'a valid token under another scheme',
        authorization: async (serviceUrl) => `Basic ${await stack.issuer.sign({ serviceUrl })}`,
        reason: NO_VALID_IDENTITY,
      },
      {
        name: 'wrong audience',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl, aud: OTHER_APP_ID }),
        reason: INVALID_APP_ID,
      },
      {
        name: 'no audience',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl, aud: undefined }),
        reason: INVALID_APP_ID,
      },
      {
        name: 'wrong issuer',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl, iss: 'https://issuer.invalid' }),
        // The library checks iss before the signature and then has no identity.
        reason: NO_VALID_IDENTITY,
      },
      {
        name: 'expired (beyond the library clock tolerance)',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl }, { expiresInSeconds: EXPIRED_TOKEN_EXPIRES_IN_SECONDS }),
        reason: /token has expired/,
      },
      {
        name: 'serviceurl claim differs from the activity serviceUrl',
        authorization: () => stack.issuer.authorization({ serviceUrl: 'http://127.0.0.1:1/' }),
        reason: SERVICE_URL_MISMATCH,
      },
      {
        name: 'no serviceurl claim',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl, serviceurl: undefined }),
        reason: SERVICE_URL_MISMATCH,
      },
      {
        name: 'unknown kid',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl }, { kid: 'unknown-key' }),
        reason: /Signing Key could not be retrieved/,
      },
      {
        name: `missing endorsement (key ${UNENDORSED_KEY_ID} is not endorsed for msteams)`,
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl }, { omitEndorsement: true }),
        reason: /Could not validate endorsement/,
      },
    ];

    for (const { name, authorization, reason } of cases) {
      it(name, async function () {
        const header = await authorization(connector.serviceUrl);
        const { result, logged } = await withConsoleErrorsCaptured(() => postActivity(stack, teamsMessage(connector.serviceUrl), header));
        assert.equal(result.status, 401, `body: ${result.body}\nlogged: ${logged}`);
        // The library's reason, so each case fails for the reason it is named after.
        assert.match(result.body, reason);
        assert.equal(stack.turns.length, 0, 'the bot logic ran');
        assert.deepEqual(connector.requests, [], 'something reached the connector');
      });
    }
  });

  // What the RAW library answers for tokens that are forged or not yet valid. These are not
  // AuthenticationErrors inside botframework-connector (jsonwebtoken's error is re-thrown as is), so
  // CloudAdapter.process answers 500 with the error message. Nothing is let through, but the status is
  // wrong: the bot's HTTP layer must map these to 401. The assertions pin the observed status so a
  // library upgrade that changes it is noticed.
  describe('rejected by the raw library with a non-401 status (the bot layer must map it to 401)', function () {
    type ForgedCase = { name: string; authorization: (serviceUrl: string) => Promise<string>; bodyPattern: RegExp };
    const cases: ForgedCase[] = [
      {
        // Right kid, signed by another key: jsonwebtoken throws JsonWebTokenError('invalid signature').
        name: `right kid (${SIGNING_KEY_ID}), signed by another key`,
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl }, { signWithOtherKey: true }),
        bodyPattern: /invalid signature/,
      },
      {
        // nbf an hour ahead (beyond the 5-minute tolerance): NotBeforeError, also re-thrown as is.
        name: 'not yet valid (nbf in the future)',
        authorization: (serviceUrl) => stack.issuer.authorization({ serviceUrl, nbf: Math.floor(Date.now() / 1000) + ONE_HOUR_SECONDS }),
        bodyPattern: /jwt not active/,
      },
      {
        // Algorithm confusion: HS256 with the kid of an RSA key. jsonwebtoken refuses the algorithm.
        name: 'HS256 token naming the RSA kid',
        authorization: async (serviceUrl) => {
          const now = Math.floor(Date.now() / 1000);
          const token = await new SignJWT({ serviceurl: serviceUrl })
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: SIGNING_KEY_ID })
            .setIssuer(stack.issuer.issuer)
            .setAudience(APP_ID)
            .setIssuedAt(now)
            .setExpirationTime(now + ONE_HOUR_SECONDS)
            .sign(new TextEncoder().encode('a-shared-secret-an-attacker-chose-32b'));
          return `Bearer ${token}`;
        },
        bodyPattern: /invalid algorithm/,
      },
    ];

    for (const { name, authorization, bodyPattern } of cases) {
      it(name, async function () {
        const header = await authorization(connector.serviceUrl);
        const { result, logged } = await withConsoleErrorsCaptured(() => postActivity(stack, teamsMessage(connector.serviceUrl), header));
        assert.equal(result.status, OBSERVED_STATUS_FOR_FORGED_TOKENS, `body: ${result.body}\nlogged: ${logged}`);
        assert.match(result.body, bodyPattern);
        assert.equal(stack.turns.length, 0, 'the bot logic ran');
        assert.deepEqual(connector.requests, [], 'something reached the connector');
      });
    }
  });

  // What the library's connector client does with the Connector's failures (measured with failNext):
  // 5xx is retried up to 3 times with exponential backoff (4 attempts, about 5 s in all); 429 is retried
  // only when it carries Retry-After; other 4xx are not retried. The error reaches the bot's turn.
  describe('connector failures through the real connector client', function () {
    it('a single 500 from the connector is retried and the reply still arrives', async function () {
      connector.failNext(500, 1);
      const authorization = await stack.issuer.authorization({ serviceUrl: connector.serviceUrl });
      const res = await postActivity(stack, teamsMessage(connector.serviceUrl), authorization);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(
        connector.requests.map((r) => r.status),
        [500, 200],
      );
      const reply = await connector.waitFor((a) => a.activity.text === REPLY_TEXT);
      assert.equal(reply.authorization, TEST_OUTBOUND_AUTHORIZATION);
    });

    it('a 429 without Retry-After is not retried: the turn fails, the raw CloudAdapter answers 500', async function () {
      connector.failNext(429, 1);
      const authorization = await stack.issuer.authorization({ serviceUrl: connector.serviceUrl });
      const { result } = await withConsoleErrorsCaptured(() => postActivity(stack, teamsMessage(connector.serviceUrl), authorization));
      // No onTurnError is set here, so the error escapes to CloudAdapter.process.
      assert.equal(result.status, 500, result.body);
      assert.match(result.body, /Injected 429/);
      assert.deepEqual(
        connector.requests.map((r) => r.status),
        [429],
      );
      assert.deepEqual(connector.sent(), []);
    });
  });

  it('an issuer configured with other endorsements rejects msteams activities with 401', async function () {
    const webchatOnly = await startBotStack({ endorsements: ['webchat'] });
    try {
      const authorization = await webchatOnly.issuer.authorization({ serviceUrl: connector.serviceUrl });
      const { result, logged } = await withConsoleErrorsCaptured(() => postActivity(webchatOnly, teamsMessage(connector.serviceUrl), authorization));
      assert.equal(result.status, 401, `body: ${result.body}\nlogged: ${logged}`);
      assert.match(result.body, /Could not validate endorsement/);
      assert.equal(webchatOnly.turns.length, 0);
      assert.deepEqual(connector.requests, []);
    } finally {
      await webchatOnly.stop();
    }
  });

  it('a token from one issuer is refused by a bot configured for another (fresh keys per issuer)', async function () {
    const other = await startBotStack();
    try {
      const foreign = await other.issuer.authorization({ serviceUrl: connector.serviceUrl });
      const { result } = await withConsoleErrorsCaptured(() => postActivity(stack, teamsMessage(connector.serviceUrl), foreign));
      // Same kid, iss and aud, different key: the forged-signature path above.
      assert.equal(result.status, OBSERVED_STATUS_FOR_FORGED_TOKENS);
      assert.match(result.body, /invalid signature/);
      assert.equal(stack.turns.length, 0);
      assert.deepEqual(connector.requests, []);
    } finally {
      await other.stop();
    }
  });
});
