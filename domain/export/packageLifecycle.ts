import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { Clock } from '../clock';
import { NotificationKind } from '../delivery/notification';
import type { Logger } from '../logger';
import type { AdminPolicy } from '../policy/adminPolicy';
import { Refusal, RefusalCode } from '../refusal';
import { AuditEventType } from '../requests/auditEvent';
import { amend, auditEvent, transition } from '../requests/changes';
import type { ExportRequest } from '../requests/exportRequest';
import { RequestEvent, RequestState, STATE_LABEL } from '../requests/lifecycle';
import { ConcurrencyConflict, type RequestStore } from '../requests/requestStore';
import { KEPT_FILES_ROOT, revokedPackageBlobName } from './packageLayout';
import type { PackageStore } from './packageStore';

const RETENTION_BATCH = 10;
const HOLDS_PACKAGE: readonly string[] = [RequestState.Ready, RequestState.Delivered, RequestState.Completed];
/** States in which an export may still run (again): kept source files are wanted only then. */
const MAY_EXPORT: readonly string[] = [RequestState.Confirmed, RequestState.Exporting, RequestState.Failed];

/**
 * The life of a package after it is written: a fresh link without exporting again (reissue),
 * making every existing link stop working (revoke), and deletion after the retention period — each
 * audited; the request and its trail stay.
 */
export class PackageLifecycle {
  constructor(
    private readonly deps: {
      readonly store: RequestStore;
      readonly packages: PackageStore;
      readonly admins: AdminPolicy;
      readonly clock: Clock;
      readonly logger: Logger;
      /** How long a package is kept after it was generated. */
      readonly retentionMs: number;
    },
  ) {}

  /** Queues a fresh link to the package for whoever receives it; nothing is exported again. */
  async reissue(actor: Actor, reference: string): Promise<ExportRequest> {
    const request = await this.requireHeldPackage(actor, reference, 'reissue a link', [RequestState.Delivered, RequestState.Completed]);
    const now = this.deps.clock.now();
    const recipientId = request.deliverTo === 'requester' ? request.requesterId : request.subject.objectId;
    await this.deps.store.update(
      amend(request, {}, [auditEvent(request.id, actor, AuditEventType.ReissueRequested, now, {})], now, [
        { requestId: request.id, kind: NotificationKind.LinkReissued, recipientId },
      ]),
    );
    return request;
  }

  /** Every link issued so far stops working: the package moves to a new, unguessable name. */
  async revoke(actor: Actor, reference: string): Promise<ExportRequest> {
    const request = await this.requireHeldPackage(actor, reference, 'revoke links', HOLDS_PACKAGE);
    const from = request.package!.blobName;
    const to = revokedPackageBlobName(request.id, request.reference, randomUUID());
    await this.deps.packages.move(from, to);
    for (let current = request; ; ) {
      const now = this.deps.clock.now();
      try {
        const change = amend(current, { package: { ...current.package!, blobName: to } }, [auditEvent(current.id, actor, AuditEventType.LinksRevoked, now, {})], now);
        await this.deps.store.update(change);
        return change.request;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
        current = (await this.deps.store.get(request.id))!;
      }
    }
  }

  /** Deletes packages past retention (one batch); the requests move to completed, then purged. */
  async runOnce(): Promise<number> {
    const { store, packages, clock, logger, retentionMs } = this.deps;
    const cutoff = new Date(clock.now().getTime() - retentionMs);
    const due = await store.listPackagesGeneratedBefore(cutoff, RETENTION_BATCH);
    for (const request of due) {
      try {
        await packages.delete(request.package!.blobName);
        let current = request;
        const now = clock.now();
        if (current.state === RequestState.Delivered) {
          const completed = transition(current, RequestEvent.Complete, SYSTEM_ACTOR, now, { detail: { reason: 'retention' } });
          await store.update(completed);
          current = completed.request;
        }
        await store.update(
          transition(current, RequestEvent.Purge, SYSTEM_ACTOR, now, {
            patch: { package: undefined },
            extraAudit: [auditEvent(current.id, SYSTEM_ACTOR, AuditEventType.PackageDeleted, now, { blobName: request.package!.blobName, generatedAt: request.package!.generatedAt })],
          }),
        );
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
        // Another instance is purging the same request: it will finish it.
      }
    }
    if (due.length) logger.info({ purged: due.length }, 'packages past retention deleted');
    await this.dropUnwantedKeptFiles();
    return due.length;
  }

  /**
   * Kept source files (docs/decisions/0008) are only wanted while an export may still run: those of
   * a request that was cancelled after failing, or that a crash left after the package was stored,
   * are deleted here.
   */
  private async dropUnwantedKeptFiles(): Promise<void> {
    const { store, packages, logger } = this.deps;
    const byRequest = new Map<string, string[]>();
    for (const name of await packages.list(KEPT_FILES_ROOT)) {
      const requestId = name.slice(KEPT_FILES_ROOT.length).split('/')[0]!;
      byRequest.set(requestId, [...(byRequest.get(requestId) ?? []), name]);
    }
    for (const [requestId, names] of byRequest) {
      const request = await store.get(requestId);
      if (request && MAY_EXPORT.includes(request.state)) continue;
      for (const name of names) await packages.delete(name);
      logger.info({ requestId, files: names.length }, 'kept source files no longer needed were deleted');
    }
  }

  private async requireHeldPackage(actor: Actor, reference: string, what: string, states: readonly string[]): Promise<ExportRequest> {
    if (!(await this.deps.admins.isAdmin(actor.objectId))) {
      throw new Refusal(RefusalCode.NotAnAdmin, `Only privacy admins can ${what}.`);
    }
    const request = await this.deps.store.getByReference(reference);
    if (!request) throw new Refusal(RefusalCode.UnknownRequest, `I can't find a request ${reference}.`);
    if (!request.package || !states.includes(request.state)) {
      await this.deps.store.appendAudit(auditEvent(request.id, actor, AuditEventType.Refused, this.deps.clock.now(), { code: RefusalCode.NotAllowed, action: what }));
      throw new Refusal(
        RefusalCode.NotAllowed,
        `${request.reference} has no package to ${what === 'revoke links' ? 'revoke links to' : 'send again'} (it is: ${STATE_LABEL[request.state]}). Nothing was changed.`,
        request.id,
      );
    }
    return request;
  }
}
