// A minimal bot for the Playground integration test: botbuilder CloudAdapter in local (anonymous) mode
// behind restify on 127.0.0.1, port 0. It echoes messages and, like Privacy Desk must, keeps the
// conversation reference of each person's 1:1 chat (from installationUpdate / conversationUpdate /
// message, keyed by from.aadObjectId) so it can later message them proactively.
import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type Activity, type ConversationReference } from 'botbuilder';

export interface EchoBot {
  readonly endpoint: string;
  /** Every activity that reached the bot, in order. */
  readonly received: Activity[];
  /** Personal-chat references by aadObjectId (lower case). */
  readonly references: Map<string, Partial<ConversationReference>>;
  /** Resolves once a personal-chat reference for this aadObjectId has been stored. */
  waitForReference(aadObjectId: string, timeoutMs?: number): Promise<Partial<ConversationReference>>;
  /** Sends `text` into the stored 1:1 chat of that person; returns the activity id the channel gave it. */
  sendProactive(aadObjectId: string, text: string): Promise<string | undefined>;
  /** Sends an Adaptive Card into the stored 1:1 chat of that person. */
  sendProactiveCard(aadObjectId: string, card: object): Promise<string | undefined>;
  /** `adaptiveCard/action` invokes (Action.Execute) that reached the bot. */
  readonly cardActions: { from: { id: string; name?: string; aadObjectId?: string }; verb: string; data: unknown }[];
  /** Turn errors (the bot logs them loudly instead of answering 200 in silence). */
  readonly errors: Error[];
  stop(): Promise<void>;
}

export async function startEchoBot(): Promise<EchoBot> {
  // Empty configuration = no MicrosoftAppId = authentication disabled (the Playground is anonymous).
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const received: Activity[] = [];
  const references = new Map<string, Partial<ConversationReference>>();
  const waiters: { id: string; resolve: (r: Partial<ConversationReference>) => void }[] = [];
  const errors: Error[] = [];
  const cardActions: EchoBot['cardActions'] = [];

  adapter.onTurnError = async (context, error) => {
    errors.push(error);
    console.error(`[echoBot] turn error on ${context.activity.type}:`, error);
  };

  const remember = (activity: Activity): void => {
    const aad = activity.from?.aadObjectId?.toLowerCase();
    if (!aad || activity.conversation?.conversationType !== 'personal') return;
    const reference = TurnContext.getConversationReference(activity);
    references.set(aad, reference);
    for (const w of waiters.filter((w) => w.id === aad)) w.resolve(reference);
  };

  const logic = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    received.push(activity);
    if (activity.type === ActivityTypes.InstallationUpdate || activity.type === ActivityTypes.ConversationUpdate || activity.type === ActivityTypes.Message) {
      remember(activity);
    }
    if (activity.type === ActivityTypes.Message && activity.text) {
      await context.sendActivity(`Echo: ${activity.text}`);
    }
    if (activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action') {
      const action = (activity.value ?? {}) as { action?: { verb?: string; data?: unknown } };
      cardActions.push({ from: activity.from, verb: action.action?.verb ?? '', data: action.action?.data });
      const done = {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        body: [{ type: 'TextBlock', wrap: true, text: `Done: ${action.action?.verb} by ${activity.from?.name ?? activity.from?.id}` }],
      };
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: done } },
      });
    }
  };

  const send = async (aadObjectId: string, activity: Partial<Activity> | string): Promise<string | undefined> => {
    const reference = references.get(aadObjectId.toLowerCase());
    if (!reference) throw new Error(`no stored reference for ${aadObjectId}`);
    let id: string | undefined;
    // Anonymous local mode: the bot app id is empty.
    await adapter.continueConversationAsync('', reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  };

  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, logic);
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    received,
    references,
    errors,
    waitForReference(aadObjectId, timeoutMs = 15_000) {
      const id = aadObjectId.toLowerCase();
      const known = references.get(id);
      if (known) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no personal-chat reference for ${id} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          id,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    cardActions,
    sendProactive: (aadObjectId, text) => send(aadObjectId, text),
    sendProactiveCard: (aadObjectId, card) =>
      send(aadObjectId, {
        type: ActivityTypes.Message,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      }),
    async stop() {
      await new Promise<void>((resolve) => {
        server.server.close(() => resolve());
        server.server.closeAllConnections();
      });
    },
  };
}
