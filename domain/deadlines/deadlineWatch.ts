import { addDays } from 'date-fns';
import { SYSTEM_ACTOR } from '../actor';
import type { Clock } from '../clock';
import { DeadlineAlert, NotificationKind, type NewNotification } from '../delivery/notification';
import type { Messenger } from '../delivery/messenger';
import type { Logger } from '../logger';
import { AuditEventType } from '../requests/auditEvent';
import { auditEvent, transition } from '../requests/changes';
import type { ExportRequest } from '../requests/exportRequest';
import { RequestEvent, RequestState } from '../requests/lifecycle';
import { ConcurrencyConflict, type RequestStore } from '../requests/requestStore';
import { calendarDateIn, fromDate, toDate, type CalendarDate } from './calendarDate';
import { daysLeft } from './dueDate';

export interface DeadlineWatchOptions {
  readonly store: RequestStore;
  readonly messenger: Messenger;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly owner: string;
  readonly timeZone: string;
  /** Days after the card was sent at which the subject is reminded, e.g. [1, 3]. */
  readonly reminderDays: readonly number[];
  /** Days without an answer after which the channel is alerted. */
  readonly escalateAfterDays: number;
  /**
   * Days without an answer after which the request closes as unconfirmed — never before its due date
   * (the law's answer period), and on that date once these days have passed (decision 0018).
   */
  readonly lapseAfterDays: number;
  /** Days before the due date at which the channel is warned, e.g. [7, 2]. */
  readonly dueWarningDays: readonly number[];
  /** Hour of the day (tenant time) the daily digest goes to the channel. */
  readonly digestHour: number;
  readonly dailyDigest: boolean;
}

/**
 * How many requests of each group the digest names. It is one Teams message, and Teams takes about
 * 28 KB per message: with thousands of open requests the full lists made a card of megabytes. A row
 * costs roughly 0.25 KB of card, so four groups of this many stay far below that; the rest of each
 * group is counted.
 */
export const DIGEST_ROWS_PER_GROUP = 5;

/** One list of the digest: how many requests are in it and the most urgent of them. */
export interface DigestGroup {
  readonly count: number;
  /** At most DIGEST_ROWS_PER_GROUP, earliest due date first. */
  readonly mostUrgent: readonly ExportRequest[];
}

export interface Digest {
  readonly date: CalendarDate;
  readonly dueThisWeek: DigestGroup;
  readonly overdue: DigestGroup;
  readonly awaitingConfirmation: DigestGroup;
  readonly failed: DigestGroup;
}

/** The days ahead "due this week" covers, today included as day 0. */
const DUE_THIS_WEEK_DAYS = 7;

const DAY_MS = 24 * 3600_000;
const DIGEST_LEASE_MS = 10 * 60_000;

/**
 * Keeps the clock for the privacy team: reminds subjects who have not answered, alerts the channel,
 * closes requests nobody confirmed, warns before and after due dates, and posts a morning digest.
 * Every occurrence has a key (reminder:<request>:<day>, digest:<date>…) that the store runs once, so
 * restarts and a second instance never repeat one.
 */
export class DeadlineWatch {
  constructor(private readonly options: DeadlineWatchOptions) {}

  async runOnce(): Promise<number> {
    const { store, clock, timeZone } = this.options;
    const now = clock.now();
    const today = calendarDateIn(now, timeZone);
    let done = 0;
    for (const request of await store.listOpen()) done += await this.watch(request, now, today);
    if (await this.digest(now, today)) done += 1;
    return done;
  }

  private async watch(request: ExportRequest, now: Date, today: CalendarDate): Promise<number> {
    const { store, owner, reminderDays, escalateAfterDays, lapseAfterDays, dueWarningDays } = this.options;
    let done = 0;
    const once = async (key: string, notifications: NewNotification[], detail: Record<string, string | number>) => {
      const ran = await store.scheduleOnce(`${key}:${request.id}`, owner, now, {
        notifications,
        audit: [auditEvent(request.id, SYSTEM_ACTOR, AuditEventType.DeadlineAlert, now, { alert: key, ...detail })],
      });
      if (ran) done += 1;
    };
    if (request.state === RequestState.AwaitingConfirmation) {
      const waitedDays = Math.floor((now.getTime() - Date.parse(request.createdAt)) / DAY_MS);
      if (waitedDays >= lapseAfterDays && periodHasRun(request, today)) return done + (await this.lapse(request, now, waitedDays));
      for (const day of reminderDays) {
        if (waitedDays >= day)
          await once(`reminder-${day}`, [{ requestId: request.id, kind: NotificationKind.SubjectReminder, recipientId: request.subject.objectId }], {
            days: day,
          });
      }
      if (waitedDays >= escalateAfterDays) await once('unanswered', [channelAlert(request, DeadlineAlert.Unanswered)], { days: waitedDays });
    }
    // While the clock stands still (waiting for the subject) there is no deadline to warn about.
    if (request.pause) return done;
    const left = daysLeft(request.dueOn, today);
    // The due date can move (an extension): key the warnings by it, so an extended request is warned again.
    for (const day of dueWarningDays) {
      if (left >= 0 && left <= day) await once(`due-${day}-${request.dueOn}`, [channelAlert(request, DeadlineAlert.DueSoon)], { daysLeft: left });
    }
    if (left < 0) await once(`overdue-${request.dueOn}`, [channelAlert(request, DeadlineAlert.Overdue)], { daysLeft: left });
    return done;
  }

  private async lapse(request: ExportRequest, now: Date, waitedDays: number): Promise<number> {
    const change = transition(request, RequestEvent.Lapse, SYSTEM_ACTOR, now, {
      detail: { afterDays: waitedDays, dueOn: request.dueOn },
      notifications: [
        { requestId: request.id, kind: NotificationKind.SubjectLapsed, recipientId: request.subject.objectId },
        { requestId: request.id, kind: NotificationKind.RequesterUpdate, moment: DeadlineAlert.Lapsed, recipientId: request.requesterId },
        channelAlert(request, DeadlineAlert.Lapsed),
      ],
    });
    try {
      await this.options.store.update(change);
      return 1;
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return 0; // answered or lapsed elsewhere meanwhile
      throw error;
    }
  }

  /** The morning digest: once per day (tenant time), from the hour configured, to the privacy channel. */
  private async digest(now: Date, today: CalendarDate): Promise<boolean> {
    const { store, messenger, owner, timeZone, digestHour, logger } = this.options;
    if (!this.options.dailyDigest || !messenger.postDigest || hourIn(now, timeZone) < digestHour) return false;
    const key = `digest:${today}`;
    if (!(await store.claimRun(key, owner, now, DIGEST_LEASE_MS))) return false;
    const digest = digestOf(await store.listOpen(), today);
    const outcome = await messenger.postDigest(digest);
    await store.completeRun(key, owner, this.options.clock.now());
    logger.info({ date: today, outcome: outcome.kind }, 'daily digest');
    return true;
  }
}

/** Sorts the open requests into the digest's groups (a request can be in two: overdue and failed). */
export function digestOf(open: Iterable<ExportRequest>, today: CalendarDate, rowsPerGroup = DIGEST_ROWS_PER_GROUP): Digest {
  const dueThisWeek = new MostUrgent(rowsPerGroup);
  const overdue = new MostUrgent(rowsPerGroup);
  const awaitingConfirmation = new MostUrgent(rowsPerGroup);
  const failed = new MostUrgent(rowsPerGroup);
  // Calendar dates compare as strings: one date computed here instead of date arithmetic per request.
  const weekEnds = fromDate(addDays(toDate(today), DUE_THIS_WEEK_DAYS));
  for (const request of open) {
    if (request.dueOn < today) overdue.add(request);
    else if (request.dueOn <= weekEnds) dueThisWeek.add(request);
    if (request.state === RequestState.AwaitingConfirmation) awaitingConfirmation.add(request);
    if (request.state === RequestState.Failed) failed.add(request);
  }
  return {
    date: today,
    dueThisWeek: dueThisWeek.group(),
    overdue: overdue.group(),
    awaitingConfirmation: awaitingConfirmation.group(),
    failed: failed.group(),
  };
}

/**
 * Counts a group and keeps its few most urgent requests as they come, so ten thousand open requests
 * are neither copied into lists nor sorted to show five of them.
 */
class MostUrgent {
  private count = 0;
  /** Most urgent first; never longer than `limit`. */
  private readonly kept: ExportRequest[] = [];

  constructor(private readonly limit: number) {}

  add(request: ExportRequest): void {
    this.count += 1;
    const at = this.kept.findIndex((kept) => moreUrgent(request, kept));
    if (at === -1) {
      if (this.kept.length < this.limit) this.kept.push(request);
      return;
    }
    this.kept.splice(at, 0, request);
    if (this.kept.length > this.limit) this.kept.pop();
  }

  group(): DigestGroup {
    return { count: this.count, mostUrgent: [...this.kept] };
  }
}

/**
 * Urgency is the due date: the earliest is the most overdue, the next to fall due, the unconfirmed
 * request closest to lapsing. Between equal dates, the one filed first, then by id: the order never
 * depends on the order the store listed them in.
 */
function moreUrgent(a: ExportRequest, b: ExportRequest): boolean {
  if (a.dueOn !== b.dueOn) return a.dueOn < b.dueOn;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.id < b.id;
}

/**
 * Whether an unconfirmed request may close today: on its due date, not before — the subject keeps the
 * whole period the law gives for an answer, and the notice of not acting still reaches them within it
 * (GDPR Art. 12(4): "at the latest within one month of receipt"). A paused clock has not run out, so a
 * paused request never lapses; it waits for the subject's answer or an admin's resume (decision 0018).
 */
function periodHasRun(request: ExportRequest, today: CalendarDate): boolean {
  return !request.pause && today >= request.dueOn;
}

function channelAlert(request: ExportRequest, alert: DeadlineAlert): NewNotification {
  return { requestId: request.id, kind: NotificationKind.ChannelUpdate, moment: alert };
}

/** The hour of the day in the tenant's time zone (so 08:00 stays 08:00 across daylight-saving changes). */
function hourIn(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant));
}
