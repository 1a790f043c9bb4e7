/**
 * How Privacy Desk reaches a person who has never talked to the bot (production): install the Teams
 * app for them, or — when Teams delivery fails for good — write to them by mail. Implemented on
 * Microsoft Graph (adapters/graph); plain interfaces so the bot layer and tests need no SDK types.
 */
export interface TeamsAppInstaller {
  /**
   * Makes sure Privacy Desk is installed in the user's personal scope (idempotent) and returns the id
   * of the 1:1 chat between the user and the bot, which is the conversation id to send to.
   * Throws TeamsInstallError when Teams refuses (app blocked by admin, user not licensed, …).
   */
  ensureInstalledForUser(userObjectId: string): Promise<{ chatId: string; installedNow: boolean }>;
}

export class TeamsInstallError extends Error {
  constructor(
    readonly code: 'app_not_in_catalog' | 'blocked_by_admin' | 'user_not_found' | 'not_licensed' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'TeamsInstallError';
  }
}

export interface MailMessage {
  readonly toAddress: string;
  readonly subject: string;
  /** HTML body; every user-supplied string in it must already be escaped. */
  readonly html: string;
}

/** Sends mail from the configured privacy mailbox (Graph sendMail). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
