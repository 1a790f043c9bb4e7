import { daysLeft } from '../../domain/deadlines/dueDate';
import type { CalendarDate } from '../../domain/deadlines/calendarDate';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { internalPartsFor, type InternalParts } from '../../domain/requests/internalParts';
import { isOpen, RequestState, STATE_LABEL } from '../../domain/requests/lifecycle';
import type { Regime } from '../../domain/requests/regime';

/**
 * A request as the tab's JSON API shows it. Built from an allow-list, never by copying the request:
 * a field added to ExportRequest later reaches no one until it is added here on purpose. Dates are
 * ISO calendar dates; the page formats them in the reader's language.
 */
export interface RequestView {
  readonly reference: string;
  readonly subject: { readonly objectId: string; readonly displayName: string };
  readonly state: RequestState;
  readonly stateLabel: string;
  readonly open: boolean;
  readonly regime: Regime;
  readonly receivedOn: CalendarDate;
  readonly dueOn: CalendarDate;
  /** Days until the due date while open (negative when overdue); absent once closed. */
  readonly daysLeft?: number;
  /** The subject's own reason, when they declined. */
  readonly declineReason?: string;
  /** Which source failed (its name only: the error text is for admins, through the bot). */
  readonly failedSource?: string;
  readonly paused?: { readonly since: string };
  /** Privacy admins only (internalPartsFor). */
  readonly internal?: InternalParts;
}

export function requestView(request: ExportRequest, today: CalendarDate, readerIsAdmin: boolean): RequestView {
  const open = isOpen(request.state);
  const internal = internalPartsFor(request, readerIsAdmin);
  return {
    reference: request.reference,
    subject: { objectId: request.subject.objectId, displayName: request.subject.displayName },
    state: request.state,
    stateLabel: STATE_LABEL[request.state],
    open,
    regime: request.regime,
    receivedOn: request.receivedOn,
    dueOn: request.dueOn,
    ...(open ? { daysLeft: daysLeft(request.dueOn, today) } : {}),
    ...(request.state === RequestState.Declined && request.declineReason?.trim() ? { declineReason: request.declineReason.trim() } : {}),
    ...(request.state === RequestState.Failed && request.failure ? { failedSource: request.failure.source } : {}),
    ...(request.pause ? { paused: { since: request.pause.since } } : {}),
    ...(Object.keys(internal).length > 0 ? { internal } : {}),
  };
}
