/** Who did something. `system` is Privacy Desk itself (the export worker, the scheduler). */
export interface Actor {
  readonly kind: 'user' | 'system';
  /** Entra ID objectId of the person; for the system, a fixed id. */
  readonly objectId: string;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system', objectId: 'privacy-desk' });

export function userActor(objectId: string): Actor {
  return Object.freeze({ kind: 'user', objectId });
}
