import type { CloudAdapter, ConversationReference } from 'botbuilder';
import {
  buildChannelEventCard,
  buildConfirmationCard,
  buildPackageForRequesterCard,
  buildPackageReadyCard,
  buildRequestStatusCard,
} from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { cardMessage } from '../commands/replies';
import type { DeliveryOutcome, Messenger } from '../../domain/delivery/messenger';
import { NotificationKind, RequestMoment, type Notification } from '../../domain/delivery/notification';
import type { Directory } from '../../domain/directory/directory';
import type { DownloadLink } from '../../domain/export/packageStore';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { ConversationDirectory } from '../state/conversationReferences';
import type { ServiceUrlPolicy } from './serviceUrlPolicy';

const TEAMS_CHANNEL_ID = 'msteams';
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

const REQUESTER_HEADLINE: Record<RequestMoment, (r: ExportRequest) => string> = {
  filed: (r) => `${r.reference} was filed`,
  confirmed: (r) => `${r.subject.displayName} approved ${r.reference}; the export is running`,
  declined: (r) => `${r.subject.displayName} declined ${r.reference}; nothing will be exported`,
  ready: (r) => `The package for ${r.reference} is ready`,
  delivered: (r) => `${r.subject.displayName} received the download link for ${r.reference}`,
  failed: (r) => `The export for ${r.reference} failed`,
};

/** Turns the domain's notifications into Adaptive Cards sent proactively in Teams. */
export class TeamsMessenger implements Messenger {
  constructor(
    private readonly deps: {
      readonly adapter: CloudAdapter;
      readonly appId: string;
      readonly conversations: ConversationDirectory;
      readonly directory: Directory;
      readonly serviceUrls: ServiceUrlPolicy;
      readonly timeZone: string;
      readonly today: () => string;
    },
  ) {}

  async deliver(notification: Notification, request: ExportRequest, link?: DownloadLink): Promise<DeliveryOutcome> {
    const today = this.deps.today();
    switch (notification.kind) {
      case NotificationKind.AskSubject: {
        const requester = await this.deps.directory.lookup(request.requesterId);
        const requesterName = requester.kind === 'user' ? requester.user.displayName : 'Your privacy team';
        return this.sendToUser(request.subject.objectId, buildConfirmationCard(request, requesterName, today), `${request.reference}: please confirm your data export request`);
      }
      case NotificationKind.PackageReady:
        if (!link) throw new Error('a package-ready notification needs a link');
        if (request.deliverTo === 'requester') {
          return this.sendToUser(request.requesterId, buildPackageForRequesterCard(request, link, this.deps.timeZone), `${request.reference}: the package is ready to hand over`);
        }
        return this.sendToUser(request.subject.objectId, buildPackageReadyCard(request, link, this.deps.timeZone), `${request.reference}: your data is ready to download`);
      case NotificationKind.RequesterUpdate: {
        const moment = notification.moment ?? RequestMoment.Filed;
        const headline = REQUESTER_HEADLINE[moment](request);
        return this.sendToUser(notification.recipientId ?? request.requesterId, buildRequestStatusCard(request, today, headline), headline);
      }
      case NotificationKind.ChannelUpdate:
        return this.sendToChannel(buildChannelEventCard(request, notification.moment ?? RequestMoment.Filed, today), `${request.reference}: ${notification.moment ?? 'update'}`);
    }
  }

  private async sendToUser(objectId: string, card: AdaptiveCard, summary: string): Promise<DeliveryOutcome> {
    const reference = await this.deps.conversations.forUser(objectId);
    if (!reference) return { kind: 'unreachable', reason: 'no 1:1 conversation with the bot yet' };
    if (!this.deps.serviceUrls.allows(reference.serviceUrl)) return { kind: 'unreachable', reason: 'stored serviceUrl is not on the allow-list' };
    await this.deps.adapter.continueConversationAsync(this.deps.appId, reference as ConversationReference, async (context) => {
      await context.sendActivity(cardMessage(card, summary));
    });
    return { kind: 'sent' };
  }

  private async sendToChannel(card: AdaptiveCard, summary: string): Promise<DeliveryOutcome> {
    const channel = await this.deps.conversations.notificationChannel();
    if (!channel) return { kind: 'skipped', reason: 'no notification channel set' };
    if (!this.deps.serviceUrls.allows(channel.serviceUrl)) return { kind: 'skipped', reason: 'channel serviceUrl is not on the allow-list' };
    await this.deps.adapter.createConversationAsync(
      this.deps.appId,
      TEAMS_CHANNEL_ID,
      channel.serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      {
        isGroup: true,
        bot: { id: this.deps.appId, name: 'Privacy Desk' },
        members: [],
        channelData: { channel: { id: channel.channelId }, ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}) },
        activity: cardMessage(card, summary) as never,
        ...(channel.tenantId ? { tenantId: channel.tenantId } : {}),
      },
      async () => undefined,
    );
    return { kind: 'sent' };
  }
}
