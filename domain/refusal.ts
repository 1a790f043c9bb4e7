/**
 * A refusal is the domain's way of saying "no" to a person: a code the code can branch on, and a
 * sentence the person reads. Throwing one means nothing was changed.
 */
export const RefusalCode = {
  SubjectNotFound: 'subject_not_found',
  NotAUser: 'not_a_user',
  GuestAccount: 'guest_account',
  DisabledAccount: 'disabled_account',
  AmbiguousSubject: 'ambiguous_subject',
  NotAnAdmin: 'not_an_admin',
  NotTheSubject: 'not_the_subject',
  NotAwaitingConfirmation: 'not_awaiting_confirmation',
  DuplicateOpenRequest: 'duplicate_open_request',
  UnknownRequest: 'unknown_request',
  MalformedAction: 'malformed_action',
  InvalidInput: 'invalid_input',
  NotAllowed: 'not_allowed',
  RateLimited: 'rate_limited',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    /** A whole sentence for the person who asked; never includes data from an export. */
    readonly sentence: string,
    /** Where the refusal concerns an existing request, its id (used for the audit event). */
    readonly requestId?: string,
  ) {
    super(sentence);
    this.name = 'Refusal';
  }
}

export function isRefusal(error: unknown): error is Refusal {
  return error instanceof Refusal;
}

/** How much of what someone typed a sentence quotes back: enough to recognise it, never a wall of text. */
export const MAX_ECHO_LENGTH = 60;

/** What someone typed, as a sentence quotes it: one line, cut with "…" past MAX_ECHO_LENGTH. */
export function echo(typed: string, max: number = MAX_ECHO_LENGTH): string {
  return clip(typed.trim().replace(/\s+/g, ' '), max);
}

/** `text` if it fits in `max` characters, else its start and "…" in `max`, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text
    .slice(0, max - 1)
    .replace(/[\uD800-\uDBFF]$/, '')
    .trimEnd()}…`;
}
