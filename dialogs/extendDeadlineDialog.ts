import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import { describeExtension, type DueDate } from '../domain/deadlines/extension';
import { DUE_RULE_TEXT } from '../cards/text/dueRuleText';
import { isRefusal } from '../domain/refusal';
import type { ExportRequest } from '../domain/requests/exportRequest';
import type { RequestService } from '../domain/requests/requestService';
import { actorOf } from './exportRequestDialog';
import { plainMessage, replyPlain, replyUnlessRefused } from '../bot/commands/replies';
import { AnswerPrompt } from './prompts/answerPrompt';
import { YES_NO } from './prompts/commonAnswers';

export const EXTEND_DEADLINE_DIALOG = 'extendDeadline';
const PROMPT = { length: 'extendLengthPrompt', reason: 'extendReasonPrompt', confirm: 'extendConfirmPrompt' } as const;
const WATERFALL = 'extendDeadlineSteps';
const MIN_REASON = 5;
/** The subject reads the reason on a card; a page of text there helps nobody. */
export const MAX_EXTENSION_REASON = 500;

export interface ExtendDeadlineOptions {
  readonly reference: string;
}

interface Values {
  request?: ExportRequest;
  lengths?: number[];
  unit?: 'months' | 'days';
  amount?: number;
  reason?: string;
}

/**
 * `extend <reference>`: which length (only those the regime still allows), the reason the subject
 * will read, a summary with the new date, then the extension — audited, and the subject told.
 */
export class ExtendDeadlineDialog extends ComponentDialog {
  constructor(private readonly requests: RequestService) {
    super(EXTEND_DEADLINE_DIALOG);
    this.addDialog(new AnswerPrompt<number>(PROMPT.length));
    this.addDialog(
      new TextPrompt(PROMPT.reason, async (p) => {
        const length = p.recognized.value?.trim().length ?? 0;
        return length >= MIN_REASON && length <= MAX_EXTENSION_REASON;
      }),
    );
    this.addDialog(new AnswerPrompt<boolean>(PROMPT.confirm));
    this.addDialog(new WaterfallDialog(WATERFALL, [(s) => this.askLength(s), (s) => this.askReason(s), (s) => this.confirm(s), (s) => this.extend(s)]));
    this.initialDialogId = WATERFALL;
  }

  private values(step: WaterfallStepContext): Values {
    return step.values as Values;
  }

  private async askLength(step: WaterfallStepContext) {
    const { reference } = step.options as ExtendDeadlineOptions;
    try {
      const options = await this.requests.extensionOptions(actorOf(step.context), reference);
      Object.assign(this.values(step), options);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(step.context, error.sentence);
      return step.endDialog();
    }
    const v = this.values(step);
    const answers = v.lengths!.map((amount) => ({ title: describeExtension(amount, v.unit!), answer: describeExtension(amount, v.unit!), value: amount }));
    return step.prompt(
      PROMPT.length,
      AnswerPrompt.options({
        prompt: `${v.request!.reference} is due ${formatForPeople(v.request!.dueOn)}. By how much should the deadline be extended?`,
        retryPrompt: `Please choose ${answers.map((a) => `"${a.answer}"`).join(' or ')}, or type "cancel".`,
        answers,
      }),
    );
  }

  private async askReason(step: WaterfallStepContext) {
    const v = this.values(step);
    v.amount = step.result as number;
    return step.prompt(PROMPT.reason, {
      prompt: plainMessage(`Why is more time needed? ${v.request!.subject.displayName} will read this reason with the new date.`),
      retryPrompt: plainMessage(
        `Please give the reason in a few words, up to ${MAX_EXTENSION_REASON} characters (the subject will read it), or type "cancel".`,
      ),
    });
  }

  private async confirm(step: WaterfallStepContext) {
    const v = this.values(step);
    v.reason = String(step.result).trim();
    const newDue = this.requests.dueDateFor(v.request!, [...(v.request!.extensions ?? []), { amount: v.amount!, unit: v.unit!, reason: v.reason, at: '' }]);
    await replyPlain(
      step.context,
      `Extend ${v.request!.reference} by ${describeExtension(v.amount!, v.unit!)}: due ${describeNewDue(newDue)} instead of ${formatForPeople(v.request!.dueOn)}. ${v.request!.subject.displayName} will be told, with your reason: "${v.reason}".`,
    );
    return step.prompt(
      PROMPT.confirm,
      AnswerPrompt.options({ prompt: 'Extend the deadline?', retryPrompt: 'Please answer yes or no: extend the deadline?', answers: YES_NO }),
    );
  }

  private async extend(step: WaterfallStepContext) {
    const v = this.values(step);
    if (step.result !== true) {
      await replyPlain(step.context, 'Not extended. Nothing was changed.');
      return step.endDialog();
    }
    await replyUnlessRefused(step.context, async () => {
      const extended = await this.requests.extend(actorOf(step.context), v.request!.reference, v.amount!, v.reason!);
      await replyPlain(
        step.context,
        `Extended: ${extended.reference} is now due ${describeNewDue(extended)}. ${extended.subject.displayName} is being told, with your reason.`,
      );
    });
    return step.endDialog();
  }
}

/** "Mon 5 Apr 2027" and, where the working-day rule moved it, why: "(the period ended on Sat 3 Apr 2027, …)". */
function describeNewDue(due: DueDate): string {
  return `${formatForPeople(due.dueOn)}${due.dueRule ? ` (${DUE_RULE_TEXT.en(formatForPeople(due.dueRule.periodEndsOn), due.dueRule)})` : ''}`;
}
