/**
 * Mail from the privacy mailbox (GRAPH_MAIL_FROM) through Microsoft Graph sendMail, kept in Sent Items
 * so the privacy team can show what was sent and when.
 *
 * Application permission needed: Mail.Send. It lets the app send as ANY mailbox, so restrict it to the
 * privacy mailbox (Exchange RBAC for Applications, or an application access policy).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { MailMessage, Mailer } from '../../domain/delivery/reach';
import { silentLogger, type Logger } from '../../domain/logger';
import { failureFields, toGraphFailure } from './graphErrors';
import { pathSegment } from './odata';

export interface GraphMailerOptions {
  readonly client: Client;
  /** The mailbox mail is sent from: its address (UPN) or objectId. */
  readonly fromMailbox: string;
  readonly logger?: Logger;
}

export class GraphMailer implements Mailer {
  private readonly logger: Logger;

  constructor(private readonly options: GraphMailerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.options.client.api(`/users/${pathSegment(this.options.fromMailbox)}/sendMail`).post({
        message: {
          subject: message.subject,
          body: { contentType: 'HTML', content: message.html },
          toRecipients: [{ emailAddress: { address: message.toAddress } }],
        },
        saveToSentItems: true,
      });
    } catch (error) {
      const failure = toGraphFailure(error, 'sending mail from the privacy mailbox');
      // Neither the recipient nor the subject line: both can identify the data subject.
      this.logger.warn({ ...failureFields(failure) }, 'Sending mail through Microsoft Graph failed');
      throw failure;
    }
    this.logger.info({}, 'Mail sent through Microsoft Graph');
  }
}
