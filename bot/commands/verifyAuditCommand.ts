import { verifyAuditLog } from '../../domain/audit/auditVerification';
import type { AdminPolicy } from '../../domain/policy/adminPolicy';
import type { RequestStore } from '../../domain/requests/requestStore';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain, replyUnlessRefused } from './replies';

const REASON_TEXT = { edited: 'an event was changed after it was written', removed_or_reordered: 'an event is missing or out of order' } as const;

/** `verify audit`: checks the whole hash-chained audit log and says whether it is intact, or where it breaks. */
export class VerifyAuditCommand implements CommandHandler {
  readonly title = 'verify audit';
  readonly readOnly = true;
  readonly description = 'Check that the audit trail is intact (admins)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^verify\s+audit$/i;

  constructor(private readonly deps: { store: RequestStore; admins: AdminPolicy }) {}

  async handle(turn: CommandTurn): Promise<void> {
    await replyUnlessRefused(turn.context, async () => {
      const report = await verifyAuditLog(turn.actor, this.deps);
      if (report.intact) {
        await replyPlain(turn.context, `The audit trail is intact: ${report.checked} events checked, each linked to the one before by its hash.`);
        return;
      }
      const where = report.broken!;
      await replyPlain(
        turn.context,
        `The audit trail is NOT intact: it breaks at event #${where.sequence}${where.reference ? ` (request ${where.reference})` : ''} — ${REASON_TEXT[where.reason]}. ${report.checked} events before it check out. Keep this for your records and investigate before relying on the trail.`,
      );
    });
  }
}
