import type { Activity } from 'botbuilder';
import { plainMessage } from '../../bot/commands/replies';
import type { AcceptedAnswer } from './answerPrompt';

/** Yes or no, as buttons and as the words people type. */
export const YES_NO: readonly AcceptedAnswer<boolean>[] = [
  { title: 'Yes', answer: 'yes', value: true, words: ['y'] },
  { title: 'No', answer: 'no', value: false, words: ['n'] },
];

/**
 * A text prompt's question as plain text: questions quote display names and what people typed, and a
 * prompt sent as Markdown would turn `[click](https://…)` into a live link.
 */
export function plainQuestion(text: string): Partial<Activity> {
  return plainMessage(text);
}
