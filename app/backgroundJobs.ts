import type { Logger } from '../domain/logger';

export interface JobRunner {
  /** Does one unit of work; returns whether there was any (so the loop can go again at once). */
  runOnce(): Promise<boolean | number>;
}

/**
 * Runs the export workers and the outbox dispatcher: each loop polls on an interval and can be
 * kicked to run at once (a card was clicked, someone became reachable). `concurrency` loops share
 * the export work; the store's leases keep them — and other instances — from taking the same job.
 */
export class BackgroundJobs {
  private readonly loops: JobLoop[] = [];
  /** Loops a kick wakes: those on the regular poll. */
  private readonly kickable: JobLoop[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly pollIntervalMs: number,
  ) {}

  /** `intervalMs` overrides the poll interval for work that need not be looked at every second. */
  add(name: string, runner: JobRunner, concurrency = 1, intervalMs = this.pollIntervalMs): this {
    for (let i = 0; i < concurrency; i += 1) {
      const loop = new JobLoop(`${name}#${i + 1}`, runner, intervalMs, this.logger);
      this.loops.push(loop);
      // Work on a slower beat (retention, deadlines) runs on its schedule: no turn makes it due sooner,
      // and waking it on every message would put its queries on the message path.
      if (intervalMs <= this.pollIntervalMs) this.kickable.push(loop);
    }
    return this;
  }

  start(): void {
    for (const loop of this.loops) loop.start();
  }

  /** Runs the regular loops (exports, notifications) at once, e.g. after a turn queued work. */
  kick(): void {
    for (const loop of this.kickable) loop.kick();
  }

  /** Stops polling and waits for work in progress to finish. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  /** Resolves once every loop has found nothing to do (tests and shutdown use it). */
  async drain(): Promise<void> {
    for (;;) {
      const results = await Promise.all(this.loops.map((loop) => loop.runNow()));
      if (results.every((didWork) => !didWork)) return;
    }
  }
}

class JobLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly runner: JobRunner,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs one pass now (or waits for the one in progress); true if it did work. */
  async runNow(): Promise<boolean> {
    if (this.running) {
      await this.running.catch(() => undefined);
    }
    return this.pass();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      // A pass started by runNow (drain) is under way: poll again after it, or this loop would never tick again.
      await this.running.catch(() => undefined);
      if (!this.stopped) this.schedule(0);
      return;
    }
    const didWork = await this.pass();
    if (!this.stopped) this.schedule(didWork ? 0 : this.intervalMs);
  }

  private pass(): Promise<boolean> {
    const run = (async () => {
      try {
        const result = await this.runner.runOnce();
        return typeof result === 'number' ? result > 0 : result;
      } catch (error) {
        this.logger.error({ job: this.name, error: error instanceof Error ? error.message : String(error) }, 'background job failed; will retry');
        return false;
      }
    })();
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
    });
    return run;
  }
}
