import type { Logger } from '../../domain/logger';

/** One thing an instance needs before a load balancer should send it work. */
export interface ReadinessCheck {
  /** What /readyz names when it fails: a word, never a host, path or secret. */
  readonly name: string;
  /** Undefined when fine, else a reason for the log. `signal` aborts once the probe stops waiting. */
  check(signal: AbortSignal): Promise<string | undefined>;
}

/** What /readyz answers. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly failing: readonly string[];
}

/** What /readyz names while the instance stops: it takes no new work, whatever the checks say. */
export const STOPPING = 'stopping';

/** A probe must answer quickly: a check that takes longer than this counts as failing. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * Readiness for a load balancer: the checks run together, each given `timeoutMs`, and any that fails
 * or takes longer is named. Once `stopping()` is called the answer is "not ready" at once and for
 * good. The log hears about a failing check when the set of failing checks changes, not at every probe.
 */
export class Readiness {
  private stoppingSince: number | undefined;
  private lastFailing = '';

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly logger: Logger,
    private readonly timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
  ) {}

  stopping(): void {
    this.stoppingSince ??= Date.now();
  }

  get isStopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  async report(): Promise<ReadinessReport> {
    if (this.isStopping) return { ready: false, failing: [STOPPING] };
    const results = await Promise.all(this.checks.map(async (check) => ({ name: check.name, reason: await this.run(check) })));
    const failed = results.filter((result) => result.reason !== undefined);
    const failing = failed.map((result) => result.name);
    const key = failing.join(',');
    if (key !== this.lastFailing) {
      this.lastFailing = key;
      if (failed.length) this.logger.warn({ failing: Object.fromEntries(failed.map((f) => [f.name, f.reason])) }, 'not ready');
      else this.logger.info({}, 'ready again');
    }
    return { ready: failing.length === 0, failing };
  }

  private async run(check: ReadinessCheck): Promise<string | undefined> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${this.timeoutMs} ms`), this.timeoutMs);
    });
    try {
      return await Promise.race([
        check.check(abort.signal).catch((error: unknown) => (error instanceof Error ? error.message : String(error)) || 'failed'),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }
}
