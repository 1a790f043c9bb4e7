import type { TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { userActor, type Actor } from '../domain/actor';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import { checkReceivedDate, MIN_LATE_ENTRY_REASON } from '../domain/deadlines/receivedDate';
import { daysLeft, describeDaysLeft } from '../domain/deadlines/dueDate';
import type { DueDate } from '../domain/deadlines/extension';
import { DUE_RULE_TEXT } from '../cards/text/dueRuleText';
import type { DirectoryUser } from '../domain/directory/directory';
import { isRefusal, RefusalCode } from '../domain/refusal';
import { Regime, REGIME_LABEL } from '../domain/requests/regime';
import { MAX_IDENTITY_VERIFICATION, MAX_INTAKE_NOTE, MAX_LATE_ENTRY_REASON, type RequestService } from '../domain/requests/requestService';
import { STATE_LABEL } from '../domain/requests/lifecycle';
import { plainMessage, replyPlain } from '../bot/commands/replies';
import { AnswerPrompt, type AcceptedAnswer } from './prompts/answerPrompt';
import { YES_NO } from './prompts/commonAnswers';

export const EXPORT_REQUEST_DIALOG = 'exportRequest';

const PROMPT = {
  subject: 'subjectPrompt',
  confirmSubject: 'confirmSubjectPrompt',
  regime: 'regimePrompt',
  received: 'receivedPrompt',
  confirmLate: 'confirmLateReceivedPrompt',
  lateReason: 'lateEntryReasonPrompt',
  note: 'notePrompt',
  verification: 'verificationPrompt',
  file: 'filePrompt',
} as const;
const WATERFALL = 'exportRequestSteps';
/** The date received, and for a date beyond the bound its confirmation and reason; asked again from the start on "no". */
const RECEIVED_STEPS = 'receivedDateSteps';

const REGIME_ANSWERS: readonly AcceptedAnswer<Regime>[] = [
  { title: 'GDPR (default)', answer: 'GDPR', value: Regime.Gdpr, words: ['default', 'eu'] },
  { title: 'CCPA', answer: 'CCPA', value: Regime.Ccpa, words: ['california'] },
];
const MIN_VERIFICATION_LENGTH = 5;
const SKIP_WORDS = new Set(['skip', 'none', 'no', '-', 'n/a']);

export interface ExportRequestDialogOptions {
  /** What the admin typed after "export", if anything. */
  readonly query?: string;
}

interface DialogValues {
  subject?: DirectoryUser;
  regime?: Regime;
  receivedOn?: string;
  lateEntryReason?: string;
  intakeNote?: string;
  identityVerification?: string;
}

/** What the received-date steps hand back. */
interface ReceivedAnswer {
  readonly receivedOn: string;
  readonly lateEntryReason?: string;
}

/** Tells whether the subject can be reached in Teams right now (they have a chat with the bot). */
export type ReachabilityCheck = (objectId: string) => Promise<boolean>;

/**
 * The admin's guided filing: who → confirm whom → regime → date received → intake note → summary →
 * filed. Identity is read from each turn's activity, never from what was typed; the domain decides
 * every rule, the dialog only asks and tells.
 */
export class ExportRequestDialog extends ComponentDialog {
  constructor(
    private readonly requests: RequestService,
    private readonly isReachable: ReachabilityCheck,
  ) {
    super(EXPORT_REQUEST_DIALOG);
    this.addDialog(new TextPrompt(PROMPT.subject, async (p) => (p.recognized.value?.trim().length ?? 0) > 0));
    this.addDialog(new AnswerPrompt<boolean>(PROMPT.confirmSubject));
    this.addDialog(new AnswerPrompt<Regime>(PROMPT.regime));
    this.addDialog(new TextPrompt(PROMPT.received, (p) => this.validateReceived(p)));
    this.addDialog(new AnswerPrompt<boolean>(PROMPT.confirmLate));
    this.addDialog(
      new TextPrompt(
        PROMPT.lateReason,
        async (p) => (p.recognized.value?.trim().length ?? 0) >= MIN_LATE_ENTRY_REASON && isNonEmptyUpTo(p.recognized.value, MAX_LATE_ENTRY_REASON),
      ),
    );
    this.addDialog(
      new WaterfallDialog(RECEIVED_STEPS, [
        (s) => this.askReceivedDate(s),
        (s) => this.checkLate(s),
        (s) => this.askLateReason(s),
        (s) => this.receivedDone(s),
      ]),
    );
    this.addDialog(new TextPrompt(PROMPT.note, async (p) => isNonEmptyUpTo(p.recognized.value, MAX_INTAKE_NOTE)));
    this.addDialog(new AnswerPrompt<boolean>(PROMPT.file));
    this.addDialog(
      new TextPrompt(
        PROMPT.verification,
        async (p) => (p.recognized.value?.trim().length ?? 0) >= MIN_VERIFICATION_LENGTH && isNonEmptyUpTo(p.recognized.value, MAX_IDENTITY_VERIFICATION),
      ),
    );
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        (s) => this.askSubject(s),
        (s) => this.showSubject(s),
        (s) => this.askVerification(s),
        (s) => this.askRegime(s),
        (s) => this.askReceived(s),
        (s) => this.askNote(s),
        (s) => this.showSummary(s),
        (s) => this.file(s),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /**
   * Someone who may not file now (not an admin, or at the hourly limit) is told before anything is
   * asked or looked up, and the dialog ends in the same turn.
   */
  protected override async onBeginDialog(innerDc: DialogContext, options?: ExportRequestDialogOptions): Promise<DialogTurnResult> {
    try {
      await this.requests.checkCanFile(actorOf(innerDc.context));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(innerDc.context, error.sentence);
      return { status: DialogTurnStatus.complete };
    }
    return super.onBeginDialog(innerDc, options);
  }

  private values(step: WaterfallStepContext): DialogValues {
    return step.values as DialogValues;
  }

  private async askSubject(step: WaterfallStepContext) {
    const query = (step.options as ExportRequestDialogOptions | undefined)?.query?.trim();
    if (query) return step.next(query);
    return step.prompt(PROMPT.subject, {
      prompt: plainMessage('Who is the data subject? Give their UPN, e-mail address or Entra objectId.'),
      retryPrompt: plainMessage('Please give the data subject’s UPN, e-mail address or Entra objectId, or type "cancel".'),
    });
  }

  private async showSubject(step: WaterfallStepContext) {
    const query = String(step.result ?? '').trim();
    let subject: DirectoryUser;
    try {
      subject = await this.requests.findSubject(actorOf(step.context), query);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(step.context, error.sentence);
      // Nothing to retry for these: the person asking or the subject's open request decides it.
      if (error.code === RefusalCode.NotAnAdmin || error.code === RefusalCode.DuplicateOpenRequest) return step.endDialog();
      return step.replaceDialog(this.id, {});
    }
    this.values(step).subject = subject;
    const facts = [
      subject.displayName,
      subject.userPrincipalName,
      subject.department ? `department ${subject.department}` : undefined,
      `objectId ${subject.objectId}`,
    ].filter(Boolean);
    const recent = await this.requests.recentlyClosedFor(subject.objectId);
    const mention = recent
      ? ` Note: their request ${recent.reference} was closed on ${formatForPeople(recent.updatedAt.slice(0, 10))} (${recentOutcome(recent)}); a new one can still be filed.`
      : '';
    return step.prompt(
      PROMPT.confirmSubject,
      AnswerPrompt.options({
        prompt: `I found ${facts.join(' · ')}.${mention}\nIs this the data subject?`,
        retryPrompt: 'Please answer yes or no: is this the data subject?',
        answers: YES_NO,
      }),
    );
  }

  /** A disabled account cannot confirm in Teams: the admin's identity check stands in, and delivery goes to them. */
  private async askVerification(step: WaterfallStepContext) {
    if (step.result !== true) {
      await replyPlain(step.context, 'All right, let’s find the right person.');
      return step.replaceDialog(this.id, {});
    }
    const subject = this.values(step).subject!;
    if (subject.accountEnabled) return step.next();
    return step.prompt(PROMPT.verification, {
      prompt: plainMessage(
        `${subject.displayName}'s account is disabled (often a former employee, who keeps their rights). They cannot confirm in Teams, so the download link will come to you to hand over. How did you verify their identity? For example: "ID checked by HR in person on 2026-11-28".`,
      ),
      retryPrompt: plainMessage(
        `Please describe in a few words (up to ${MAX_IDENTITY_VERIFICATION} characters) how you verified ${subject.displayName}'s identity (this goes into the audit trail), or type "cancel".`,
      ),
    });
  }

  private async askRegime(step: WaterfallStepContext) {
    if (typeof step.result === 'string') this.values(step).identityVerification = step.result.trim();
    return step.prompt(
      PROMPT.regime,
      AnswerPrompt.options({ prompt: 'Under which law was the request made?', retryPrompt: 'Please choose GDPR or CCPA.', answers: REGIME_ANSWERS }),
    );
  }

  private async askReceived(step: WaterfallStepContext) {
    this.values(step).regime = step.result as Regime;
    return step.beginDialog(RECEIVED_STEPS, { regime: step.result as Regime });
  }

  private async askReceivedDate(step: WaterfallStepContext) {
    return step.prompt(PROMPT.received, {
      prompt: plainMessage(`When was the request received? Type a date as YYYY-MM-DD, or "today" (${this.requests.today()}).`),
      retryPrompt: plainMessage(RECEIVED_RETRY),
      validations: { regime: (step.options as { regime: Regime }).regime },
    });
  }

  /**
   * A date further back than the bound is usually a typo: the admin confirms it, or types another.
   * The question says what the date means for the deadline, so nobody confirms it blind.
   */
  private async checkLate(step: WaterfallStepContext) {
    const { regime } = step.options as { regime: Regime };
    const received = checkReceivedDate(String(step.result), regime, this.requests.today());
    if (!received.ok) throw new Error('the received date was validated by its prompt');
    (step.values as { receivedOn?: string }).receivedOn = received.date;
    const daysAgo = this.requests.lateEntryDays(received.date);
    if (daysAgo === undefined) return step.endDialog({ receivedOn: received.date } satisfies ReceivedAnswer);
    const due = this.describeDue(this.requests.dueDateFor({ regime, receivedOn: received.date }));
    return step.prompt(
      PROMPT.confirmLate,
      AnswerPrompt.options({
        prompt: `${formatForPeople(received.date)} was ${daysAgo} days ago, more than the ${this.requests.receivedDateMaxAgeDays} days I accept without a reason. A request received then is due ${due}. Is that date right?`,
        retryPrompt: `Please answer yes or no: was the request received on ${formatForPeople(received.date)}?`,
        answers: YES_NO,
      }),
    );
  }

  private async askLateReason(step: WaterfallStepContext) {
    if (step.result !== true) return step.replaceDialog(RECEIVED_STEPS, step.options);
    return step.prompt(PROMPT.lateReason, {
      prompt: plainMessage(
        'Why is the request recorded only now? Your reason goes into the audit trail with the filing (for example "letter found in the post room on 2026-12-01").',
      ),
      retryPrompt: plainMessage(`Please give the reason in a few words (${MIN_LATE_ENTRY_REASON} to ${MAX_LATE_ENTRY_REASON} characters), or type "cancel".`),
    });
  }

  private async receivedDone(step: WaterfallStepContext) {
    return step.endDialog({
      receivedOn: String((step.values as { receivedOn?: string }).receivedOn),
      lateEntryReason: String(step.result).trim(),
    } satisfies ReceivedAnswer);
  }

  private async askNote(step: WaterfallStepContext) {
    const v = this.values(step);
    const received = step.result as ReceivedAnswer;
    v.receivedOn = received.receivedOn;
    if (received.lateEntryReason) v.lateEntryReason = received.lateEntryReason;
    return step.prompt(PROMPT.note, {
      prompt: plainMessage('Any reference to keep with it — a ticket number, or how the request arrived? Type "skip" for none.'),
      retryPrompt: plainMessage(`Please keep it under ${MAX_INTAKE_NOTE} characters, or type "skip".`),
    });
  }

  private async showSummary(step: WaterfallStepContext) {
    const v = this.values(step);
    const note = String(step.result ?? '').trim();
    v.intakeNote = SKIP_WORDS.has(note.toLowerCase()) ? undefined : note;
    const due = this.requests.dueDateFor({ regime: v.regime!, receivedOn: v.receivedOn! });
    const lines = [
      'Please check the request:',
      `- Data subject: ${v.subject!.displayName} (${v.subject!.userPrincipalName})`,
      `- Law: ${REGIME_LABEL[v.regime!]}`,
      `- Received: ${formatForPeople(v.receivedOn!)}`,
      ...(v.lateEntryReason ? [`- Recorded late, because: ${v.lateEntryReason}`] : []),
      `- Due: ${this.describeDue(due)}`,
      `- Your reference note (privacy admins only): ${v.intakeNote ?? 'none'}`,
      ...(v.identityVerification
        ? [`- Identity verified by you: ${v.identityVerification}`, '- Delivery: the link comes to you (the subject cannot receive it in Teams)']
        : []),
      // Issue 11.4: the admin learns here, before filing, what stays internal.
      `What ${v.subject!.displayName} will see: the DSR reference, the law, the date received, the due date and where the request stands — never your reference note${v.identityVerification ? ', your identity check' : ''} or who handles it. The privacy channel sees only the reference, the name, the state and the due date.`,
    ];
    await replyPlain(step.context, lines.join('\n'));
    return step.prompt(
      PROMPT.file,
      AnswerPrompt.options({ prompt: 'File this request?', retryPrompt: 'Please answer yes or no: file this request?', answers: YES_NO }),
    );
  }

  private async file(step: WaterfallStepContext) {
    if (step.result !== true) {
      await replyPlain(step.context, 'Not filed. Nothing was changed.');
      return step.endDialog();
    }
    const v = this.values(step);
    try {
      const request = await this.requests.file(actorOf(step.context), {
        subject: v.subject!,
        regime: v.regime!,
        receivedOn: v.receivedOn!,
        ...(v.lateEntryReason ? { lateEntryReason: v.lateEntryReason } : {}),
        ...(v.intakeNote ? { intakeNote: v.intakeNote } : {}),
        ...(v.identityVerification ? { identityVerification: v.identityVerification } : {}),
      });
      const reachable = await this.isReachable(request.subject.objectId);
      const due = this.describeDue(request);
      const next =
        request.deliverTo === 'requester'
          ? 'The export starts now on the strength of your identity check; the download link comes to you here, to hand over securely.'
          : reachable
            ? `${request.subject.displayName} now gets a card in their chat with Privacy Desk to approve or decline. When they approve, the export runs and they receive a private download link.`
            : `${request.subject.displayName} has not opened a chat with Privacy Desk yet, so their confirmation card waits and is delivered as soon as they do.`;
      await replyPlain(
        step.context,
        `Filed ${request.reference} for ${request.subject.displayName}. Due ${due}.\n${next} You'll hear about each step here. Type "status ${request.reference}" any time.`,
      );
      return step.endDialog(request);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(step.context, error.sentence);
      return step.endDialog();
    }
  }

  /** "Mon 7 Dec 2026 (2 days left; the period ended on Sat 5 Dec 2026, a weekend, so it ends on the next working day)". */
  private describeDue(due: DueDate): string {
    const left = describeDaysLeft(daysLeft(due.dueOn, this.requests.today()));
    const moved = due.dueRule ? `; ${DUE_RULE_TEXT.en(formatForPeople(due.dueRule.periodEndsOn), due.dueRule)}` : '';
    return `${formatForPeople(due.dueOn)} (${left}${moved})`;
  }

  /** Says what was wrong with a date (not a date, not a real one, in the future, before the law applied) and asks again. */
  private async validateReceived(prompt: PromptValidatorContext<string>): Promise<boolean> {
    if (!prompt.recognized.succeeded) return false;
    const regime = (prompt.options.validations as { regime: Regime }).regime;
    const received = checkReceivedDate(prompt.recognized.value ?? '', regime, this.requests.today());
    if (received.ok) return true;
    // A reply here takes the place of the retry prompt (botbuilder sends it only when nothing was said).
    await replyPlain(prompt.context, `${received.problem} ${RECEIVED_RETRY}`);
    return false;
  }
}

const RECEIVED_RETRY = 'Please type the date as YYYY-MM-DD, or "today", or type "cancel".';

function isNonEmptyUpTo(text: string | undefined, max: number): boolean {
  const length = text?.trim().length ?? 0;
  return length > 0 && length <= max;
}

function recentOutcome(request: { state: string }): string {
  return STATE_LABEL[request.state as keyof typeof STATE_LABEL].toLowerCase();
}

/** The person behind this turn, as Teams authenticated them. */
export function actorOf(context: TurnContext): Actor {
  const id = context.activity.from?.aadObjectId;
  if (!id) throw new Error('The activity carries no Entra objectId for its sender.');
  return userActor(id);
}
