import { checkReceivedOn, DEFAULT_RECEIVED_DATE_MAX_AGE_DAYS, lateEntryDays, MIN_LATE_ENTRY_REASON } from '../deadlines/receivedDate';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import type { Clock } from '../clock';
import { subjectTimeline, type TimelineEntry } from './subjectTimeline';
import { calendarDateIn, CalendarDate, formatForPeople } from '../deadlines/calendarDate';
import { daysLeft } from '../deadlines/dueDate';
import {
  allowedExtensions,
  describeExtension,
  dueDateFor,
  EXTENSION_RULES,
  firstPeriodDueOn,
  PAUSE_ALLOWED,
  type DeadlineBasis,
  type DueDate,
} from '../deadlines/extension';
import { CALENDAR_DAYS_ONLY, type WorkingDayRule } from '../deadlines/workingDays';
import { NotificationKind, RequestMoment, type NewNotification } from '../delivery/notification';
import { requesterNameOf, type Directory, type DirectoryUser } from '../directory/directory';
import type { AdminPolicy } from '../policy/adminPolicy';
import { clip, echo, Refusal, RefusalCode } from '../refusal';
import { AuditEventType } from './auditEvent';
import { amend, auditEvent, transition } from './changes';
import type { ExportRequest, SubjectAnswer, SubjectSnapshot } from './exportRequest';
import { canTake, isOpen, nextState, RequestEvent, RequestState, STATE_LABEL } from './lifecycle';
import type { Regime } from './regime';
import { defaultRegimeFor, GDPR_EVERYWHERE, isRegime, type RegimeDefaults } from './regimeDefaults';
import { ConcurrencyConflict, DuplicateOpenRequest, type RequestStore } from './requestStore';

export interface FilingInput {
  readonly subject: DirectoryUser;
  readonly regime: Regime;
  readonly receivedOn: CalendarDate;
  readonly intakeNote?: string;
  /** Required when the subject's account is disabled: how the admin verified who asked. */
  readonly identityVerification?: string;
  /**
   * Required when the request was received longer ago than the service accepts without one
   * (RECEIVED_DATE_MAX_AGE_DAYS): why it is recorded only now. It goes into the audit trail.
   */
  readonly lateEntryReason?: string;
}

export const Decision = { Approve: 'approve', Decline: 'decline' } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

export const MAX_INTAKE_NOTE = 200;
export const MAX_DECLINE_REASON = 500;
export const MAX_IDENTITY_VERIFICATION = 500;
export const MAX_LATE_ENTRY_REASON = 500;

const HOUR_MS = 3600_000;
const MINUTE_MS = 60_000;
/** The filing rate limit counts what one person filed in this window. */
const FILING_WINDOW_MS = HOUR_MS;
/**
 * Requests about the person (as subject) may sit among their own filings in the newest-first list;
 * this many extra rows lets the wait be computed unless an unusual number of them do.
 */
const FILING_LOOKUP_SLACK = 10;

/** Who gets told about a request moment, besides the channel. */
function channel(requestId: string, moment: RequestMoment): NewNotification {
  return { requestId, kind: NotificationKind.ChannelUpdate, moment };
}
function requester(request: { id: string; requesterId: string }, moment: RequestMoment): NewNotification {
  return { requestId: request.id, kind: NotificationKind.RequesterUpdate, moment, recipientId: request.requesterId };
}

/**
 * Filing, answering and reading export requests: the rules of who may do what, in one place. Every
 * method either changes the store once (with its audit trail and the messages it owes) or throws a
 * Refusal having changed nothing but, where a request is concerned, one audit event.
 */
export class RequestService {
  constructor(
    private readonly deps: {
      readonly store: RequestStore;
      readonly directory: Directory;
      readonly admins: AdminPolicy;
      readonly clock: Clock;
      readonly timeZone: string;
      /** Most requests one person may file in an hour (abuse limit; a compromised admin account cannot flood subjects). */
      readonly filingsPerHour: number;
      /** A request for the same subject closed within this many days is mentioned when filing (not blocking). */
      readonly recentWindowDays: number;
      /** Where a period that ends on a weekend or holiday runs on to the next working day (calendar days only when absent). */
      readonly workingDays?: WorkingDayRule;
      /** A received date further back than this needs the reason it is recorded late (default 90). */
      readonly receivedDateMaxAgeDays?: number;
      /** The law "export my data" offers first (GDPR for everyone when absent). */
      readonly regimeDefaults?: RegimeDefaults;
    },
  ) {}

  /** The tenant's time zone: the one "today" and every due date are read in. */
  get timeZone(): string {
    return this.deps.timeZone;
  }

  get receivedDateMaxAgeDays(): number {
    return this.deps.receivedDateMaxAgeDays ?? DEFAULT_RECEIVED_DATE_MAX_AGE_DAYS;
  }

  /** How many days ago a received date lies when that is beyond the bound (so a reason is needed), else undefined. */
  lateEntryDays(receivedOn: CalendarDate): number | undefined {
    return lateEntryDays(receivedOn, this.today(), this.receivedDateMaxAgeDays);
  }

  /** The due date a request received then would have, for showing before it is filed. */
  dueDateFor(basis: DeadlineBasis, extensions: ExportRequest['extensions'] = []): DueDate {
    return dueDateFor(basis, extensions, this.workingDays);
  }

  private get workingDays(): WorkingDayRule {
    return this.deps.workingDays ?? CALENDAR_DAYS_ONLY;
  }

  today(): CalendarDate {
    return calendarDateIn(this.deps.clock.now(), this.deps.timeZone);
  }

  isAdmin(actor: Actor): Promise<boolean> {
    return this.deps.admins.isAdmin(actor.objectId);
  }

  /**
   * Refuses at once, before anyone is looked up, someone who may not file for another person now: not
   * a privacy admin, or at the hourly filing limit. Filing checks both again.
   */
  async checkCanFile(actor: Actor): Promise<void> {
    await this.requireAdmin(actor, 'file an export request for someone else');
    await this.requireWithinFilingLimit(actor);
  }

  /** Resolves who an admin means, refusing anyone an export cannot be filed for. */
  async findSubject(actor: Actor, query: string): Promise<DirectoryUser> {
    await this.requireAdmin(actor, 'file an export request for someone else');
    const subject = await this.resolveUser(query, { allowDisabled: true });
    await this.refuseIfOpen(actor, subject);
    return subject;
  }

  /** The subject's most recent request closed within the window, to mention when filing again (never blocks). */
  async recentlyClosedFor(subjectId: string): Promise<ExportRequest | undefined> {
    const since = new Date(this.deps.clock.now().getTime() - this.deps.recentWindowDays * 24 * HOUR_MS).toISOString();
    const closed = (await this.deps.store.listBySubject(subjectId)).filter((r) => !isOpen(r.state) && r.updatedAt >= since);
    return closed.at(-1);
  }

  async file(actor: Actor, input: FilingInput): Promise<ExportRequest> {
    await this.requireAdmin(actor, 'file an export request for someone else');
    await this.requireWithinFilingLimit(actor);
    const today = this.today();
    const received = checkReceivedOn(input.receivedOn, input.regime, today);
    if (!received.ok) throw new Refusal(RefusalCode.InvalidInput, `${received.problem} Nothing was filed.`);
    const late = this.lateEntry(input);
    const intakeNote = input.intakeNote?.trim().slice(0, MAX_INTAKE_NOTE) || undefined;
    if (!input.subject.accountEnabled) return this.fileForDisabledSubject(actor, input, intakeNote, late);
    // Filed and handed to the subject in one write: a crash can never leave a request nobody was asked about.
    return this.create(
      actor,
      input.subject,
      input.regime,
      input.receivedOn,
      intakeNote,
      RequestEvent.AskSubject,
      (id) => [{ requestId: id, kind: NotificationKind.AskSubject, recipientId: input.subject.objectId }, channel(id, RequestMoment.Filed)],
      undefined,
      late,
    );
  }

  /**
   * A received date further back than the bound is usually a typo; when it is not, the admin says why
   * it is recorded only now, and that goes into the audit trail with the filing (decision 0017).
   */
  private lateEntry(input: FilingInput): LateEntry | undefined {
    const daysAgo = this.lateEntryDays(input.receivedOn);
    if (daysAgo === undefined) return undefined;
    const reason = input.lateEntryReason?.trim().slice(0, MAX_LATE_ENTRY_REASON) ?? '';
    if (reason.length < MIN_LATE_ENTRY_REASON) {
      throw new Refusal(
        RefusalCode.InvalidInput,
        `${formatForPeople(input.receivedOn)} was ${daysAgo} days ago, more than the ${this.receivedDateMaxAgeDays} days Privacy Desk accepts without a reason: if that date is right, give the reason the request is recorded only now (it goes into the audit trail). Nothing was filed.`,
      );
    }
    return { daysAgo, reason };
  }

  /**
   * A disabled account (typically a former employee, who keeps their rights) cannot confirm in Teams.
   * The admin's record of how they verified the person's identity stands in for the confirmation, and
   * the package goes to the admin to hand over — both written into the audit trail.
   */
  private async fileForDisabledSubject(actor: Actor, input: FilingInput, intakeNote: string | undefined, late: LateEntry | undefined): Promise<ExportRequest> {
    const verification = input.identityVerification?.trim().slice(0, MAX_IDENTITY_VERIFICATION);
    if (!verification) {
      throw new Refusal(
        RefusalCode.InvalidInput,
        `${input.subject.displayName}'s account is disabled, so they cannot confirm in Teams. Record how you verified their identity to file the request.`,
      );
    }
    return this.create(
      actor,
      input.subject,
      input.regime,
      input.receivedOn,
      intakeNote,
      RequestEvent.Confirm,
      (id) => [channel(id, RequestMoment.Filed)],
      { deliverTo: 'requester', identityVerification: verification },
      late,
    );
  }

  /**
   * Before "export my data" asks which law: someone who cannot file for themselves now (at the hourly
   * limit, a guest, a disabled account, a request of theirs still open) is refused before anything is
   * asked; otherwise, the law to offer first for where the directory places them (decision 0019).
   */
  async selfServiceDefault(actor: Actor): Promise<Regime> {
    await this.requireWithinFilingLimit(actor);
    const subject = await this.resolveUser(actor.objectId);
    await this.refuseIfOpen(actor, subject);
    return defaultRegimeFor(subject, this.deps.regimeDefaults ?? GDPR_EVERYWHERE);
  }

  /**
   * "export my data": the authenticated person is both requester and subject, so it is confirmed at once.
   * Under the law they chose (a law Privacy Desk does not know is refused); without one, their default.
   */
  async fileForSelf(actor: Actor, regime?: string): Promise<ExportRequest> {
    const chosen = regime?.trim().toLowerCase();
    if (chosen !== undefined && !isRegime(chosen)) {
      throw new Refusal(
        RefusalCode.InvalidInput,
        `Privacy Desk handles requests under GDPR or CCPA ("export my data gdpr" or "export my data ccpa"), and "${echo(regime!)}" is neither, so nothing was filed.`,
      );
    }
    await this.requireWithinFilingLimit(actor);
    const subject = await this.resolveUser(actor.objectId);
    const law = chosen ?? defaultRegimeFor(subject, this.deps.regimeDefaults ?? GDPR_EVERYWHERE);
    return this.create(actor, subject, law, this.today(), 'Self-service request in Teams', RequestEvent.Confirm, (id) => [channel(id, RequestMoment.Filed)]);
  }

  /** The data subject's answer on the confirmation card. */
  async respond(actor: Actor, requestId: string, decision: Decision, reason?: string): Promise<ExportRequest> {
    const request = await this.byId(requestId);
    if (actor.objectId.toLowerCase() !== request.subject.objectId.toLowerCase()) {
      await this.refuse(actor, request, RefusalCode.NotTheSubject, {
        decision,
      });
      throw new Refusal(RefusalCode.NotTheSubject, `Only ${request.subject.displayName} can answer this request. Nothing was changed.`, request.id);
    }
    return this.applyDecision(actor, request, decision, reason);
  }

  private async applyDecision(actor: Actor, request: ExportRequest, decision: Decision, reason?: string): Promise<ExportRequest> {
    if (request.state !== RequestState.AwaitingConfirmation) {
      await this.refuse(actor, request, RefusalCode.NotAwaitingConfirmation, { decision, state: request.state });
      throw new Refusal(RefusalCode.NotAwaitingConfirmation, `${request.reference} is no longer waiting for an answer, so nothing was changed.`, request.id);
    }
    const now = this.deps.clock.now();
    // The subject answered: a clock paused while waiting for them starts again in the same write.
    const resumed = request.pause ? this.resumption(request, actor) : undefined;
    const change =
      decision === Decision.Approve
        ? transition(request, RequestEvent.Confirm, actor, now, {
            ...(resumed ? { patch: resumed.patch, extraAudit: [resumed.audit] } : {}),
            notifications: [channel(request.id, RequestMoment.Confirmed), requester(request, RequestMoment.Confirmed)],
          })
        : transition(request, RequestEvent.Decline, actor, now, {
            ...(resumed ? { extraAudit: [resumed.audit] } : {}),
            patch: { ...resumed?.patch, declineReason: reason?.trim().slice(0, MAX_DECLINE_REASON) || undefined },
            detail: { reasonGiven: Boolean(reason?.trim()) },
            notifications: [channel(request.id, RequestMoment.Declined), requester(request, RequestMoment.Declined)],
          });
    try {
      await this.deps.store.update(change);
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
      // Someone (a second click, a second instance) got there first: answer from what is stored now.
      const current = (await this.deps.store.get(request.id)) ?? request;
      return this.applyDecision(actor, current, decision, reason);
    }
    return change.request;
  }

  /** Cancels an open request from the channel (admins), with the reason recorded; audited, channel and filer told. */
  async cancel(actor: Actor, requestId: string, reason: string): Promise<ExportRequest> {
    await this.requireAdmin(actor, 'cancel a request');
    const request = await this.byId(requestId);
    const why = reason.trim().slice(0, MAX_DECLINE_REASON);
    if (why.length < 3) throw new Refusal(RefusalCode.InvalidInput, 'Give the reason for cancelling (it is kept with the request). Nothing was changed.');
    if (!canTake(request.state, RequestEvent.Cancel)) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, { action: 'cancel', state: request.state });
      throw new Refusal(
        RefusalCode.NotAllowed,
        `${request.reference} cannot be cancelled now (it is: ${STATE_LABEL[request.state].toLowerCase()}). Nothing was changed.`,
        request.id,
      );
    }
    const change = transition(request, RequestEvent.Cancel, actor, this.deps.clock.now(), {
      patch: { cancelReason: why },
      notifications: [
        channel(request.id, RequestMoment.Cancelled),
        ...(request.requesterId.toLowerCase() === actor.objectId.toLowerCase() ? [] : [requester(request, RequestMoment.Cancelled)]),
      ],
    });
    await this.deps.store.update(change);
    return change.request;
  }

  /** Stops the clock while waiting for the subject (GDPR only); it resumes when they answer, or with `resume`. */
  async pause(actor: Actor, reference: string, reason: string): Promise<ExportRequest> {
    await this.requireAdmin(actor, 'pause a deadline');
    const request = await this.byReference(reference);
    const why = reason.trim().slice(0, MAX_DECLINE_REASON);
    const today = this.today();
    // A clock that has run out cannot stand still: the days would move a deadline already missed (decision 0017).
    const overdue = today > request.dueOn;
    const refusal = !PAUSE_ALLOWED[request.regime]
      ? `${request.regime.toUpperCase()} does not allow the clock to stop`
      : !isOpen(request.state)
        ? 'it is closed'
        : request.pause
          ? `its clock has been paused since ${request.pause.since.slice(0, 10)}`
          : overdue
            ? `its due date, ${formatForPeople(request.dueOn)}, has passed, and a clock that has run out cannot be stopped; answer the request as soon as you can, the delay stays on record`
            : why.length < 5
              ? 'a reason is needed (what you are waiting for from the subject)'
              : undefined;
    if (refusal) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, { action: 'pause', ...(overdue ? { dueOn: request.dueOn, pastDue: true } : {}) });
      throw new Refusal(RefusalCode.NotAllowed, `${request.reference} cannot be paused: ${refusal}. Nothing was changed.`, request.id);
    }
    const now = this.deps.clock.now();
    // The subject is told, in the same write, what is needed and how to answer — unless their account is
    // disabled (the package goes to the admin): they cannot read it in Teams, and the admin asks them otherwise.
    const tellSubject = request.deliverTo === 'subject';
    const change = amend(
      request,
      { pause: { since: this.today(), reason: why, by: actor.objectId } },
      [auditEvent(request.id, actor, AuditEventType.ClockPaused, now, { dueOn: request.dueOn, subjectTold: tellSubject })],
      now,
      tellSubject ? [{ requestId: request.id, kind: NotificationKind.PauseNotice, recipientId: request.subject.objectId }] : [],
    );
    await this.deps.store.update(change);
    return change.request;
  }

  /** The open requests whose clock is paused waiting for this person, as their subject (oldest first). */
  async awaitingAnswerFrom(actor: Actor): Promise<ExportRequest[]> {
    // Asked for every message no command took: one indexed lookup (a subject has at most one open request), not their whole history.
    const open = await this.deps.store.findOpenBySubject(actor.objectId);
    return open?.pause ? [open] : [];
  }

  /**
   * The subject's answer to a paused request (typed in their chat, or sent from the pause notice). It is
   * kept on the request (the latest MAX_KEPT_ANSWERS, each cut at MAX_SUBJECT_ANSWER), audited by its
   * length only, and passed on in the same write: the words to the admins following the request, in
   * their 1:1 chats; a post without them to the request's thread in the channel. The clock stays
   * paused: an admin decides whether this is what they needed, and resumes it.
   */
  async recordSubjectAnswer(actor: Actor, requestId: string, text: string): Promise<{ request: ExportRequest; answer: SubjectAnswer }> {
    const request = await this.byId(requestId);
    if (actor.objectId.toLowerCase() !== request.subject.objectId.toLowerCase()) {
      await this.refuse(actor, request, RefusalCode.NotTheSubject, { action: 'answer' });
      throw new Refusal(RefusalCode.NotTheSubject, `Only ${request.subject.displayName} can answer this request. Nothing was changed.`, request.id);
    }
    return this.applySubjectAnswer(actor, request, text);
  }

  private async applySubjectAnswer(
    actor: Actor,
    request: ExportRequest,
    text: string,
    attempt = 1,
  ): Promise<{ request: ExportRequest; answer: SubjectAnswer }> {
    const pause = request.pause;
    if (!pause || !isOpen(request.state)) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, { action: 'answer', state: request.state });
      throw new AnswerRefusal(
        'not_waiting',
        RefusalCode.NotAllowed,
        `${request.reference} is not waiting for an answer from you, so nothing was sent.`,
        request.id,
      );
    }
    const written = text.trim();
    if (!written) throw new AnswerRefusal('empty', RefusalCode.InvalidInput, 'Write your answer first. Nothing was sent.', request.id);
    const earlier = pause.answers ?? 0;
    if (earlier >= MAX_ANSWERS_PER_PAUSE) {
      // Not audited: every further "thanks" would otherwise append to the audit chain; the cap is what protects.
      throw new AnswerRefusal(
        'too_many',
        RefusalCode.NotAllowed,
        `You have already sent ${MAX_ANSWERS_PER_PAUSE} answers about ${request.reference}, and the privacy team has them all, so this one was not sent. They will come back to you.`,
        request.id,
      );
    }
    const now = this.deps.clock.now();
    const answer = boundedAnswer(written, now);
    const readers = answerReaders(request);
    const change = amend(
      request,
      { pause: { ...pause, answers: earlier + 1 }, subjectAnswers: [...(request.subjectAnswers ?? []), answer].slice(-MAX_KEPT_ANSWERS) },
      [
        auditEvent(request.id, actor, AuditEventType.SubjectAnswered, now, {
          length: written.length,
          truncated: answer.truncated === true,
          answer: earlier + 1,
          readers: readers.length,
        }),
      ],
      now,
      [
        { requestId: request.id, kind: NotificationKind.ChannelSubjectAnswered },
        ...readers.map((recipientId) => ({ requestId: request.id, kind: NotificationKind.SubjectAnswered, recipientId })),
      ],
    );
    try {
      await this.deps.store.update(change);
    } catch (error) {
      // The request moved meanwhile (an export step, an admin): answer again against what is stored now.
      if (!(error instanceof ConcurrencyConflict) || attempt >= MAX_ANSWER_ATTEMPTS) throw error;
      return this.applySubjectAnswer(actor, (await this.deps.store.get(request.id)) ?? request, text, attempt + 1);
    }
    return { request: change.request, answer };
  }

  /**
   * `resume <reference>`: the clock moves again and the due date moves by the days it stood still.
   * With `keepDueDate` the days are not added (the only way out of a pause begun after the due date,
   * which older versions allowed: decision 0017).
   */
  async resume(actor: Actor, reference: string, options: { keepDueDate?: boolean } = {}): Promise<ExportRequest> {
    await this.requireAdmin(actor, 'resume a deadline');
    const request = await this.byReference(reference);
    const pause = request.pause;
    const lateStart = pause !== undefined && pausedAfterDue(request);
    const refusal = !isOpen(request.state)
      ? `it is closed (${STATE_LABEL[request.state].toLowerCase()}), so its clock no longer runs`
      : !pause
        ? 'it is not paused'
        : lateStart && !options.keepDueDate
          ? `its clock was paused on ${formatForPeople(pause.since.slice(0, 10))}, after its due date, ${formatForPeople(request.dueOn)}, had passed, so the days since then cannot be added to it. To start the clock again with the due date left at ${formatForPeople(request.dueOn)}, type "resume ${request.reference} keeping the due date"`
          : undefined;
    if (refusal) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, {
        action: 'resume',
        state: request.state,
        ...(lateStart ? { dueOn: request.dueOn, pastDue: true } : {}),
      });
      const sentence = pause || !isOpen(request.state) ? `${request.reference} cannot be resumed: ${refusal}.` : `${request.reference} is not paused.`;
      throw new Refusal(RefusalCode.NotAllowed, `${sentence} Nothing was changed.`, request.id);
    }
    const resumed = this.resumption(request, actor, { countDays: !options.keepDueDate });
    const change = amend(request, resumed.patch, [resumed.audit], this.deps.clock.now());
    await this.deps.store.update(change);
    return change.request;
  }

  /**
   * The clock moves again: the days it stood still are added to the due date (the working-day rule
   * applied to the new end), and audited. Days of a pause begun after the due date are never added.
   */
  private resumption(request: ExportRequest, actor: Actor, options: { countDays: boolean } = { countDays: true }) {
    const since = request.pause!.since.slice(0, 10);
    const stood = Math.max(0, daysLeft(this.today(), since));
    const stopped = options.countDays && !pausedAfterDue(request) ? stood : 0;
    const pausedDays = (request.pausedDays ?? 0) + stopped;
    const { dueOn, dueRule } = this.dueDateFor({ ...request, pausedDays }, request.extensions ?? []);
    return {
      patch: { pause: undefined, pausedDays, dueOn, dueRule },
      audit: auditEvent(request.id, actor, AuditEventType.ClockResumed, this.deps.clock.now(), {
        days: stopped,
        from: request.dueOn,
        to: dueOn,
        ...(stood > stopped ? { daysNotCounted: stood - stopped } : {}),
        ...(dueRule ? { periodEndsOn: dueRule.periodEndsOn, movedBecause: dueRule.reason } : {}),
      }),
    };
  }

  /** The privacy admins Privacy Desk can name, for "assign to" choices. */
  async knownAdmins(): Promise<Array<{ objectId: string; displayName: string }>> {
    const admins = (await this.deps.admins.knownAdmins?.()) ?? [];
    const named = await Promise.all(
      admins.map(async ({ objectId, displayName }) => {
        // A group listing brings names; a configured list of ids is looked up.
        if (displayName) return { objectId, displayName };
        const found = await this.deps.directory.lookup(objectId);
        return found.kind === 'user' ? { objectId: found.user.objectId, displayName: found.user.displayName } : undefined;
      }),
    );
    return named.filter((a): a is { objectId: string; displayName: string } => a !== undefined);
  }

  /** An admin assigns the request to a privacy admin (themself by default); the channel card then names them. */
  async assign(actor: Actor, requestId: string, assigneeId: string = actor.objectId): Promise<ExportRequest> {
    await this.requireAdmin(actor, 'assign a request');
    const request = await this.byId(requestId);
    if (!(await this.isAdmin({ kind: 'user', objectId: assigneeId }))) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, { action: 'assign' });
      throw new Refusal(RefusalCode.NotAllowed, 'A request can only be assigned to a privacy admin. Nothing was changed.', request.id);
    }
    const found = await this.deps.directory.lookup(assigneeId);
    const displayName = found.kind === 'user' ? found.user.displayName : 'a privacy admin';
    const now = this.deps.clock.now();
    const change = amend(
      request,
      { assignee: { objectId: assigneeId, displayName } },
      [auditEvent(request.id, actor, AuditEventType.Assigned, now, { assignee: assigneeId })],
      now,
    );
    await this.deps.store.update(change);
    return change.request;
  }

  private async byReference(reference: string): Promise<ExportRequest> {
    const request = await this.deps.store.getByReference(reference);
    if (!request) throw new Refusal(RefusalCode.UnknownRequest, `I can't find a request ${reference}.`);
    return request;
  }

  async byId(requestId: string): Promise<ExportRequest> {
    const request = await this.deps.store.get(requestId);
    if (!request) throw new Refusal(RefusalCode.UnknownRequest, 'This card refers to a request Privacy Desk does not know. Nothing was changed.');
    return request;
  }

  /**
   * A request by id for someone acting on one of its cards, when they may see it: its subject, its
   * requester or a privacy admin. Anyone else gets undefined, exactly as for an id that does not exist.
   */
  async visibleTo(actor: Actor, requestId: string): Promise<ExportRequest | undefined> {
    // Both looked up whatever the answer: a real id and a made-up one cost an unrelated person the same calls.
    const [request, admin] = await Promise.all([this.deps.store.get(requestId), this.isAdmin(actor)]);
    return request && (admin || this.involves(request, actor)) ? request : undefined;
  }

  /** What `extend <reference>` may offer for this request today; refuses when nothing is allowed. */
  async extensionOptions(actor: Actor, reference: string): Promise<{ request: ExportRequest; lengths: number[]; unit: 'months' | 'days' }> {
    await this.requireAdmin(actor, 'extend a deadline');
    const request = await this.byReference(reference);
    const rule = EXTENSION_RULES[request.regime];
    const extensions = request.extensions ?? [];
    const today = this.today();
    // The first period as the working-day rule ends it, stretched by the days the clock has stood still.
    const originalDueOn = firstPeriodDueOn(this.clockBasis(request, today), this.workingDays);
    // A paused clock has not run out, whatever its stored date says (the paused days are added on resume).
    const pastDue = !request.pause && today > request.dueOn;
    const lengths = isOpen(request.state) && !pastDue ? allowedExtensions(request.regime, originalDueOn, extensions, today) : [];
    if (lengths.length === 0) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, {
        action: 'extend',
        state: request.state,
        ...(pastDue ? { dueOn: request.dueOn, pastDue: true } : {}),
      });
      const why = !isOpen(request.state)
        ? 'it is closed'
        : pastDue
          ? `its due date, ${formatForPeople(request.dueOn)}, has passed, and a deadline cannot be extended once it has run out; answer the request as soon as you can, the delay stays on record`
          : today > originalDueOn
            ? `an extension must be decided within the first period, which ended on ${formatForPeople(originalDueOn)}`
            : `it has already been extended as far as ${request.regime.toUpperCase()} allows`;
      throw new Refusal(RefusalCode.NotAllowed, `${request.reference} cannot be extended: ${why}. Nothing was changed.`, request.id);
    }
    return { request, lengths, unit: rule.unit };
  }

  /** Extends the deadline (audited) and tells the subject why and until when. */
  async extend(actor: Actor, reference: string, amount: number, reason: string): Promise<ExportRequest> {
    const { request, lengths, unit } = await this.extensionOptions(actor, reference);
    const why = reason.trim().slice(0, MAX_DECLINE_REASON);
    if (!lengths.includes(amount) || why.length < 5) {
      throw new Refusal(
        RefusalCode.InvalidInput,
        `Choose one of ${lengths.map((l) => describeExtension(l, unit)).join(' or ')} and give the reason the subject will read. Nothing was changed.`,
      );
    }
    const now = this.deps.clock.now();
    const extensions = [...(request.extensions ?? []), { amount, unit, reason: why, at: now.toISOString(), fromDueOn: request.dueOn }];
    const { dueOn, dueRule } = this.dueDateFor(request, extensions);
    const ruleDetail: Record<string, string> = dueRule ? { periodEndsOn: dueRule.periodEndsOn, movedBecause: dueRule.reason } : {};
    const change = amend(
      request,
      { extensions, dueOn, dueRule },
      [
        auditEvent(request.id, actor, AuditEventType.DeadlineExtended, now, {
          from: request.dueOn,
          to: dueOn,
          by: describeExtension(amount, unit),
          ...ruleDetail,
        }),
      ],
      now,
      [{ requestId: request.id, kind: NotificationKind.DeadlineExtended, recipientId: request.subject.objectId }],
    );
    await this.deps.store.update(change);
    return change.request;
  }

  /**
   * `retry <reference>`: a failed export goes back to the queue. The attempt counter restarts, so the
   * worker's retries with back-off apply again; the failure stays in the audit trail.
   */
  async retry(actor: Actor, reference: string): Promise<ExportRequest> {
    await this.requireAdmin(actor, 'retry a failed export');
    const request = await this.byReference(reference);
    if (request.state !== RequestState.Failed) {
      await this.refuse(actor, request, RefusalCode.NotAllowed, { action: 'retry', state: request.state });
      throw new Refusal(RefusalCode.NotAllowed, `${request.reference} has not failed, so there is nothing to retry. Nothing was changed.`, request.id);
    }
    const change = transition(request, RequestEvent.Retry, actor, this.deps.clock.now(), {
      patch: { exportAttempts: 0, failure: undefined },
      detail: { previousSource: request.failure?.source ?? null },
    });
    await this.deps.store.update(change);
    return change.request;
  }

  /** A request as its reader may see it: admins see every request, anyone else only their own. */
  async status(actor: Actor, reference: string): Promise<ExportRequest> {
    const request = await this.deps.store.getByReference(reference);
    if (request && (this.involves(request, actor) || (await this.isAdmin(actor)))) return request;
    // The same sentence whether the request does not exist or is someone else's: no existence leak.
    throw new Refusal(RefusalCode.UnknownRequest, `I can't find a request ${reference} that you can see.`);
  }

  /** A request's history in plain words for its subject (subjectTimeline); the caller has decided the reader may see it (status). */
  async timelineOf(request: ExportRequest): Promise<TimelineEntry[]> {
    return subjectTimeline(request, await this.deps.store.auditTrail(request.id));
  }

  /** Who asked, as the subject's confirmation card names them: the requester's name, or their privacy team. */
  requesterNameOf(request: ExportRequest): Promise<string> {
    return requesterNameOf(this.deps.directory, request);
  }

  /** The requests the actor is the subject of, newest first: what "my data requests" shows anyone. */
  async ownRequests(actor: Actor): Promise<ExportRequest[]> {
    return (await this.deps.store.listBySubject(actor.objectId)).reverse();
  }

  async list(actor: Actor, limit = 25): Promise<{ requests: ExportRequest[]; scope: 'all' | 'own' }> {
    if (await this.isAdmin(actor)) return { requests: await this.deps.store.list({ limit }), scope: 'all' };
    return { requests: await this.deps.store.list({ involving: actor.objectId, limit }), scope: 'own' };
  }

  /** What the clock counts from today: receipt, and the days it stood still, including a pause still running. */
  private clockBasis(request: ExportRequest, today: CalendarDate): DeadlineBasis {
    const running = request.pause && !pausedAfterDue(request) ? Math.max(0, daysLeft(today, request.pause.since.slice(0, 10))) : 0;
    return { regime: request.regime, receivedOn: request.receivedOn, pausedDays: (request.pausedDays ?? 0) + running };
  }

  /** Records a refused action on a request; the refusal itself is thrown by the caller. */
  async refuse(actor: Actor, request: ExportRequest, code: RefusalCode, detail: Record<string, string | number | boolean> = {}): Promise<void> {
    await this.deps.store.appendAudit(auditEvent(request.id, actor, AuditEventType.Refused, this.deps.clock.now(), { code, ...detail }));
  }

  private involves(request: ExportRequest, actor: Actor): boolean {
    const id = actor.objectId.toLowerCase();
    return request.subject.objectId.toLowerCase() === id || request.requesterId.toLowerCase() === id;
  }

  private async requireAdmin(actor: Actor, what: string): Promise<void> {
    if (!(await this.isAdmin(actor))) {
      throw new Refusal(RefusalCode.NotAnAdmin, `Only privacy admins can ${what}. To export your own data, type "export my data".`);
    }
  }

  private async requireWithinFilingLimit(actor: Actor): Promise<void> {
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - FILING_WINDOW_MS);
    const filed = await this.deps.store.countFiledBy(actor.objectId, since);
    if (filed < this.deps.filingsPerHour) return;
    const again = await this.nextFilingAt(actor, since, filed);
    const when = again
      ? `You can file again in ${describeMinutes(Math.max(1, Math.ceil((again.getTime() - now.getTime()) / MINUTE_MS)))}.`
      : 'Please try again within the hour.';
    throw new Refusal(RefusalCode.RateLimited, `You have filed ${filed} requests in the last hour, the most Privacy Desk accepts from one person. ${when}`);
  }

  /**
   * When the person's filings in the window drop below the limit: the limit-th newest one leaves the
   * window. Undefined when their filings cannot all be seen (requests about them crowd the list).
   */
  private async nextFilingAt(actor: Actor, since: Date, filed: number): Promise<Date | undefined> {
    const id = actor.objectId.toLowerCase();
    const newestFirst = await this.deps.store.list({ involving: actor.objectId, limit: filed + FILING_LOOKUP_SLACK });
    const filings = newestFirst.filter((r) => r.requesterId.toLowerCase() === id && Date.parse(r.createdAt) >= since.getTime());
    const leavingLast = filings[this.deps.filingsPerHour - 1];
    return leavingLast ? new Date(Date.parse(leavingLast.createdAt) + FILING_WINDOW_MS) : undefined;
  }

  private async resolveUser(query: string, options: { allowDisabled?: boolean } = {}): Promise<DirectoryUser> {
    const found = await this.deps.directory.lookup(query.trim());
    switch (found.kind) {
      case 'not_found':
        throw new Refusal(RefusalCode.SubjectNotFound, `I can't find anyone in the directory matching "${echo(query)}". Check the UPN, mail or objectId.`);
      case 'not_a_user':
        throw new Refusal(RefusalCode.NotAUser, `"${echo(query)}" is a ${found.objectType}, not a person. An export is filed for one user.`);
      case 'ambiguous':
        throw new Refusal(RefusalCode.AmbiguousSubject, `"${echo(query)}" matches ${found.count} people. Use their UPN or objectId instead.`);
      case 'user':
        break;
    }
    const user = found.user;
    if (user.userType === 'Guest') {
      throw new Refusal(
        RefusalCode.GuestAccount,
        `${user.displayName} is a guest in this tenant. Their request belongs with their home organisation, which holds their account.`,
      );
    }
    if (!user.accountEnabled && !options.allowDisabled) {
      throw new Refusal(
        RefusalCode.DisabledAccount,
        `${user.displayName}'s account is disabled, so they cannot use Privacy Desk themselves. A privacy admin can file the request for them.`,
      );
    }
    return user;
  }

  private async refuseIfOpen(actor: Actor, subject: DirectoryUser): Promise<void> {
    const open = await this.deps.store.findOpenBySubject(subject.objectId);
    if (!open) return;
    await this.refuse(actor, open, RefusalCode.DuplicateOpenRequest);
    throw this.duplicateRefusal(open);
  }

  private duplicateRefusal(open: ExportRequest): Refusal {
    return new Refusal(
      RefusalCode.DuplicateOpenRequest,
      `${open.subject.displayName} already has an open request, ${open.reference} (due ${open.dueOn}). Type "status ${open.reference}" to follow it.`,
      open.id,
    );
  }

  private async create(
    actor: Actor,
    subject: DirectoryUser,
    regime: Regime,
    receivedOn: CalendarDate,
    intakeNote: string | undefined,
    firstEvent: RequestEvent,
    notifications: (requestId: string) => NewNotification[],
    delivery?: { deliverTo: 'requester'; identityVerification: string },
    late?: LateEntry,
  ): Promise<ExportRequest> {
    const now = this.deps.clock.now();
    const id = randomUUID();
    const state = nextState(RequestState.Filed, firstEvent);
    const selfService = firstEvent === RequestEvent.Confirm && !delivery;
    const snapshot: SubjectSnapshot = {
      objectId: subject.objectId,
      displayName: subject.displayName,
      userPrincipalName: subject.userPrincipalName,
      ...(subject.mail ? { mail: subject.mail } : {}),
      ...(subject.department ? { department: subject.department } : {}),
      ...(subject.preferredLanguage ? { preferredLanguage: subject.preferredLanguage } : {}),
    };
    const { dueOn, dueRule } = this.dueDateFor({ regime, receivedOn });
    try {
      return await this.deps.store.create(
        {
          id,
          version: 1,
          state,
          regime,
          subject: snapshot,
          requesterId: actor.objectId,
          selfService,
          receivedOn,
          dueOn,
          ...(dueRule ? { dueRule } : {}),
          ...(intakeNote ? { intakeNote } : {}),
          deliverTo: delivery?.deliverTo ?? 'subject',
          ...(delivery ? { identityVerification: delivery.identityVerification } : {}),
          exportAttempts: 0,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        },
        Number(this.today().slice(0, 4)),
        (reference) => [
          auditEvent(id, actor, AuditEventType.Filed, now, {
            reference,
            regime,
            receivedOn,
            dueOn,
            ...(dueRule ? { periodEndsOn: dueRule.periodEndsOn, movedBecause: dueRule.reason } : {}),
            ...(late ? { receivedDaysAgo: late.daysAgo, lateEntryReason: late.reason } : {}),
            selfService,
            subjectId: subject.objectId,
          }),
          auditEvent(id, actor, AuditEventType.Transitioned, now, {
            event: firstEvent,
            from: RequestState.Filed,
            to: state,
            ...(delivery ? { confirmedBy: 'admin_identity_verification' } : {}),
          }),
          ...(delivery ? [auditEvent(id, actor, AuditEventType.DeliveryToRequester, now, { reason: 'subject_account_disabled' })] : []),
        ],
        notifications(id),
      );
    } catch (error) {
      if (error instanceof DuplicateOpenRequest) {
        await this.refuse(actor, error.existing, RefusalCode.DuplicateOpenRequest, {});
        throw this.duplicateRefusal(error.existing);
      }
      throw error;
    }
  }
}

/** A received date beyond the bound, with the admin's reason for recording it only now. */
interface LateEntry {
  readonly daysAgo: number;
  readonly reason: string;
}

/**
 * Whether the clock was stopped after it had run out (older versions allowed it): the days of such a
 * pause never move the due date.
 */
function pausedAfterDue(request: ExportRequest): boolean {
  return request.pause !== undefined && request.pause.since.slice(0, 10) > request.dueOn;
}

function describeMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The longest answer to a paused request that is passed on; longer ones are cut, with "…", and the subject told. */
export const MAX_SUBJECT_ANSWER = 1_000;
/** How many of the subject's answers a request keeps (the latest); older ones stay only as audit lines. */
export const MAX_KEPT_ANSWERS = 5;
/** How many answers one pause accepts: each reaches the channel and admins, so a flood stops here. */
export const MAX_ANSWERS_PER_PAUSE = 5;
/** Writes an answer tries before giving up when the request keeps moving under it. */
const MAX_ANSWER_ATTEMPTS = 5;

/** Why a subject's answer was not taken, so the bot can say it in the subject's language. */
export type AnswerRefusalReason = 'not_waiting' | 'empty' | 'too_many';

/** A refusal of a subject's answer to a paused request (nothing was sent), with its reason. */
export class AnswerRefusal extends Refusal {
  constructor(
    readonly reason: AnswerRefusalReason,
    code: RefusalCode,
    sentence: string,
    requestId: string,
  ) {
    super(code, sentence, requestId);
  }
}

/** An answer as kept: trimmed by the caller, cut at MAX_SUBJECT_ANSWER with "…" (never through a surrogate pair). */
function boundedAnswer(written: string, at: Date): SubjectAnswer {
  if (written.length <= MAX_SUBJECT_ANSWER) return { at: at.toISOString(), text: written };
  return { at: at.toISOString(), text: clip(written, MAX_SUBJECT_ANSWER), truncated: true };
}

/**
 * Who reads the subject's answer in their 1:1 chat: the admin who paused, whoever has the request, and
 * the admin who filed it — never the subject themself (a self-service request's "requester").
 */
function answerReaders(request: ExportRequest): string[] {
  const subject = request.subject.objectId.toLowerCase();
  const readers = new Map<string, string>();
  for (const id of [request.pause?.by, request.assignee?.objectId, request.requesterId]) {
    if (id && id.toLowerCase() !== subject && !readers.has(id.toLowerCase())) readers.set(id.toLowerCase(), id);
  }
  return [...readers.values()];
}
