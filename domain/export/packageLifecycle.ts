import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { Clock } from '../clock';
import { NotificationKind } from '../delivery/notification';
import type { Logger } from '../logger';
import type { AdminPolicy } from '../policy/adminPolicy';
import { Refusal, RefusalCode } from '../refusal';
import { AuditEventType, type AuditEvent } from '../requests/auditEvent';
import { amend, auditEvent, transition } from '../requests/changes';
import type { DeliveryRecipient, ExportRequest } from '../requests/exportRequest';
import { RequestEvent, RequestState, STATE_LABEL } from '../requests/lifecycle';
import { ConcurrencyConflict, type RequestStore } from '../requests/requestStore';
import { KEPT_FILES_ROOT, revokedPackageBlobName } from './packageLayout';
import type { DownloadLink, PackageStore } from './packageStore';

const RETENTION_BATCH = 10;
const HOLDS_PACKAGE: readonly string[] = [RequestState.Ready, RequestState.Delivered, RequestState.Completed];
/** States in which an export may still run (again): kept source files are wanted only then. */
const MAY_EXPORT: readonly string[] = [RequestState.Confirmed, RequestState.Exporting, RequestState.Failed];

/**
 * Where the download links sent so far for a request stand, read from its audit trail: a link was
 * sent when `link.issued` was written, and every link sent before a `link.revoked` reads a name the
 * package no longer has. What a reissue may truthfully say about the links that came before it.
 */
export interface EarlierLinks {
  /** Links sent before the last revoke: they no longer work (their cards say they were withdrawn). */
  readonly withdrawn: number;
  /** When links were last revoked, if ever. */
  readonly revokedAt?: Date;
  /** Links sent since the last revoke (or ever, without one) that have not expired: they still work. */
  readonly working: number;
  /** When the last working link stops working: its expiry, or the package's deletion if that comes first. */
  readonly workUntil?: Date;
  /** Why they stop then. */
  readonly stopsBecause?: 'expiry' | 'retention';
  /** Links sent since the last revoke that have expired. */
  readonly expired: number;
}

/** See EarlierLinks. `packageDeletedAt`: when retention deletes the package (every link dies then). */
export function earlierLinks(trail: readonly AuditEvent[], now: Date, packageDeletedAt?: Date): EarlierLinks {
  let withdrawn = 0;
  let revokedAt: Date | undefined;
  let sinceRevoke: Date[] = [];
  for (const event of trail) {
    if (event.type === AuditEventType.LinksRevoked) {
      withdrawn += sinceRevoke.length;
      sinceRevoke = [];
      revokedAt = new Date(event.at);
    } else if (event.type === AuditEventType.LinkIssued && typeof event.detail.expiresAt === 'string') {
      sinceRevoke.push(new Date(event.detail.expiresAt));
    }
  }
  const alive = sinceRevoke.filter((expiresAt) => expiresAt.getTime() > now.getTime());
  const expired = sinceRevoke.length - alive.length;
  const base = { withdrawn, ...(revokedAt ? { revokedAt } : {}), expired };
  if (alive.length === 0) return { ...base, working: 0 };
  const lastExpiry = new Date(Math.max(...alive.map((d) => d.getTime())));
  const deletedFirst = packageDeletedAt !== undefined && packageDeletedAt.getTime() < lastExpiry.getTime();
  return { ...base, working: alive.length, workUntil: deletedFirst ? packageDeletedAt : lastExpiry, stopsBecause: deletedFirst ? 'retention' : 'expiry' };
}

/** What a reissue did: the fresh link is queued; `earlier` says where the links sent before it stand. */
export interface Reissued {
  readonly request: ExportRequest;
  readonly earlier: EarlierLinks;
}

/** What a revoke did, and what the person holding the links is told. */
export interface Revoked {
  readonly request: ExportRequest;
  /** Who received the links: the subject, or the filing admin when the package goes to them. */
  readonly recipient: DeliveryRecipient;
  /**
   * A link had reached them since the last revoke, so their download cards are being changed in
   * place to say it was withdrawn (LinksWithdrawn, queued with the revoke). False: no link had reached
   * them since (none sent yet, or all withdrawn already) and they are told nothing.
   */
  readonly recipientTold: boolean;
}

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

  /**
   * Queues a fresh link to the package for whoever receives it; nothing is exported again. Says where
   * the links sent before it stand (still working until when, withdrawn by a revoke, or expired).
   */
  async reissue(actor: Actor, reference: string): Promise<Reissued> {
    const request = await this.requireHeldPackage(actor, reference, 'reissue a link', [RequestState.Delivered, RequestState.Completed]);
    const now = this.deps.clock.now();
    const earlier = earlierLinks(await this.deps.store.auditTrail(request.id), now, this.deletionOf(request));
    await this.deps.store.update(
      amend(request, {}, [auditEvent(request.id, actor, AuditEventType.ReissueRequested, now, {})], now, [
        { requestId: request.id, kind: NotificationKind.LinkReissued, recipientId: recipientIdOf(request) },
      ]),
    );
    return { request, earlier };
  }

  /**
   * How long the recipient's download link still works, when it does: the tab offers its Download
   * button only then. Undefined for anyone but the recipient, or when no link works.
   */
  async workingLinkFor(actor: Actor, request: ExportRequest): Promise<Date | undefined> {
    if (!request.package || recipientIdOf(request).toLowerCase() !== actor.objectId.toLowerCase()) return undefined;
    if (request.state !== RequestState.Delivered && request.state !== RequestState.Completed) return undefined;
    return earlierLinks(await this.deps.store.auditTrail(request.id), this.deps.clock.now(), this.deletionOf(request)).workUntil;
  }

  /**
   * A fresh link for the recipient while one sent to them still works (the tab's Download button), ending
   * when that one ends: it gives no more time than the recipient already has, and it is audited as every
   * link is (link.issued), so revoke, reissue and retention count it. Refused once no link works.
   */
  async freshLinkForRecipient(actor: Actor, request: ExportRequest): Promise<DownloadLink> {
    const { store, packages, clock } = this.deps;
    const refuse = async (sentence: string): Promise<never> => {
      await store.appendAudit(
        auditEvent(request.id, actor, AuditEventType.Refused, clock.now(), { code: RefusalCode.NotAllowed, action: 'download from the tab' }),
      );
      throw new Refusal(RefusalCode.NotAllowed, sentence, request.id);
    };
    if (recipientIdOf(request).toLowerCase() !== actor.objectId.toLowerCase()) {
      return refuse(`Only the person ${request.reference}'s package was sent to can download it here. Nothing was changed.`);
    }
    const until = await this.workingLinkFor(actor, request);
    if (!until || !request.package) return refuse(`No download link for ${request.reference} works now. Ask your privacy team to send you a fresh one.`);
    const now = clock.now();
    // Recorded first, as a versioned change: a revoke that moved the package since this request was read
    // makes it fail, and a revoke after it counts this link among those it withdrew.
    try {
      await store.update(
        amend(
          request,
          {},
          [auditEvent(request.id, actor, AuditEventType.LinkIssued, now, { recipient: request.deliverTo, expiresAt: until.toISOString(), via: 'tab' })],
          now,
        ),
      );
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
      return refuse(`${request.reference} changed just now. Open it again to see whether a link works.`);
    }
    return packages.createReadLink(request.package.blobName, until);
  }

  /**
   * Every link issued so far stops working: the package moves to a new, unguessable name. When a link
   * had reached someone since the last revoke, the same write queues LinksWithdrawn: their download
   * cards are changed in place to say the link was withdrawn and what happens next.
   */
  async revoke(actor: Actor, reference: string): Promise<Revoked> {
    const request = await this.requireHeldPackage(actor, reference, 'revoke links', HOLDS_PACKAGE);
    const from = request.package!.blobName;
    const to = revokedPackageBlobName(request.id, request.reference, randomUUID());
    await this.deps.packages.move(from, to);
    for (let current = request; ;) {
      const now = this.deps.clock.now();
      const links = earlierLinks(await this.deps.store.auditTrail(current.id), now);
      const recipientTold = links.working + links.expired > 0;
      const withdrawal = recipientTold ? [{ requestId: current.id, kind: NotificationKind.LinksWithdrawn, recipientId: recipientIdOf(current) }] : [];
      try {
        const change = amend(
          current,
          { package: { ...current.package!, blobName: to } },
          [auditEvent(current.id, actor, AuditEventType.LinksRevoked, now, { recipientTold })],
          now,
          withdrawal,
        );
        await this.deps.store.update(change);
        return { request: change.request, recipient: current.deliverTo, recipientTold };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
        current = (await this.deps.store.get(request.id))!;
      }
    }
  }

  /** When retention deletes this request's package. */
  private deletionOf(request: ExportRequest): Date | undefined {
    if (!request.package) return undefined;
    return new Date(Date.parse(request.package.generatedAt) + this.deps.retentionMs);
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
            extraAudit: [
              auditEvent(current.id, SYSTEM_ACTOR, AuditEventType.PackageDeleted, now, {
                blobName: request.package!.blobName,
                generatedAt: request.package!.generatedAt,
              }),
            ],
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
      await this.deps.store.appendAudit(
        auditEvent(request.id, actor, AuditEventType.Refused, this.deps.clock.now(), { code: RefusalCode.NotAllowed, action: what }),
      );
      throw new Refusal(
        RefusalCode.NotAllowed,
        `${request.reference} has no package to ${what === 'revoke links' ? 'revoke links to' : 'send again'} (it is: ${STATE_LABEL[request.state]}). Nothing was changed.`,
        request.id,
      );
    }
    return request;
  }
}

/** Whoever receives the download links: the subject, or the filing admin when the package goes to them. */
function recipientIdOf(request: ExportRequest): string {
  return request.deliverTo === 'requester' ? request.requesterId : request.subject.objectId;
}
