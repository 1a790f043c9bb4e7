import { formatForPeople } from '../../domain/deadlines/calendarDate';
import { normalizeReference } from '../../domain/requests/reference';
import type { RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { ReferenceCommand, type CommandReply } from './referenceCommand';
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
      await replyPlain(turn.context, `The clock for ${paused.reference} stands still from today. ${told} When you have what you need, type "resume ${paused.reference}"; the days it stood still are added to the due date.`);
    });
  }
}

/** `resume <reference>`: the clock moves again; the due date moves by the days it stood still. */
export class ResumeCommand extends ReferenceCommand {
  readonly title = 'resume';
  readonly usage = 'resume <reference>';
  readonly description = 'Start a paused clock again (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^resume(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const resumed = await this.requests.resume(turn.actor, reference);
    return { text: `The clock for ${resumed.reference} is running again: now due ${formatForPeople(resumed.dueOn)}.` };
  }
}
