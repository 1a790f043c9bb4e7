import { SYSTEM_ACTOR } from '../actor';
import type { Clock } from '../clock';
import type { PackageStore } from '../export/packageStore';
import type { Logger } from '../logger';
import { AuditEventType } from '../requests/auditEvent';
import { amend, auditEvent, transition } from '../requests/changes';
import { RequestEvent, RequestState } from '../requests/lifecycle';
import { ConcurrencyConflict, type ClaimedNotification, type RequestStore, type StoredLink } from '../requests/requestStore';
import type { DeliveryOutcome, Messenger } from './messenger';
import { NotificationKind, RequestMoment } from './notification';
import type { ExportRequest } from '../requests/exportRequest';
import type { DownloadLink } from '../export/packageStore';

export interface DispatcherOptions {
  readonly store: RequestStore;
  readonly messenger: Messenger;
  readonly packages: PackageStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly owner: string;
  readonly leaseMs: number;
  readonly batchSize: number;
  /** How long a download link works once sent. */
  readonly linkLifetimeMs: number;
  /** First retry delay after a failed send; doubles per attempt up to maxRetryDelayMs. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** After this many failed sends a notification is given up (and audited). */
  readonly maxAttempts: number;
  /** How long to wait before trying a person who cannot be reached yet (woken early when they appear). */
  readonly unreachableRetryMs: number;
}

/** What one attempt at a link-carrying message did. */
interface LinkDelivery {
  readonly outcome: DeliveryOutcome;
  readonly link: StoredLink;
  /** The link was made by this attempt (none stored, or the stored one no longer works). */
  readonly minted: boolean;
}

/** The stored link, if a repeat may carry it: it still reads this package, and has not expired. */
function reusableLink(link: StoredLink | undefined, blobName: string, now: Date): StoredLink | undefined {
  if (!link || link.blobName !== blobName) return undefined;
  return Date.parse(link.expiresAt) > now.getTime() ? link : undefined;
}

function storedLink(link: DownloadLink, blobName: string): StoredLink {
  return { url: link.url, expiresAt: link.expiresAt.toISOString(), blobName };
}

function downloadLink(link: StoredLink): DownloadLink {
  return { url: link.url, expiresAt: new Date(link.expiresAt) };
}

/**
 * Drains the outbox: every message a change owed is sent here, at least once and, for the download
 * link, tied to the ready → delivered transition so a link goes out for a request exactly when it
 * is recorded as delivered. A message that may have gone out already (the process died before the
 * Connector's answer was recorded) is sent again unchanged — the same link — and audited as a repeat
 * (docs/decisions/0010).
 */
export class NotificationDispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /** Sends what is due; returns how many notifications were handled. */
  async runOnce(): Promise<number> {
    const { store, clock, owner, leaseMs, batchSize } = this.options;
    const now = clock.now();
    const claimed = await store.claimNotifications(owner, now, leaseMs, batchSize);
    for (const item of claimed) await this.handle(item);
    return claimed.length;
  }

  private async handle(claimed: ClaimedNotification): Promise<void> {
    const { notification, attempts } = claimed;
    const { store, messenger, clock, logger, owner, leaseMs } = this.options;
    const log = { notificationId: notification.id, requestId: notification.requestId, kind: notification.kind };
    // The batch's lease began when it was claimed; each message gets a full lease as it is sent, or
    // is left alone once its lease ran out, for whichever instance takes it next.
    if (!(await store.renewNotificationLease(notification.id, owner, clock.now(), leaseMs))) {
      logger.warn(log, 'lease ran out before sending; leaving it to the next claim');
      return;
    }
    try {
      const request = await store.get(notification.requestId);
      if (!request) {
        await store.completeNotification(notification.id, owner, 'request_missing');
        return;
      }
      if (notification.kind === NotificationKind.PackageReady) return await this.deliverPackage(claimed, request, log);
      if (notification.kind === NotificationKind.LinkReissued) return await this.reissueLink(claimed, request, log);
      const outcome = await messenger.deliver(notification, request);
      if (outcome.kind === 'unreachable') {
        if (outcome.mailed) await this.recordMailFallback(request.id);
        return await this.deferUnreachable(notification.id, outcome.reason, log);
      }
      // The audit line goes with the completion, in one write, and only for the instance that holds the notification.
      const sentAudit =
        outcome.kind === 'sent'
          ? [
              auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.NotificationSent, clock.now(), {
                kind: notification.kind,
                moment: notification.moment ?? null,
              }),
            ]
          : [];
      await store.completeNotification(notification.id, owner, outcome.kind === 'sent' ? 'sent' : `skipped:${outcome.reason}`, sentAudit);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (attempts >= this.options.maxAttempts) {
        logger.error({ ...log, attempts, reason }, 'notification given up');
        await store.completeNotification(notification.id, owner, `gave_up:${reason}`.slice(0, 500));
        return;
      }
      const delay = Math.min(this.options.retryDelayMs * 2 ** (attempts - 1), this.options.maxRetryDelayMs);
      logger.warn({ ...log, attempts, reason, retryInMs: delay }, 'notification failed; will retry');
      await store.deferNotification(notification.id, owner, new Date(clock.now().getTime() + delay), reason.slice(0, 500));
    }
  }

  /** The download link for a ready package: sending it is what moves the request to delivered. */
  private async deliverPackage(claimed: ClaimedNotification, request: ExportRequest, log: Record<string, unknown>): Promise<void> {
    const { store, logger, owner } = this.options;
    const { notification } = claimed;
    if (request.state !== RequestState.Ready || !request.package) {
      await store.completeNotification(notification.id, owner, `stale:${request.state}`);
      return;
    }
    const sent = await this.sendWithLink(claimed, request, request.package.blobName, log);
    if (!sent) return;
    const { outcome, link } = sent;
    if (outcome.kind === 'unreachable') {
      if (outcome.mailed) await this.recordMailFallback(request.id);
      return this.deferUnreachable(notification.id, outcome.reason, log, sent.minted);
    }
    await this.recordDelivered(request, request.package.blobName, link.expiresAt);
    await store.completeNotification(notification.id, owner, 'sent');
    logger.info(log, 'download link delivered');
  }

  /**
   * ready → delivered, with the link's audit line. Versioned: another write may land first (a pause,
   * an answer, an assignment — or a second attempt that also reached the person when a lease ran out
   * mid-send). The transition is read again and retried while the request is still ready with the
   * same package; once someone recorded the delivery, or the package changed, there is nothing to do.
   */
  private async recordDelivered(sent: ExportRequest, blobName: string, linkExpiresAt: string): Promise<void> {
    const { store, clock } = this.options;
    for (
      let request: ExportRequest | undefined = sent;
      request?.state === RequestState.Ready && request.package?.blobName === blobName;
      request = await store.get(sent.id)
    ) {
      const now = clock.now();
      const delivered = transition(request, RequestEvent.Deliver, SYSTEM_ACTOR, now, {
        detail: { linkExpiresAt },
        extraAudit: [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.LinkIssued, now, { recipient: request.deliverTo, expiresAt: linkExpiresAt })],
        notifications: [
          { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Delivered },
          ...(request.selfService || request.deliverTo === 'requester'
            ? []
            : [{ requestId: request.id, kind: NotificationKind.RequesterUpdate, moment: RequestMoment.Delivered, recipientId: request.requesterId }]),
        ],
      });
      try {
        await store.update(delivered);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
      }
    }
  }

  /** A fresh link to a package already delivered: no change of state, one audit line. */
  private async reissueLink(claimed: ClaimedNotification, request: ExportRequest, log: Record<string, unknown>): Promise<void> {
    const { store, owner, clock } = this.options;
    const { notification } = claimed;
    if (!request.package || (request.state !== RequestState.Delivered && request.state !== RequestState.Completed)) {
      await store.completeNotification(notification.id, owner, `stale:${request.state}`);
      return;
    }
    const sent = await this.sendWithLink(claimed, request, request.package.blobName, log);
    if (!sent) return;
    if (sent.outcome.kind === 'unreachable') return this.deferUnreachable(notification.id, sent.outcome.reason, log, sent.minted);
    // One write, and only for the attempt still holding the notification: one LinkIssued per link.
    const issued = auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.LinkIssued, clock.now(), {
      recipient: request.deliverTo,
      expiresAt: sent.link.expiresAt,
      reissue: true,
    });
    await store.completeNotification(notification.id, owner, 'sent', [issued]);
  }

  /**
   * Sends a message carrying a link to `blobName` such that every attempt that may reach the person
   * carries the same link: a link an earlier attempt stored is sent again while it still works, and
   * a new one is stored before it is sent. When an earlier attempt began sending and never recorded
   * how it ended, this one is audited as a repeat in that same write. Undefined, having sent
   * nothing, when the notification was taken over by another instance.
   */
  private async sendWithLink(
    claimed: ClaimedNotification,
    request: ExportRequest,
    blobName: string,
    log: Record<string, unknown>,
  ): Promise<LinkDelivery | undefined> {
    const { store, messenger, packages, clock, logger, owner, linkLifetimeMs } = this.options;
    const { notification, attempts, unsettledAttempt } = claimed;
    const now = clock.now();
    const kept = reusableLink(claimed.content?.link, blobName, now);
    const link = kept ?? storedLink(await packages.createReadLink(blobName, new Date(now.getTime() + linkLifetimeMs)), blobName);
    const repeat =
      unsettledAttempt === undefined
        ? []
        : [
            auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.DeliveryRepeated, now, {
              kind: notification.kind,
              attempt: attempts,
              earlierAttempt: unsettledAttempt,
              earlierOutcome: 'unknown',
              sameLink: kept !== undefined,
              linkExpiresAt: link.expiresAt,
            }),
          ];
    if (!(await store.beginNotificationSend(notification.id, owner, { ...claimed.content, link }, repeat))) {
      logger.info(log, 'another instance took this notification over; not sending');
      return undefined;
    }
    if (unsettledAttempt !== undefined)
      logger.warn({ ...log, attempt: attempts, earlierAttempt: unsettledAttempt }, 'sending again: an earlier attempt may have delivered this message');
    const outcome = await messenger.deliver(notification, request, downloadLink(link));
    return { outcome, link, minted: kept === undefined };
  }

  /** Tells the filing admin and the channel, once, that the subject was reached by mail instead of Teams. */
  private async recordMailFallback(requestId: string): Promise<void> {
    const { store, clock } = this.options;
    const request = await store.get(requestId);
    if (!request) return;
    const now = clock.now();
    const moment = RequestMoment.ReachedByMail;
    await store
      .update(
        amend(request, {}, [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.ReachedByMail, now, {})], now, [
          { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment },
          ...(request.selfService ? [] : [{ requestId: request.id, kind: NotificationKind.RequesterUpdate, moment, recipientId: request.requesterId }]),
        ]),
      )
      .catch((error) => {
        if (!(error instanceof ConcurrencyConflict)) throw error;
      });
  }

  /**
   * `linkMintedNow`: the link this attempt stored was made by it, and Teams did not take the message,
   * so nobody has seen it — it is dropped, and the person gets a link with its whole lifetime when
   * they can be reached. A link an earlier attempt stored may have been seen, and is kept.
   */
  private async deferUnreachable(id: string, reason: string, log: Record<string, unknown>, linkMintedNow = false): Promise<void> {
    this.options.logger.info({ ...log, reason }, 'recipient not reachable yet; waiting for them to open a chat');
    const notBefore = new Date(this.options.clock.now().getTime() + this.options.unreachableRetryMs);
    await this.options.store.deferNotification(id, this.options.owner, notBefore, reason, { discardContent: linkMintedNow });
  }
}
