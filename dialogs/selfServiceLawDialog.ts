import type { TurnContext } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { replyPlain, replyUnlessRefused } from '../bot/commands/replies';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import { isRefusal } from '../domain/refusal';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { Regime, REGIME_LABEL, REGIMES } from '../domain/requests/regime';
import type { RequestService } from '../domain/requests/requestService';
import { actorOf } from './exportRequestDialog';
import { AnswerPrompt, type AcceptedAnswer } from './prompts/answerPrompt';

export const SELF_SERVICE_LAW_DIALOG = 'selfServiceLaw';
const PROMPT = 'selfServiceLawPrompt';
const WATERFALL = 'selfServiceLawSteps';

/** What each law is called on its button, and the other words a person may type for it. */
const LAW_ANSWERS: Readonly<Record<Regime, { readonly name: string; readonly words: readonly string[] }>> = {
  gdpr: { name: 'GDPR', words: ['eu', 'europe', 'dsgvo', 'rgpd'] },
  ccpa: { name: 'CCPA', words: ['california', 'cpra'] },
};

/** Typed after "export my data": the law's name or one of its words, e.g. "export my data ccpa". */
export function lawNamed(typed: string): Regime | undefined {
  const word = typed.trim().toLowerCase();
  return REGIMES.find((r) => r === word || LAW_ANSWERS[r].words.includes(word));
}

/** The buttons, the default first and marked: the person sees which one applies unless they know better. */
export function lawAnswers(defaultRegime: Regime): AcceptedAnswer<Regime>[] {
  const ordered = [defaultRegime, ...REGIMES.filter((r) => r !== defaultRegime)];
  return ordered.map((r) => ({
    title: r === defaultRegime ? `${LAW_ANSWERS[r].name} (default)` : LAW_ANSWERS[r].name,
    answer: LAW_ANSWERS[r].name,
    value: r,
    words: r === defaultRegime ? ['default', ...LAW_ANSWERS[r].words] : LAW_ANSWERS[r].words,
  }));
}

/** What the person is told once their own request is filed. */
export async function replyFiledForSelf(context: TurnContext, request: ExportRequest): Promise<void> {
  await replyPlain(
    context,
    `Your request ${request.reference} is filed under ${REGIME_LABEL[request.regime]} and your export has started. I'll send you a private download link here when it is ready (at the latest by ${formatForPeople(request.dueOn)}).`,
  );
}

/**
 * `export my data` without a law: one question, under which law the request is made (decision 0019),
 * then filed. Someone who cannot file now is told before it is asked, and nothing is filed.
 */
export class SelfServiceLawDialog extends ComponentDialog {
  constructor(private readonly requests: RequestService) {
    super(SELF_SERVICE_LAW_DIALOG);
    this.addDialog(new AnswerPrompt<Regime>(PROMPT));
    this.addDialog(new WaterfallDialog(WATERFALL, [(s) => this.askLaw(s), (s) => this.file(s)]));
    this.initialDialogId = WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    let defaultRegime: Regime;
    try {
      defaultRegime = await this.requests.selfServiceDefault(actorOf(innerDc.context));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(innerDc.context, error.sentence);
      return { status: DialogTurnStatus.complete };
    }
    return super.onBeginDialog(innerDc, { ...options, defaultRegime });
  }

  private async askLaw(step: WaterfallStepContext) {
    const { defaultRegime } = step.options as { defaultRegime: Regime };
    const answers = lawAnswers(defaultRegime);
    return step.prompt(
      PROMPT,
      AnswerPrompt.options({
        prompt: `Under which law do you ask for a copy of your data? ${LAW_ANSWERS[defaultRegime].name} is the default for you here.\nGDPR: the EU's data protection law, answered within one month. CCPA: California's privacy law, answered within 45 days.`,
        retryPrompt: `Please choose ${answers.map((a) => `"${a.answer}"`).join(' or ')}, or type "cancel".`,
        answers,
      }),
    );
  }

  private async file(step: WaterfallStepContext) {
    await replyUnlessRefused(step.context, async () =>
      replyFiledForSelf(step.context, await this.requests.fileForSelf(actorOf(step.context), step.result as Regime)),
    );
    return step.endDialog();
  }
}
