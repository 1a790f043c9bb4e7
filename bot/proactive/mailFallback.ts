import type { MailMessage } from '../../domain/delivery/reach';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { escapeHtml } from '../../domain/export/coverLetter';

/**
 * The mail a data subject gets when Teams will not deliver to them: no data and no download link in
 * it (mail is easily forwarded), only the reference and a link that opens the chat with Privacy Desk.
 */
export function mailFallbackMessage(request: ExportRequest, toAddress: string, botChatLink: string): MailMessage {
  const name = escapeHtml(request.subject.displayName);
  const reference = escapeHtml(request.reference);
  return {
    toAddress,
    subject: `Your data request ${request.reference}: please open Privacy Desk in Microsoft Teams`,
    html: [
      `<p>Dear ${name},</p>`,
      `<p>There is a message for you about your personal data request <strong>${reference}</strong>, but Microsoft Teams could not deliver it to you.</p>`,
      `<p><a href="${escapeHtml(botChatLink)}">Open your chat with Privacy Desk in Teams</a> to read it and answer. If you blocked Privacy Desk in Teams, unblock it first.</p>`,
      '<p>This mail contains no personal data and no download link. If you did not expect it, reply to let the privacy team know.</p>',
    ].join('\n'),
  };
}
