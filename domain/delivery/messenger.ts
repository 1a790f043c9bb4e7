import type { DownloadLink } from '../export/packageStore';
import type { ExportRequest } from '../requests/exportRequest';
import type { Digest } from '../deadlines/deadlineWatch';
import type { Notification } from './notification';

/** What became of one attempt to tell someone something. */
export type DeliveryOutcome =
  | { readonly kind: 'sent' }
  /** Nobody to send to (e.g. no notification channel set): done, nothing to retry. */
  | { readonly kind: 'skipped'; readonly reason: string }
  /**
   * The person cannot be reached in Teams now: try again later (and when they open the chat).
   * `mailed` when Teams refused for good and they were e-mailed a link to the bot chat instead.
   */
  | { readonly kind: 'unreachable'; readonly reason: string; readonly mailed?: boolean };

/**
 * The port through which the domain talks to people; the bot layer turns each notification into
 * an Adaptive Card in Teams. A thrown error means "failed this time, retry with backoff".
 */
export interface Messenger {
  deliver(notification: Notification, request: ExportRequest, link?: DownloadLink): Promise<DeliveryOutcome>;
  /** The privacy team's daily digest (channel only). */
  postDigest?(digest: Digest): Promise<DeliveryOutcome>;
}
