import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import template from './promptCard.json';

/** The key a dialog button's answer travels under in the message's `value`. */
export const PROMPT_ANSWER_KEY = 'promptAnswer';

export interface PromptButton {
  /** What the button says and what the chat shows as the person's answer. */
  readonly title: string;
  /** What the button sends: a word the prompt accepts when typed, too. */
  readonly answer: string;
}

interface PromptCardData {
  lines: Array<{ line: string }>;
  answers: Array<{ title: string; answer: string }>;
}

/**
 * A dialog question with its answers as buttons. A plain Action.Submit is the one button both Teams
 * and the Agents Playground send: hero-card imBack suggestions show "not supported" in the Playground,
 * and it silently ignores Action.Submit with `msteams` messageBack data (checked in headless Chromium).
 * The click arrives as a message whose `value` carries the answer. The question goes in TextRuns
 * through plainText, because it may quote a display name or what someone typed, and a TextBlock
 * would render that as Markdown (links, mentions).
 */
export function buildPromptCard(question: string, buttons: readonly PromptButton[]): AdaptiveCard {
  const data: PromptCardData = {
    lines: question
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ({ line: plainText(line) })),
    answers: buttons.map((b) => ({ title: plainText(b.title), answer: b.answer })),
  };
  return renderTemplate(template, data);
}
