import { SYSTEM_ACTOR } from '../actor';
import type { Clock } from '../clock';
import { NotificationKind, RequestMoment } from '../delivery/notification';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../logger';
import { AuditEventType } from '../requests/auditEvent';
import { amend, auditEvent, transition } from '../requests/changes';
import type { ExportRequest, KeptFile, KeptSource } from '../requests/exportRequest';
import { RequestEvent, RequestState } from '../requests/lifecycle';
import { ConcurrencyConflict, type RequestChange, type RequestStore } from '../requests/requestStore';
import type { ControllerDetails } from './coverLetter';
import { asSourceFailure, SourceFailure, type DataSource, type SourceCheckpoint } from './dataSource';
import { keptFileBlobName, keptFilesPrefix, packageBlobName } from './packageLayout';
import type { PackageStore } from './packageStore';
import { keptFile, writePackage, type GatheredSource } from './packageWriter';

export interface ExportWorkerOptions {
  readonly store: RequestStore;
  readonly packages: PackageStore;
  readonly sources: readonly DataSource[];
  readonly controller: ControllerDetails;
  /** The tenant's IANA time zone: the letter's dates are the days people there lived them. */
  readonly timeZone: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Identifies this process in leases; two instances must differ. */
  readonly owner: string;
  /** How long a claim lasts without renewal; a crashed worker's export resumes after this. */
  readonly leaseMs: number;
  /** Attempts before a request is marked failed. */
  readonly maxAttempts: number;
  /** Wait before the next attempt after a failed one (multiplied by the attempt number). */
  readonly retryDelayMs: number;
}

/** A source's own errors become a SourceFailure naming it, in our words where it gave none. */
async function readingSource<T>(sourceId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asSourceFailure(sourceId, error, undefined, 'the source could not prepare its data');
  }
}

function progressNotice(request: ExportRequest) {
  return { requestId: request.id, kind: NotificationKind.Progress, recipientId: request.requesterId } as const;
}

/**
 * Runs export jobs: claims one request that needs exporting, writes its package, and records the
 * outcome. Claims are leases, renewed while the export runs, so a crash anywhere leaves the request
 * to be resumed by whichever instance claims it next. Each attempt writes its own blob and only the
 * attempt that wins the final versioned write keeps its package: never two packages, never two links.
 */
export class ExportWorker {
  constructor(private readonly options: ExportWorkerOptions) {}

  /** Runs at most one export; true if one was claimed. */
  async runOnce(): Promise<boolean> {
    const { store, clock, owner, leaseMs } = this.options;
    const claimed = await store.claimExport(owner, clock.now(), leaseMs);
    if (!claimed) return false;
    let keepLease = false;
    try {
      const started = await this.start(claimed);
      if (started) keepLease = await this.export(started);
    } finally {
      if (!keepLease) await store.releaseExportLease(claimed.id, owner);
    }
    return true;
  }

  private async start(request: ExportRequest): Promise<ExportRequest | undefined> {
    // Checking on a source that is still preparing is not a new attempt: nothing to record yet.
    if (request.state === RequestState.Exporting && request.waiting) return request;
    const now = this.options.clock.now();
    const attempt = request.exportAttempts + 1;
    const change: RequestChange =
      request.state === RequestState.Confirmed
        ? transition(request, RequestEvent.StartExport, SYSTEM_ACTOR, now, {
            patch: { exportAttempts: attempt },
            detail: { attempt },
            extraAudit: [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.ExportStarted, now, { attempt })],
          })
        : amend(request, { exportAttempts: attempt }, [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.ExportResumed, now, { attempt })], now);
    try {
      await this.options.store.update(change);
      return change.request;
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return undefined;
      throw error;
    }
  }

  /** Returns true when the lease must be kept (as a back-off before the next attempt). */
  private async export(claimed: ExportRequest): Promise<boolean> {
    let request = claimed;
    const { store, packages, clock, logger, owner, leaseMs } = this.options;
    const blobName = packageBlobName(request.id, request.reference, request.exportAttempts);
    // Opened here so that a failure abandons this very upload (and waits for its blocks on their way).
    const upload = packages.openBlockUpload(blobName);
    const abort = new AbortController();
    const heartbeat = setInterval(
      () => {
        store
          .renewExportLease(request.id, owner, clock.now(), leaseMs)
          .then((held) => held || abort.abort(new Error('export lease lost')))
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      const prepared = await this.prepareSources(request, abort.signal);
      if (prepared.kind === 'waiting') return true;
      request = await this.keptStillStored(prepared.request);
      logger.info({ requestId: request.id, attempt: request.exportAttempts }, 'export started');
      await this.abandonEarlierAttempts(request);
      const summary = await writePackage(
        {
          request,
          sources: this.options.sources,
          controller: this.options.controller,
          timeZone: this.options.timeZone,
          generatedAt: clock.now(),
          signal: abort.signal,
          onProgress: async ({ done, total }) => {
            if (done === total) return; // "ready" says the rest
            request = await this.recordProgress(request, `${done} of ${total} sources gathered`);
          },
          ...(request.keptSources ? { kept: request.keptSources } : {}),
          readKept: (keptBlobName) => packages.openRead(keptBlobName),
          keepOnFailure: async (gathered) => {
            request = await this.keepGathered(request, gathered);
          },
        },
        upload,
      );
      const now = clock.now();
      const change = transition(request, RequestEvent.ExportSucceeded, SYSTEM_ACTOR, now, {
        patch: {
          package: {
            blobName,
            sizeBytes: summary.sizeBytes,
            sha256: summary.sha256,
            fileCount: summary.manifest.files.length + 1,
            generatedAt: summary.manifest.generatedAt,
          },
          progress: undefined,
          keptSources: undefined,
        },
        extraAudit: [
          auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.PackageWritten, now, { blobName, sizeBytes: summary.sizeBytes, sha256: summary.sha256 }),
        ],
        notifications: [
          {
            requestId: request.id,
            kind: NotificationKind.PackageReady,
            recipientId: request.deliverTo === 'requester' ? request.requesterId : request.subject.objectId,
          },
          { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Ready },
        ],
      });
      await store.update(change);
      logger.info({ requestId: request.id, sizeBytes: summary.sizeBytes }, 'export package written');
      if (request.keptSources) await this.dropKept(request.id);
      return false;
    } catch (error) {
      // Whatever failed, this attempt's blob and staged blocks are not the package; on a conflict
      // another instance resumed this export meanwhile and owns the outcome.
      await upload.abandon().catch(() => undefined);
      if (error instanceof ConcurrencyConflict || abort.signal.aborted) {
        logger.warn({ requestId: request.id }, 'export abandoned: another worker owns it now');
        return false;
      }
      return this.recordFailure(request, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Keeps what a failed attempt gathered: each source's compressed files go to the store's staging
   * area and the request records them, so the next attempt (or `retry`) reads only the sources that
   * did not finish. A source whose files cannot all be kept is simply read again next time.
   */
  private async keepGathered(request: ExportRequest, gathered: readonly GatheredSource[]): Promise<ExportRequest> {
    const { packages, store, clock, logger } = this.options;
    const kept: Record<string, KeptSource> = { ...request.keptSources };
    for (const source of gathered) {
      try {
        const files: KeptFile[] = [];
        for (const file of source.files) {
          const blobName = keptFileBlobName(request.id, source.sourceId, file.staged.path);
          const upload = packages.openUpload(blobName);
          await pipeline(await file.staged.open(), upload.stream);
          await upload.done;
          files.push(keptFile(file, blobName));
        }
        kept[source.sourceId] = { records: source.records, gatheredAt: source.gatheredAt, files };
      } catch (error) {
        logger.warn(
          { requestId: request.id, source: source.sourceId, error: error instanceof Error ? error.message : String(error) },
          'could not keep a gathered source; it will be read again',
        );
      }
    }
    if (Object.keys(kept).length === Object.keys(request.keptSources ?? {}).length) return request;
    const now = clock.now();
    const change = amend(
      request,
      { keptSources: kept },
      [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.SourcesKept, now, { sources: Object.keys(kept).join(', ') })],
      now,
    );
    await store.update(change);
    return change.request;
  }

  /**
   * Kept files live in the staging area, which the storage account's lifecycle rule empties a day
   * after they were written (infra/README.md): a `retry` days after the failure finds them gone. A
   * source with any file missing is forgotten and read again, rather than failing the attempt.
   */
  private async keptStillStored(request: ExportRequest): Promise<ExportRequest> {
    if (!request.keptSources) return request;
    const { packages, store, clock } = this.options;
    const stored = new Set(await packages.list(keptFilesPrefix(request.id)));
    const kept: Record<string, KeptSource> = {};
    const gone: string[] = [];
    for (const [sourceId, source] of Object.entries(request.keptSources)) {
      if (source.files.every((file) => stored.has(file.blobName))) kept[sourceId] = source;
      else gone.push(sourceId);
    }
    if (gone.length === 0) return request;
    const now = clock.now();
    const change = amend(
      request,
      { keptSources: Object.keys(kept).length > 0 ? kept : undefined },
      [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.KeptSourcesGone, now, { sources: gone.join(', ') })],
      now,
    );
    await store.update(change);
    // What is left of a source that is partly gone is of no use now.
    const leftOver = gone.flatMap((sourceId) => request.keptSources![sourceId]!.files.map((file) => file.blobName)).filter((name) => stored.has(name));
    for (const name of leftOver) await packages.delete(name).catch(() => undefined);
    return change.request;
  }

  /**
   * An attempt that ended in a crash, not a failure, left the blocks it had staged (compressed
   * personal data) uncommitted under its name, where Azure would keep them for up to seven days.
   * Each attempt first drops whatever the earlier ones may have left (those that failed cleanly left
   * nothing; dropping again costs two requests). If one is in fact still running somewhere (its
   * lease ran out), its commit now fails, as it must: the request is this attempt's.
   */
  private async abandonEarlierAttempts(request: ExportRequest): Promise<void> {
    const { packages, logger } = this.options;
    for (let attempt = 1; attempt < request.exportAttempts; attempt += 1) {
      try {
        await packages.openBlockUpload(packageBlobName(request.id, request.reference, attempt)).abandon();
      } catch (error) {
        logger.warn(
          { requestId: request.id, attempt, error: error instanceof Error ? error.message : String(error) },
          'could not drop what an earlier attempt staged',
        );
      }
    }
  }

  /** Kept files are in the package now (or no longer wanted): remove them from the staging area. */
  private async dropKept(requestId: string): Promise<void> {
    const { packages, logger } = this.options;
    try {
      for (const name of await packages.list(keptFilesPrefix(requestId))) await packages.delete(name);
    } catch (error) {
      logger.warn({ requestId, error: error instanceof Error ? error.message : String(error) }, 'could not remove kept source files');
    }
  }

  /** Records how far the export has got and tells whoever filed it (their progress card updates in place). */
  private async recordProgress(request: ExportRequest, progress: string): Promise<ExportRequest> {
    const now = this.options.clock.now();
    const change = amend(request, { progress }, [], now, [progressNotice(request)]);
    await this.options.store.update(change);
    return change.request;
  }

  /**
   * Asks every source that prepares elsewhere (days, for Microsoft 365's export) whether its data is
   * ready. While one is not, the request stays exporting with its progress recorded, the lease is
   * held until the next check, and no attempt is used up; the deadline is untouched.
   */
  private async prepareSources(request: ExportRequest, signal: AbortSignal): Promise<{ kind: 'ready'; request: ExportRequest } | { kind: 'waiting' }> {
    const { store, clock, owner } = this.options;
    const checkpoints: Record<string, SourceCheckpoint> = { ...request.sourceCheckpoints };
    let waiting: { sourceId: string; progress: string; checkAgainInMs: number } | undefined;
    for (const source of this.options.sources) {
      if (!source.prepare) continue;
      const prepared = await readingSource(source.id, () =>
        source.prepare!({ requestId: request.id, subject: request.subject, signal, ...(checkpoints[source.id] ? { checkpoint: checkpoints[source.id] } : {}) }),
      );
      checkpoints[source.id] = prepared.checkpoint;
      if (prepared.status === 'waiting' && !waiting) waiting = { sourceId: source.id, progress: prepared.progress, checkAgainInMs: prepared.checkAgainInMs };
    }
    const now = clock.now();
    const changed =
      JSON.stringify(checkpoints) !== JSON.stringify(request.sourceCheckpoints ?? {}) ||
      waiting?.progress !== request.waiting?.progress ||
      Boolean(waiting) !== Boolean(request.waiting);
    if (changed) {
      const patch = {
        sourceCheckpoints: checkpoints,
        waiting: waiting ? { sourceId: waiting.sourceId, progress: waiting.progress, since: request.waiting?.since ?? now.toISOString() } : undefined,
      };
      const audit = waiting
        ? [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.ExportWaiting, now, { source: waiting.sourceId, progress: waiting.progress })]
        : [];
      const change = amend(request, { ...patch, progress: waiting?.progress }, audit, now, waiting ? [progressNotice(request)] : []);
      await store.update(change);
      request = change.request;
    }
    if (!waiting) return { kind: 'ready', request };
    // Holding the lease until the next check is the schedule: no instance claims the request before then.
    await store.renewExportLease(request.id, owner, now, waiting.checkAgainInMs);
    return { kind: 'waiting' };
  }

  private async recordFailure(request: ExportRequest, error: unknown): Promise<boolean> {
    const { store, clock, logger, owner, maxAttempts, retryDelayMs } = this.options;
    const failure =
      error instanceof SourceFailure
        ? { source: error.sourceId, reason: error.reason }
        : { source: 'package-storage', reason: error instanceof Error ? error.message : String(error) };
    const now = clock.now();
    logger.warn({ requestId: request.id, attempt: request.exportAttempts, source: failure.source }, 'export attempt failed');
    if (request.exportAttempts < maxAttempts) {
      await store.appendAudit(
        auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.ExportFailed, now, { ...failure, attempt: request.exportAttempts, willRetry: true }),
      );
      // Holding the lease past its natural end is the back-off: nobody claims the request until then.
      await store.renewExportLease(request.id, owner, now, retryDelayMs * request.exportAttempts);
      return true;
    }
    const change = transition(request, RequestEvent.ExportFailed, SYSTEM_ACTOR, now, {
      patch: { failure },
      detail: { source: failure.source, attempt: request.exportAttempts },
      notifications: [
        { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment: RequestMoment.Failed },
        { requestId: request.id, kind: NotificationKind.RequesterUpdate, moment: RequestMoment.Failed, recipientId: request.requesterId },
      ],
    });
    await store.update(change).catch((e) => {
      if (!(e instanceof ConcurrencyConflict)) throw e;
    });
    return false;
  }
}
