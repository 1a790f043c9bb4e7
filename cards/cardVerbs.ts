import { MAX_DECLINE_REASON, MAX_SUBJECT_ANSWER } from '../domain/requests/requestService';

/**
 * The contract between the cards and the bot's `adaptiveCard/action` handler. Verbs and input ids
 * live here, not in the JSON templates' data, so the handler and the card cannot drift apart.
 */
export const CardVerb = {
  Approve: 'request.approve',
  Decline: 'request.decline',
  /** A channel card's refresh: admins get the actionable view, everyone else the read-only one. */
  View: 'request.view',
  Extend: 'request.extend',
  Cancel: 'request.cancel',
  Retry: 'request.retry',
  Assign: 'request.assign',
  /** The subject sends their answer from the pause notice (only the subject may). */
  Answer: 'request.answer',
  /** An admin starts a paused clock again from the "subject answered" card (admins only). */
  Resume: 'request.resume',
} as const;
export type CardVerb = (typeof CardVerb)[keyof typeof CardVerb];

/** Inputs on the channel's admin view. */
export const EXTEND_LENGTH_INPUT = 'extendLength';
export const EXTEND_REASON_INPUT = 'extendReason';
export const CANCEL_REASON_INPUT = 'cancelReason';
export const ASSIGNEE_INPUT = 'assignee';

/** The id of the optional free-text reason on the Decline part of the confirmation card. */
export const DECLINE_REASON_INPUT = 'declineReason';

/**
 * The card's Input.Text enforces this length in the client only; the handler must enforce it again,
 * since an invoke can be sent by anything that holds a valid token.
 */
export const DECLINE_REASON_MAX_LENGTH = MAX_DECLINE_REASON;

/** The subject's answer on the pause notice. */
export const SUBJECT_ANSWER_INPUT = 'subjectAnswer';

/** As DECLINE_REASON_MAX_LENGTH: the card enforces it in the client, the domain cuts longer answers again. */
export const SUBJECT_ANSWER_MAX_LENGTH = MAX_SUBJECT_ANSWER;

/**
 * What an Approve or Decline button carries: an opaque id, looked up server-side. Never who clicked
 * (that comes from the activity) and never anything the handler would trust about the request.
 */
export interface RequestActionData {
  requestId: string;
}
