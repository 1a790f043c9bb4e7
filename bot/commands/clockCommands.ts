import { formatForPeople } from '../../domain/deadlines/calendarDate';
import { normalizeReference } from '../../domain/requests/reference';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { DUE_RULE_TEXT } from '../../cards/text/dueRuleText';
import { replyPlain, replyUnlessRefused } from './replies';

/**
 * `pause <reference> <what you are waiting for>`: the clock stands still (GDPR) and the subject is asked,
 * in the admin's words, with a way to answer. Their answer comes back to the admins; `resume` restarts it.
 */
export class PauseCommand implements CommandHandler {
  readonly title = 'pause';
  readonly usage = 'pause <reference> <what you are waiting for>';
  readonly description = 'Stop the clock while waiting for the subject (GDPR, admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^pause(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    // The argument is "<reference> <what you are waiting for>".
    const [first = '', ...rest] = (turn.argument ?? '').split(/\s+/);
    const reference = normalizeReference(first);
    if (!reference) {
      await replyPlain(turn.context, 'Which request, and what are you waiting for? For example "pause DSR-2026-0001 waiting for proof of identity".');
      return;
    }
    await replyUnlessRefused(turn.context, async () => {
      const paused = await this.requests.pause(turn.actor, reference, rest.join(' '));
      const told =
        paused.deliverTo === 'subject'
          ? `${paused.subject.displayName} is being asked in their chat for what you wrote, with a way to answer; their answer comes to you here.`
          : `${paused.subject.displayName}'s account is disabled, so they cannot be asked in Teams: ask them yourself.`;
      await replyPlain(
        turn.context,
        `The clock for ${paused.reference} stands still from today. ${told} When you have what you need, type "resume ${paused.reference}"; the days it stood still are added to the due date.`,
      );
    });
  }
}

/** What, after the reference, asks to resume without adding the paused days (a pause begun after the due date). */
const KEEP_DUE_DATE = /\s+keep(?:ing)?\s+(?:the\s+)?due\s+date\s*$/i;

/**
 * `resume <reference>`: the clock moves again; the due date moves by the days it stood still.
 * `resume <reference> keeping the due date`: the same, the due date left where it is.
 */
export class ResumeCommand implements CommandHandler {
  readonly title = 'resume';
  readonly usage = 'resume <reference>';
  readonly description = 'Start a paused clock again (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^resume(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    const argument = turn.argument ?? '';
    const keepDueDate = KEEP_DUE_DATE.test(argument);
    const reference = normalizeReference(argument.replace(KEEP_DUE_DATE, ''));
    if (!reference) {
      await replyPlain(turn.context, 'Which request? Type "resume" and its reference, for example "resume DSR-2026-0001".');
      return;
    }
    await replyUnlessRefused(turn.context, async () => {
      const resumed = await this.requests.resume(turn.actor, reference, { keepDueDate });
      const moved = resumed.dueRule ? ` (${DUE_RULE_TEXT.en(formatForPeople(resumed.dueRule.periodEndsOn), resumed.dueRule)})` : '';
      await replyPlain(turn.context, `The clock for ${resumed.reference} is running again: now due ${formatForPeople(resumed.dueOn)}${moved}.`);
    });
  }
}
