import type { CloudAdapter, ConversationReference } from 'botbuilder';
import {
  buildChannelEventCard,
  buildConfirmationCard,
  buildDeadlineAlertCard,
  buildDigestCard,
  buildDeadlineExtendedCard,
  buildLapsedNoticeCard,
  buildPackageForRequesterCard,
  CardVerb,
  buildPackageReadyCard,
  buildRequestStatusCard,
} from '../../cards';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { buildPauseNoticeCard, buildSubjectAnsweredCard, buildSubjectAnsweredChannelCard, pauseNoticeSummary } from '../../cards';
import { buildLinkWithdrawnCard, buildLinkWithdrawnNoticeCard } from '../../cards/linkWithdrawnCard';
import type { ComplaintRoute } from '../../cards/subjectNotices';
import { cardMessage } from '../commands/replies';
import type { DeliveryOutcome, Messenger } from '../../domain/delivery/messenger';
import { isDeadlineAlert, NotificationKind, RequestMoment, type Notification } from '../../domain/delivery/notification';
import { isOpen, RequestState } from '../../domain/requests/lifecycle';
import { requesterNameOf, type Directory } from '../../domain/directory/directory';
import type { DownloadLink } from '../../domain/export/packageStore';
import { extendedDueDate } from '../../domain/deadlines/extension';
import type { Digest } from '../../domain/deadlines/deadlineWatch';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { TeamsInstallError, type Mailer, type TeamsAppInstaller } from '../../domain/delivery/reach';
import type { ConversationDirectory } from '../state/conversationReferences';
import { mailFallbackMessage } from './mailFallback';
import { classifyTeamsError, TeamsFailure } from './teamsErrors';
import type { ServiceUrlPolicy } from './serviceUrlPolicy';

function describeError(error: unknown): string {
  const e = error as { statusCode?: number; code?: string };
  return [e.statusCode, e.code].filter(Boolean).join(' ') || 'error';
}

const TEAMS_CHANNEL_ID = 'msteams';
const MAX_REFRESH_USERS = 60;
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

const REQUESTER_HEADLINE: Record<RequestMoment, (r: ExportRequest) => string> = {
  filed: (r) => `${r.reference} was filed`,
  confirmed: (r) => `${r.subject.displayName} approved ${r.reference}; the export is running`,
  declined: (r) => `${r.subject.displayName} declined ${r.reference}; nothing will be exported`,
  ready: (r) => `The package for ${r.reference} is ready`,
  delivered: (r) => `${r.subject.displayName} received the download link for ${r.reference}`,
  failed: (r) => `The export for ${r.reference} failed`,
  cancelled: (r) => `${r.reference} was cancelled`,
  reached_by_mail: (r) => `${r.subject.displayName} could not be reached in Teams for ${r.reference}; they were e-mailed a link to the Privacy Desk chat`,
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
      readonly clock: { now(): Date };
      /** Teams user ids (29:…) of privacy admins, for the channel cards' refresh (user-specific views). */
      readonly adminUserIds?: () => Promise<string[]>;
      /** Where a subject may complain, as the controller configured it (named in the notice of a lapsed request). */
      readonly complaints?: ComplaintRoute;
      /** Production reach: install the app for people who never opened it; mail when Teams refuses. */
      readonly reach?: {
        readonly installer?: TeamsAppInstaller;
        readonly mailer?: Mailer;
        readonly tenantId?: string;
        /** serviceUrl for conversations the bot starts itself (Teams' global endpoint in production). */
        readonly serviceUrl: string;
        /** A deep link that opens the chat with the bot in Teams, for the mail fallback. */
        readonly botChatLink: string;
      };
    },
  ) {}

  async deliver(notification: Notification, request: ExportRequest, link?: DownloadLink): Promise<DeliveryOutcome> {
    const today = this.deps.today();
    switch (notification.kind) {
      case NotificationKind.AskSubject: {
        return this.sendToUser(
          request.subject.objectId,
          buildConfirmationCard(request, await requesterNameOf(this.deps.directory, request), today),
          `${request.reference}: please confirm your data export request`,
          request,
        );
      }
      case NotificationKind.PackageReady:
      case NotificationKind.LinkReissued:
        if (!link) throw new Error('a package-ready notification needs a link');
        if (request.deliverTo === 'requester') {
          return this.sendToUser(
            request.requesterId,
            buildPackageForRequesterCard(request, link, this.deps.timeZone),
            `${request.reference}: the package is ready to hand over`,
            undefined,
            this.linkCardSent(request, request.requesterId),
          );
        }
        return this.sendToUser(
          request.subject.objectId,
          buildPackageReadyCard(request, link, this.deps.timeZone),
          `${request.reference}: your data is ready to download`,
          request,
          this.linkCardSent(request, request.subject.objectId),
        );
      case NotificationKind.LinksWithdrawn:
        return this.withdrawLinkCards(
          notification.recipientId ?? (request.deliverTo === 'requester' ? request.requesterId : request.subject.objectId),
          request,
        );
      case NotificationKind.SubjectReminder: {
        if (request.state !== RequestState.AwaitingConfirmation) return { kind: 'skipped', reason: 'no longer awaiting confirmation' };
        return this.sendToUser(
          request.subject.objectId,
          buildConfirmationCard(request, await requesterNameOf(this.deps.directory, request), today),
          `Reminder — ${request.reference}: please confirm or decline your data export request`,
          request,
        );
      }
      case NotificationKind.SubjectLapsed:
        return this.sendToUser(
          request.subject.objectId,
          buildLapsedNoticeCard(request, { ...this.deps.complaints, timeZone: this.deps.timeZone }),
          `${request.reference}: closed`,
        );
      case NotificationKind.RequesterUpdate: {
        if (isDeadlineAlert(notification.moment)) {
          const headline = `${request.reference}: closed, ${request.subject.displayName} did not confirm in time`;
          return this.sendToUser(notification.recipientId ?? request.requesterId, buildRequestStatusCard(request, today, headline), headline);
        }
        const moment = notification.moment ?? RequestMoment.Filed;
        const headline = REQUESTER_HEADLINE[moment](request);
        return this.sendToUser(notification.recipientId ?? request.requesterId, buildRequestStatusCard(request, today, headline), headline);
      }
      case NotificationKind.DeadlineExtended: {
        const extensions = request.extensions ?? [];
        // The date the subject was told before (working-day rule and paused days included); older records recompute it.
        const previousDueOn = extensions.at(-1)?.fromDueOn ?? extendedDueDate(request, extensions.slice(0, -1));
        return this.sendToUser(request.subject.objectId, buildDeadlineExtendedCard(request, previousDueOn), `${request.reference}: we need more time`, request);
      }
      case NotificationKind.PauseNotice:
        // Resumed (or closed) before the notice went out: asking the subject now would ask for nothing.
        if (!request.pause || !isOpen(request.state)) return { kind: 'skipped', reason: 'no longer paused' };
        return this.sendToUser(request.subject.objectId, buildPauseNoticeCard(request), pauseNoticeSummary(request), request);
      case NotificationKind.SubjectAnswered:
        // The subject's words: only ever to one admin's 1:1 chat. The summary does not quote them.
        if (!notification.recipientId) return { kind: 'skipped', reason: 'no recipient' };
        return this.sendToUser(
          notification.recipientId,
          buildSubjectAnsweredCard(request, this.deps.timeZone),
          `${request.reference}: ${request.subject.displayName} answered`,
        );
      case NotificationKind.ChannelSubjectAnswered:
        return this.sendToChannel(buildSubjectAnsweredChannelCard(request, today), `${request.reference}: the data subject answered`, request.id);
      case NotificationKind.Progress: {
        const recipientId = notification.recipientId ?? request.requesterId;
        const headline = `${request.reference}: ${request.progress ?? request.waiting?.progress ?? 'export under way'}`;
        return this.progressCardFor(recipientId, request, buildRequestStatusCard(request, today, headline), headline);
      }
      case NotificationKind.ChannelUpdate:
        if (isDeadlineAlert(notification.moment)) {
          return this.sendToChannel(
            buildDeadlineAlertCard(request, notification.moment, today),
            `${request.reference}: ${notification.moment.replace('_', ' ')}`,
            request.id,
          );
        }
        return this.sendToChannel(
          buildChannelEventCard(request, notification.moment ?? RequestMoment.Filed, today),
          `${request.reference}: ${notification.moment ?? 'update'}`,
          request.id,
        );
    }
  }

  /**
   * Sends a card to one person's 1:1 chat: through the stored conversation reference, else by
   * installing the app for them (production), dropping a stale reference once on 404. When Teams
   * refuses for good (blocked, not in roster, disabled by admin) the subject is e-mailed a link to
   * the chat — once per request — and the card waits for them to open it.
   */
  private async sendToUser(
    objectId: string,
    card: AdaptiveCard,
    summary: string,
    mailAbout?: ExportRequest,
    onSent?: (activityId: string) => Promise<void>,
  ): Promise<DeliveryOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      let reference: Partial<ConversationReference> | undefined;
      try {
        reference = (await this.deps.conversations.forUser(objectId)) ?? (await this.installFor(objectId));
      } catch (error) {
        // Teams will not let us in (app blocked by policy, not in the catalog, no such user): say so, and mail.
        if (!(error instanceof TeamsInstallError) || error.code === 'failed') throw error;
        return {
          kind: 'unreachable',
          reason: `Privacy Desk cannot be installed for this person (${error.code})`,
          mailed: await this.mailFallback(objectId, mailAbout),
        };
      }
      if (!reference) return { kind: 'unreachable', reason: 'no 1:1 conversation with the bot yet' };
      if (!this.deps.serviceUrls.allows(reference.serviceUrl)) return { kind: 'unreachable', reason: 'stored serviceUrl is not on the allow-list' };
      try {
        let activityId: string | undefined;
        await this.deps.adapter.continueConversationAsync(this.deps.appId, reference as ConversationReference, async (context) => {
          activityId = (await context.sendActivity(cardMessage(card, summary)))?.id;
        });
        if (activityId && onSent) await onSent(activityId);
        return { kind: 'sent' };
      } catch (error) {
        const failure = classifyTeamsError(error);
        if (failure === TeamsFailure.ConversationGone && attempt === 1) {
          await this.deps.conversations.forgetUser(objectId);
          continue;
        }
        if (failure === TeamsFailure.Refused || failure === TeamsFailure.ConversationGone) {
          return { kind: 'unreachable', reason: `Teams refused delivery (${describeError(error)})`, mailed: await this.mailFallback(objectId, mailAbout) };
        }
        throw error;
      }
    }
  }

  /**
   * Everyone in the channel sees the read-only card; Teams refreshes it for the admins listed, who
   * then see the actionable view (Universal Actions' user-specific views, at most 60 users).
   */
  private async withAdminView(card: AdaptiveCard, requestId: string): Promise<AdaptiveCard> {
    const userIds = ((await this.deps.adminUserIds?.()) ?? []).slice(0, MAX_REFRESH_USERS);
    if (userIds.length === 0) return card;
    return { ...card, refresh: { action: { type: 'Action.Execute', verb: CardVerb.View, data: { requestId } }, userIds } };
  }

  async postDigest(digest: Digest): Promise<DeliveryOutcome> {
    return this.sendToChannel(buildDigestCard(digest), `Privacy Desk digest for ${digest.date}`);
  }

  /**
   * One progress card per request and person, updated in place as the export moves on (Teams
   * replaces the card; nobody gets a message per step). The card shows the request as it is now.
   */
  private async progressCardFor(objectId: string, request: ExportRequest, card: AdaptiveCard, summary: string): Promise<DeliveryOutcome> {
    const existing = await this.deps.conversations.progressCard(request.id, objectId);
    const reference = await this.deps.conversations.forUser(objectId);
    if (existing && reference && this.deps.serviceUrls.allows(reference.serviceUrl)) {
      try {
        await this.deps.adapter.continueConversationAsync(this.deps.appId, reference as ConversationReference, async (context) => {
          await context.updateActivity({ ...cardMessage(card, summary), id: existing });
        });
        return { kind: 'sent' };
      } catch (error) {
        // The old card is gone (deleted, or the chat was reset): send a new one below.
        if (classifyTeamsError(error) === TeamsFailure.Transient) throw error;
      }
    }
    return this.sendToUser(objectId, card, summary, undefined, (activityId) => this.deps.conversations.rememberProgressCard(request.id, objectId, activityId));
  }

  /** Remembers a card that carries a link (and the package name the link reads), so a revoke can withdraw it in place. */
  private linkCardSent(request: ExportRequest, objectId: string): (activityId: string) => Promise<void> {
    return (activityId) => this.deps.conversations.rememberLinkCard(request.id, objectId, { activityId, blobName: request.package?.blobName ?? '' });
  }

  /**
   * After a revoke: every card whose link reads a package name the package no longer has is changed
   * in place to say the link was withdrawn (no download button) and what happens next. When such a
   * card cannot be changed (it is gone), or none is on record, one short notice says so instead.
   * Cards sent since the revoke carry a working link and are left alone.
   */
  private async withdrawLinkCards(objectId: string, request: ExportRequest): Promise<DeliveryOutcome> {
    const { conversations, serviceUrls, adapter, appId } = this.deps;
    const cards = await conversations.linkCards(request.id, objectId);
    const dead = cards.filter((c) => !c.withdrawn && c.blobName !== request.package?.blobName);
    if (cards.length > 0 && dead.length === 0) return { kind: 'skipped', reason: 'no card carries a revoked link' };
    const summary = `${request.reference}: the download link was withdrawn`;
    const card = buildLinkWithdrawnCard(request);
    let everyCardChanged = dead.length > 0;
    const reference = await conversations.forUser(objectId);
    if (reference && serviceUrls.allows(reference.serviceUrl)) {
      for (const { activityId } of dead) {
        try {
          await adapter.continueConversationAsync(appId, reference as ConversationReference, async (context) => {
            await context.updateActivity({ ...cardMessage(card, summary), id: activityId });
          });
        } catch (error) {
          // Gone (deleted, or the chat was reset): the notice below says it instead.
          if (classifyTeamsError(error) === TeamsFailure.Transient) throw error;
          everyCardChanged = false;
        }
      }
    } else {
      everyCardChanged = false;
    }
    if (!everyCardChanged) {
      const mailAbout = request.deliverTo === 'requester' ? undefined : request;
      const notice = await this.sendToUser(objectId, buildLinkWithdrawnNoticeCard(request), summary, mailAbout);
      if (notice.kind !== 'sent') return notice;
    }
    await conversations.markLinkCardsWithdrawn(
      request.id,
      objectId,
      dead.map((c) => c.activityId),
    );
    return { kind: 'sent' };
  }

  /** Installs Privacy Desk for someone who never opened it and remembers the 1:1 conversation. */
  private async installFor(objectId: string): Promise<Partial<ConversationReference> | undefined> {
    const reach = this.deps.reach;
    if (!reach?.installer) return undefined;
    const { chatId } = await reach.installer.ensureInstalledForUser(objectId);
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: reach.serviceUrl,
      bot: { id: `28:${this.deps.appId}`, name: 'Privacy Desk' },
      user: { id: objectId, aadObjectId: objectId, name: '' },
      conversation: { id: chatId, conversationType: 'personal', isGroup: false, name: '', ...(reach.tenantId ? { tenantId: reach.tenantId } : {}) },
    };
    await this.deps.conversations.rememberInstalled(objectId, reference);
    return reference;
  }

  private async mailFallback(objectId: string, request: ExportRequest | undefined): Promise<boolean> {
    const reach = this.deps.reach;
    if (!reach?.mailer || !request || objectId.toLowerCase() !== request.subject.objectId.toLowerCase()) return false;
    const address = request.subject.mail ?? request.subject.userPrincipalName;
    if (!(await this.deps.conversations.claimMailFallback(request.id, objectId, this.deps.clock.now()))) return false;
    await reach.mailer.send(mailFallbackMessage(request, address, reach.botChatLink));
    return true;
  }

  /**
   * Posts to the privacy team's channel. A request's first card starts a thread; every later update
   * about that request is a reply in it, so the channel reads one conversation per request.
   */
  private async sendToChannel(baseCard: AdaptiveCard, summary: string, requestId?: string): Promise<DeliveryOutcome> {
    const card = requestId ? await this.withAdminView(baseCard, requestId) : baseCard;
    const channel = await this.deps.conversations.notificationChannel();
    if (!channel) return { kind: 'skipped', reason: 'no notification channel set' };
    if (!this.deps.serviceUrls.allows(channel.serviceUrl)) return { kind: 'skipped', reason: 'channel serviceUrl is not on the allow-list' };
    const thread = requestId ? await this.deps.conversations.requestThread(channel.channelId, requestId) : undefined;
    if (thread) {
      try {
        const reference: Partial<ConversationReference> = {
          channelId: TEAMS_CHANNEL_ID,
          serviceUrl: channel.serviceUrl,
          bot: { id: this.deps.appId, name: 'Privacy Desk' },
          conversation: { id: thread, isGroup: true, conversationType: 'channel', name: '', ...(channel.tenantId ? { tenantId: channel.tenantId } : {}) },
        };
        await this.deps.adapter.continueConversationAsync(this.deps.appId, reference as ConversationReference, async (context) => {
          await context.sendActivity(cardMessage(card, summary));
        });
        return { kind: 'sent' };
      } catch (error) {
        // The thread is gone (deleted post): start a new one below.
        if (classifyTeamsError(error) === TeamsFailure.Transient) throw error;
      }
    }
    let started: string | undefined;
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
      async (context) => {
        started = context.activity.conversation?.id;
      },
    );
    if (requestId && started) await this.deps.conversations.rememberRequestThread(channel.channelId, requestId, started);
    return { kind: 'sent' };
  }
}
