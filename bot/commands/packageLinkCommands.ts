import { formatInstantForPeople } from '../../cards/packageReadyCard';
import type { EarlierLinks, PackageLifecycle, Revoked } from '../../domain/export/packageLifecycle';
import { RequestState } from '../../domain/requests/lifecycle';
import type { CommandTurn } from './command';
import { ReferenceCommand, type CommandReply } from './referenceCommand';

/** `reissue <reference>`: a fresh link to a delivered package, without exporting again. */
export class ReissueCommand extends ReferenceCommand {
  readonly title = 'reissue';
  readonly usage = 'reissue <reference>';
  readonly description = 'Send a fresh download link, without exporting again (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^reissue(?:\s+(.+))?$/i;

  /** `timeZone`: the tenant's, for the dates in the reply. */
  constructor(
    private readonly lifecycle: PackageLifecycle,
    private readonly timeZone = 'UTC',
  ) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const { request, earlier } = await this.lifecycle.reissue(turn.actor, reference);
    const who = request.deliverTo === 'requester' ? 'you' : request.subject.displayName;
    return {
      text: `A fresh download link for ${request.reference} is on its way to ${who}. ${earlierLinksSentence(request.reference, earlier, this.timeZone)}`,
    };
  }
}

/** `revoke <reference>`: every link issued so far stops working; the package is kept. */
export class RevokeCommand extends ReferenceCommand {
  readonly title = 'revoke';
  readonly usage = 'revoke <reference>';
  readonly description = 'Make every download link for a request stop working (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^revoke(?:\s+(.+))?$/i;

  constructor(private readonly lifecycle: PackageLifecycle) {
    super();
  }

  protected async act(turn: CommandTurn, reference: string): Promise<CommandReply> {
    const revoked = await this.lifecycle.revoke(turn.actor, reference);
    const { request } = revoked;
    return {
      text: `Every download link issued for ${request.reference} has stopped working. ${revokeToldSentence(revoked)} The package is kept; "reissue ${request.reference}" sends a new link.`,
    };
  }
}

/**
 * What a reissue may truthfully say about the links sent before it: links sent before a revoke no
 * longer work; those sent since work until they expire (or the package is deleted, if sooner).
 */
export function earlierLinksSentence(reference: string, earlier: EarlierLinks, timeZone: string): string {
  const at = (instant: Date) => formatInstantForPeople(instant, timeZone);
  const revoke = `type "revoke ${reference}" to stop every link sent so far`;
  const revoked = earlier.revokedAt ? ` on ${at(earlier.revokedAt)}` : '';
  if (earlier.working > 0) {
    const until = `${at(earlier.workUntil!)}${earlier.stopsBecause === 'retention' ? ', when the package is deleted after the retention period' : ''}`;
    if (earlier.withdrawn > 0) return `Links sent before the revoke${revoked} stay withdrawn; those sent since keep working until ${until}; ${revoke}.`;
    return `Earlier links keep working until ${until}; ${revoke}.`;
  }
  if (earlier.withdrawn > 0 && earlier.expired > 0) return `Earlier links were withdrawn by the revoke${revoked} or have expired: only the new link will work.`;
  if (earlier.withdrawn > 0) return `Earlier links were withdrawn by the revoke${revoked} and stay withdrawn: only the new link will work.`;
  if (earlier.expired > 0) return 'Earlier links have expired: only the new link will work.';
  return 'No link was sent before this one.';
}

/** What the person holding the links is told about a revoke (never why: no note of the admin's reaches them). */
export function revokeToldSentence({ request, recipient, recipientTold }: Revoked): string {
  const forAdmin = recipient === 'requester';
  const who = forAdmin ? 'you' : request.subject.displayName;
  if (recipientTold) {
    return forAdmin
      ? 'Your download cards are being changed to say the link was withdrawn (if a card is gone, a short message says so instead).'
      : `${who}'s download cards are being changed to say the link was withdrawn by the privacy team and that, if they still need their data, the privacy team can send a new link (quoting ${request.reference}); if a card is gone, a short message says so instead. They are not told why.`;
  }
  if (request.state === RequestState.Ready)
    return `No link had been sent yet, so nobody is told anything; the link on its way to ${who} will be a new one that works.`;
  return `No link was sent since the last revoke, so ${forAdmin ? 'there is nothing new to withdraw' : `${who} is told nothing new`}.`;
}
