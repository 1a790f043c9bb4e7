import { SYSTEM_ACTOR } from '../actor';
import type { Clock } from '../clock';
import type { PackageStore } from '../export/packageStore';
import type { Logger } from '../logger';
import { AuditEventType } from '../requests/auditEvent';
import { amend, auditEvent, transition } from '../requests/changes';
import { RequestEvent, RequestState } from '../requests/lifecycle';
import { ConcurrencyConflict, type ClaimedNotification, type RequestStore } from '../requests/requestStore';
import type { Messenger } from './messenger';
import { NotificationKind, RequestMoment, type Notification } from './notification';
import type { ExportRequest } from '../requests/exportRequest';

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

/**
 * Drains the outbox: every message a change owed is sent here, at least once and, for the download
 * link, tied to the ready → delivered transition so a link goes out for a request exactly when it
 * is recorded as delivered.
 */
export class NotificationDispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /** Sends what is due; returns how many notifications were handled. */
  async runOnce(): Promise<number> {
    const { store, clock, owner, leaseMs, batchSize } = this.options;
    const now = clock.now();
    const claimed = await store.claimNotifications(owner, now, new Date(now.getTime() + leaseMs), batchSize);
    for (const item of claimed) await this.handle(item);
    return claimed.length;
  }

  private async handle({ notification, attempts }: ClaimedNotification): Promise<void> {
    const { store, messenger, clock, logger, owner } = this.options;
    const log = { notificationId: notification.id, requestId: notification.requestId, kind: notification.kind };
    try {
      const request = await store.get(notification.requestId);
      if (!request) return await store.completeNotification(notification.id, owner, 'request_missing');
      if (notification.kind === NotificationKind.PackageReady) {
        if (request.state !== RequestState.Ready || !request.package) {
          return await store.completeNotification(notification.id, owner, `stale:${request.state}`);
        }
        const link = await this.options.packages.createReadLink(request.package.blobName, new Date(clock.now().getTime() + this.options.linkLifetimeMs));
        const outcome = await messenger.deliver(notification, request, link);
        if (outcome.kind === 'unreachable') {
          if (outcome.mailed) await this.recordMailFallback(request.id);
          return await this.deferUnreachable(notification.id, outcome.reason, log);
        }
        const now = clock.now();
        const delivered = transition(request, RequestEvent.Deliver, SYSTEM_ACTOR, now, {
          detail: { linkExpiresAt: link.expiresAt.toISOString() },
          extraAudit: [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.LinkIssued, now, { recipient: request.deliverTo, expiresAt: link.expiresAt.toISOString() })],
          notifications: [
            { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Delivered },
            ...(request.selfService || request.deliverTo === 'requester'
              ? []
              : [{ requestId: request.id, kind: NotificationKind.RequesterUpdate, moment: RequestMoment.Delivered, recipientId: request.requesterId }]),
          ],
        });
        await store.update(delivered).catch((error) => {
          if (!(error instanceof ConcurrencyConflict)) throw error;
        });
        await store.completeNotification(notification.id, owner, 'sent');
        logger.info(log, 'download link delivered');
        return;
      }
      if (notification.kind === NotificationKind.LinkReissued) return await this.reissueLink(notification, request, log);
      const outcome = await messenger.deliver(notification, request);
      if (outcome.kind === 'unreachable') {
        if (outcome.mailed) await this.recordMailFallback(request.id);
        return await this.deferUnreachable(notification.id, outcome.reason, log);
      }
      await store.completeNotification(notification.id, owner, outcome.kind === 'sent' ? 'sent' : `skipped:${outcome.reason}`);
      if (outcome.kind === 'sent') {
        await store.appendAudit(auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.NotificationSent, clock.now(), { kind: notification.kind, moment: notification.moment ?? null }));
      }
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

  /** A fresh link to a package already delivered: no change of state, one audit line. */
  private async reissueLink(notification: Notification, request: ExportRequest, log: Record<string, unknown>): Promise<void> {
    const { store, messenger, clock, owner } = this.options;
    if (!request.package || (request.state !== RequestState.Delivered && request.state !== RequestState.Completed)) {
      return store.completeNotification(notification.id, owner, `stale:${request.state}`);
    }
    const link = await this.options.packages.createReadLink(request.package.blobName, new Date(clock.now().getTime() + this.options.linkLifetimeMs));
    const outcome = await messenger.deliver(notification, request, link);
    if (outcome.kind === 'unreachable') return this.deferUnreachable(notification.id, outcome.reason, log);
    await store.appendAudit(auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.LinkIssued, clock.now(), { recipient: request.deliverTo, expiresAt: link.expiresAt.toISOString(), reissue: true }));
    await store.completeNotification(notification.id, owner, 'sent');
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

  private async deferUnreachable(id: string, reason: string, log: Record<string, unknown>): Promise<void> {
    this.options.logger.info({ ...log, reason }, 'recipient not reachable yet; waiting for them to open a chat');
    await this.options.store.deferNotification(id, this.options.owner, new Date(this.options.clock.now().getTime() + this.options.unreachableRetryMs), reason);
  }
}
