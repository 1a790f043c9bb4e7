import type { Actor } from '../actor';
import type { AdminPolicy } from '../policy/adminPolicy';
import { Refusal, RefusalCode } from '../refusal';
import type { RequestStore } from '../requests/requestStore';
import { verifyChain } from './auditChain';

export interface AuditReport {
  readonly intact: boolean;
  readonly checked: number;
  /** Where the chain first breaks: the log position, the request it concerns, and what it looks like. */
  readonly broken?: { readonly sequence: number; readonly reference?: string; readonly reason: 'edited' | 'removed_or_reordered' };
}

/** `verify audit`: proof, on demand, that nobody changed the record of what was done. */
export async function verifyAuditLog(actor: Actor, deps: { store: RequestStore; admins: AdminPolicy }): Promise<AuditReport> {
  if (!(await deps.admins.isAdmin(actor.objectId))) {
    throw new Refusal(RefusalCode.NotAnAdmin, 'Only privacy admins can verify the audit trail.');
  }
  const verdict = await verifyChain(deps.store.auditLog());
  if (verdict.intact) return { intact: true, checked: verdict.checked };
  const request = await deps.store.get(verdict.requestId);
  return {
    intact: false,
    checked: verdict.checked,
    broken: { sequence: verdict.brokenAt, ...(request ? { reference: request.reference } : {}), reason: verdict.reason },
  };
}
