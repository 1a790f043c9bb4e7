import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import type { NewNotification } from '../delivery/notification';
import { AuditEvent, AuditEventType } from './auditEvent';
import type { ExportRequest } from './exportRequest';
import { nextState, RequestEvent } from './lifecycle';
import type { RequestChange } from './requestStore';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** `answeredAt` is the lifecycle's to set (see ANSWERING_EVENTS), never a caller's. */
export type RequestPatch = Partial<Omit<Mutable<ExportRequest>, 'id' | 'reference' | 'version' | 'state' | 'answeredAt'>>;

/**
 * The events that answer a request: the link reached whoever receives the package, or the request
 * ended without data (declined, cancelled, not confirmed in time). What follows — closing it after
 * the link's use, deleting the package after retention — is housekeeping, not the answer.
 */
export const ANSWERING_EVENTS: readonly RequestEvent[] = [RequestEvent.Deliver, RequestEvent.Decline, RequestEvent.Cancel, RequestEvent.Lapse];

export function auditEvent(requestId: string, actor: Actor, type: AuditEventType, at: Date, detail: AuditEvent['detail'] = {}): AuditEvent {
  return Object.freeze({ id: randomUUID(), requestId, at: at.toISOString(), actor, type, detail: Object.freeze({ ...detail }) });
}

/**
 * The only way a stored request changes state: the event is checked against the lifecycle table,
 * the version is bumped, and the transition's audit event is part of the same change.
 */
export function transition(
  request: ExportRequest,
  event: RequestEvent,
  actor: Actor,
  at: Date,
  options: { patch?: RequestPatch; detail?: AuditEvent['detail']; notifications?: readonly NewNotification[]; extraAudit?: readonly AuditEvent[] } = {},
): RequestChange {
  const to = nextState(request.state, event);
  const answers = ANSWERING_EVENTS.includes(event) && request.answeredAt === undefined;
  const next: ExportRequest = Object.freeze({
    ...request,
    ...options.patch,
    state: to,
    version: request.version + 1,
    updatedAt: at.toISOString(),
    ...(answers ? { answeredAt: at.toISOString() } : {}),
  });
  const audit = auditEvent(request.id, actor, AuditEventType.Transitioned, at, {
    event,
    from: request.state,
    to,
    ...options.detail,
  });
  return {
    request: next,
    expectedVersion: request.version,
    audit: [audit, ...(options.extraAudit ?? [])],
    notifications: options.notifications ?? [],
  };
}

/** A change that keeps the state but records something (a resumed export, a new attempt). */
export function amend(
  request: ExportRequest,
  patch: RequestPatch,
  audit: readonly AuditEvent[],
  at: Date,
  notifications: readonly NewNotification[] = [],
): RequestChange {
  return {
    request: Object.freeze({ ...request, ...patch, version: request.version + 1, updatedAt: at.toISOString() }),
    expectedVersion: request.version,
    audit,
    notifications,
  };
}
