import type { PackageLifecycle } from '../../domain/export/packageLifecycle';
import { isRefusal } from '../../domain/refusal';
import { normalizeReference } from '../../domain/requests/reference';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain } from './replies';

/** The shared shape of `reissue <reference>` and `revoke <reference>`: admin actions on a package's links. */
abstract class PackageLinkCommand implements CommandHandler {
  abstract readonly title: string;
  abstract readonly description: string;
  readonly scopes = ['personal'] as const;
  abstract readonly pattern: RegExp;

  constructor(protected readonly lifecycle: PackageLifecycle) {}

  protected abstract act(turn: CommandTurn, reference: string): Promise<string>;

  async handle(turn: CommandTurn): Promise<void> {
    const reference = turn.argument ? normalizeReference(turn.argument) : undefined;
    if (!reference) {
      await replyPlain(turn.context, `Which request? Type "${this.title}" and its reference, for example "${this.title} DSR-2026-0001".`);
      return;
    }
    try {
      await replyPlain(turn.context, await this.act(turn, reference));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(turn.context, error.sentence);
    }
  }
}

export class ReissueCommand extends PackageLinkCommand {
  readonly title = 'reissue';
  readonly description = 'Send a fresh download link, without exporting again (admins)';
  readonly pattern = /^reissue(?:\s+(.+))?$/i;

  protected async act(turn: CommandTurn, reference: string): Promise<string> {
    const request = await this.lifecycle.reissue(turn.actor, reference);
    const who = request.deliverTo === 'requester' ? 'you' : request.subject.displayName;
    return `A fresh download link for ${request.reference} is on its way to ${who}. Earlier links keep working until they expire; type "revoke ${request.reference}" to stop them.`;
  }
}

export class RevokeCommand extends PackageLinkCommand {
  readonly title = 'revoke';
  readonly description = 'Make every download link for a request stop working (admins)';
  readonly pattern = /^revoke(?:\s+(.+))?$/i;

  protected async act(turn: CommandTurn, reference: string): Promise<string> {
    const request = await this.lifecycle.revoke(turn.actor, reference);
    return `Every download link issued for ${request.reference} has stopped working. The package is kept; "reissue ${request.reference}" sends a new link.`;
  }
}
