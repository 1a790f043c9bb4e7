import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import { buildPromptCard, PROMPT_ANSWER_KEY, type PromptButton } from '../../cards';
import { cardMessage } from '../../bot/commands/replies';

/** One answer a question accepts: its button, and the words that mean it when typed. */
export interface AcceptedAnswer<T> extends PromptButton {
  readonly value: T;
  /** Other words that mean this answer, matched whole (any case), e.g. "y" for yes. */
  readonly words?: readonly string[];
}

/** What a step passes to `step.prompt` for an AnswerPrompt. */
export interface AnswerPromptOptions<T> {
  readonly prompt: string;
  readonly retryPrompt: string;
  readonly answers: readonly AcceptedAnswer<T>[];
}

/**
 * A question with a fixed set of answers, asked on a card with a button per answer. Unlike
 * botbuilder's ConfirmPrompt and ChoicePrompt, which pick a choice out of any sentence that holds a
 * number or a yes ("status DSR-2026-0001" became choice 1, "I have 1 question" became yes), it accepts
 * only the whole answer: the button's value, its title or one of its words, in any case. Anything else
 * is asked again, so nothing is ever filed on a misread.
 */
export class AnswerPrompt<T> extends Prompt<T> {
  // Public: botbuilder's Prompt constructor is protected. No validator: the answers are the rule.
  constructor(dialogId: string) {
    super(dialogId);
  }

  /** Options for `step.prompt(id, …)`: the answers travel in `validations`, which the dialog state keeps. */
  static options<T>(options: AnswerPromptOptions<T>): PromptOptions {
    return { prompt: options.prompt, retryPrompt: options.retryPrompt, validations: { answers: options.answers } };
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    // Privacy Desk's prompts are text (the card carries the answers); an activity would be its text.
    const asked = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    const question = typeof asked === 'string' ? asked : (asked?.text ?? '');
    await context.sendActivity(cardMessage(buildPromptCard(question, answersOf<T>(options)), firstLine(question)));
  }

  protected async onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<T>> {
    const given = normalize(answerIn(context));
    if (!given) return { succeeded: false };
    const match = answersOf<T>(options).find((a) => [a.answer, a.title, ...(a.words ?? [])].some((w) => normalize(w) === given));
    return match ? { succeeded: true, value: match.value } : { succeeded: false };
  }
}

function answersOf<T>(options: PromptOptions): readonly AcceptedAnswer<T>[] {
  return ((options.validations as { answers?: AcceptedAnswer<T>[] } | undefined)?.answers ?? []) as readonly AcceptedAnswer<T>[];
}

/** A button's answer (from `value`, for clients that post only the card's data), else the typed text. */
function answerIn(context: TurnContext): string {
  const value = context.activity.value as Record<string, unknown> | undefined;
  const fromButton = value && typeof value === 'object' ? value[PROMPT_ANSWER_KEY] : undefined;
  return typeof fromButton === 'string' ? fromButton : (context.activity.text ?? '');
}

function normalize(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '')
    .toLowerCase();
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
