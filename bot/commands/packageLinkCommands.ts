import type { PackageLifecycle } from '../../domain/export/packageLifecycle';
import type { CommandTurn } from './command';
import { ReferenceCommand, type CommandReply } from './referenceCommand';

/** `reissue <reference>`: a fresh link to a delivered package, without exporting again. */
export class ReissueCommand extends ReferenceCommand {
  readonly title = 'reissue';
  readonly description = 'Send a fresh download link, without exporting again (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^reissue(?:\s+(.+))?$/i;

  constructor(private readonly lifecycle: PackageLifecycle) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const request = await this.lifecycle.reissue(turn.actor, reference);
    const who = request.deliverTo === 'requester' ? 'you' : request.subject.displayName;
    return { text: `A fresh download link for ${request.reference} is on its way to ${who}. Earlier links keep working until they expire; type "revoke ${request.reference}" to stop them.` };
  }
}

/** `revoke <reference>`: every link issued so far stops working; the package is kept. */
export class RevokeCommand extends ReferenceCommand {
  readonly title = 'revoke';
  readonly description = 'Make every download link for a request stop working (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^revoke(?:\s+(.+))?$/i;

  constructor(private readonly lifecycle: PackageLifecycle) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const request = await this.lifecycle.revoke(turn.actor, reference);
    return { text: `Every download link issued for ${request.reference} has stopped working. The package is kept; "reissue ${request.reference}" sends a new link.` };
  }
}
