import type { Notification } from '../../domain/delivery/notification';
import type { AuditEvent } from '../../domain/requests/auditEvent';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { ClaimedNotification, MessageContent } from '../../domain/requests/requestStore';

/** How both stores read and write the same rows: the SQL differs by dialect, the rows' meaning does not. */

export const NotificationStatus = { Pending: 'pending', Done: 'done' } as const;

/** A row whose JSON body is the whole domain object. */
export interface BodyRow {
  readonly body: string;
}

export interface NotificationRow {
  /** SQLite hands a number; pg a string (bigint). Only used to order. */
  readonly sequence: number | string;
  readonly id: string;
  readonly request_id: string;
  readonly kind: Notification['kind'];
  readonly moment: Notification['moment'] | null;
  readonly recipient_id: string | null;
  readonly attempts: number;
  /** JSON MessageContent. */
  readonly content: string | null;
  readonly send_attempt: number | null;
}

/** People are matched by objectId whatever its case: Teams and Graph do not agree on one. */
export function personKey(objectId: string): string {
  return objectId.toLowerCase();
}

export function requestFrom(row: unknown): ExportRequest {
  return JSON.parse((row as BodyRow).body) as ExportRequest;
}

export function auditEventFrom(row: unknown): AuditEvent {
  return JSON.parse((row as BodyRow).body) as AuditEvent;
}

export function claimedNotificationFrom(row: NotificationRow): ClaimedNotification {
  const notification: Notification = {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    ...(row.moment !== null ? { moment: row.moment } : {}),
    ...(row.recipient_id !== null ? { recipientId: row.recipient_id } : {}),
  };
  return {
    notification,
    attempts: row.attempts,
    ...(row.content !== null ? { content: JSON.parse(row.content) as MessageContent } : {}),
    ...(row.send_attempt !== null ? { unsettledAttempt: row.send_attempt } : {}),
  };
}
