/**
 * The request lifecycle as one explicit state machine. Every change of state in Privacy Desk goes
 * through `nextState`, so the table below is the whole truth about what may follow what.
 */
export const RequestState = {
  Filed: 'filed',
  AwaitingConfirmation: 'awaiting_confirmation',
  Confirmed: 'confirmed',
  Exporting: 'exporting',
  Ready: 'ready',
  Delivered: 'delivered',
  Completed: 'completed',
  Declined: 'declined',
  Unconfirmed: 'unconfirmed',
  Cancelled: 'cancelled',
  Failed: 'failed',
  Purged: 'purged',
} as const;
export type RequestState = (typeof RequestState)[keyof typeof RequestState];

export const RequestEvent = {
  /** The confirmation card was queued for the data subject. */
  AskSubject: 'ask_subject',
  /** The subject approved (or, in self-service, filed for themselves). */
  Confirm: 'confirm',
  Decline: 'decline',
  /** The subject did not answer in time. */
  Lapse: 'lapse',
  Cancel: 'cancel',
  StartExport: 'start_export',
  ExportSucceeded: 'export_succeeded',
  ExportFailed: 'export_failed',
  Retry: 'retry',
  /** The download link was sent to whoever receives the package. */
  Deliver: 'deliver',
  Complete: 'complete',
  Purge: 'purge',
} as const;
export type RequestEvent = (typeof RequestEvent)[keyof typeof RequestEvent];

const S = RequestState;
const E = RequestEvent;

const TRANSITIONS: Readonly<Record<RequestState, Partial<Record<RequestEvent, RequestState>>>> = {
  [S.Filed]: { [E.AskSubject]: S.AwaitingConfirmation, [E.Confirm]: S.Confirmed, [E.Cancel]: S.Cancelled },
  [S.AwaitingConfirmation]: {
    [E.Confirm]: S.Confirmed,
    [E.Decline]: S.Declined,
    [E.Lapse]: S.Unconfirmed,
    [E.Cancel]: S.Cancelled,
  },
  [S.Confirmed]: { [E.StartExport]: S.Exporting, [E.Cancel]: S.Cancelled },
  [S.Exporting]: { [E.ExportSucceeded]: S.Ready, [E.ExportFailed]: S.Failed },
  [S.Ready]: { [E.Deliver]: S.Delivered },
  [S.Delivered]: { [E.Complete]: S.Completed },
  [S.Completed]: { [E.Purge]: S.Purged },
  [S.Failed]: { [E.Retry]: S.Confirmed, [E.Cancel]: S.Cancelled },
  [S.Declined]: {},
  [S.Unconfirmed]: {},
  [S.Cancelled]: {},
  [S.Purged]: {},
};

export class IllegalTransition extends Error {
  constructor(
    readonly from: RequestState,
    readonly event: RequestEvent,
  ) {
    super(`A request in state "${from}" cannot take the event "${event}".`);
    this.name = 'IllegalTransition';
  }
}

export function nextState(from: RequestState, event: RequestEvent): RequestState {
  const to = TRANSITIONS[from][event];
  if (!to) throw new IllegalTransition(from, event);
  return to;
}

export function canTake(from: RequestState, event: RequestEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** States in which a request still holds the subject's slot: a second request for them is refused. */
export const OPEN_STATES: readonly RequestState[] = [S.Filed, S.AwaitingConfirmation, S.Confirmed, S.Exporting, S.Ready, S.Failed];

export function isOpen(state: RequestState): boolean {
  return OPEN_STATES.includes(state);
}

export const ALL_STATES: readonly RequestState[] = Object.values(S);
export const ALL_EVENTS: readonly RequestEvent[] = Object.values(E);

/** Words a person reads for each state. */
export const STATE_LABEL: Record<RequestState, string> = {
  filed: 'Filed',
  awaiting_confirmation: 'Awaiting the data subject’s confirmation',
  confirmed: 'Confirmed, export queued',
  exporting: 'Exporting',
  ready: 'Package ready, delivering the link',
  delivered: 'Delivered',
  completed: 'Completed',
  declined: 'Declined by the data subject',
  unconfirmed: 'Closed, not confirmed in time',
  cancelled: 'Cancelled',
  failed: 'Export failed',
  purged: 'Package deleted after retention',
};
