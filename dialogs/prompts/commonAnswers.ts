import type { AcceptedAnswer } from './answerPrompt';

/** Yes or no, as buttons and as the words people type. */
export const YES_NO: readonly AcceptedAnswer<boolean>[] = [
  { title: 'Yes', answer: 'yes', value: true, words: ['y'] },
  { title: 'No', answer: 'no', value: false, words: ['n'] },
];
