import type { ByLanguage } from './subjectLanguage';

/** Every fixed string of confirmationOutcomeCard.json and its outcome sentences, per language. */
export interface ConfirmationOutcomeCardText {
  readonly heading: string;
  readonly referenceTitle: string;
  /** The subject approved; the export is queued or running. */
  readonly approved: string;
  /** The subject declined: closed, nothing exported (the card adds that they can ask again, and where to complain). */
  readonly declined: string;
}

export const CONFIRMATION_OUTCOME_CARD_TEXT: ByLanguage<ConfirmationOutcomeCardText> = {
  en: {
    heading: 'Your data export request',
    referenceTitle: 'Reference',
    approved: 'You approved this request. We’re gathering your data; you’ll get a download link here, in this chat.',
    declined: 'You declined this request, so it is closed and nothing was exported.',
  },
  de: {
    heading: 'Ihre Anfrage zum Datenexport',
    referenceTitle: 'Aktenzeichen',
    approved: 'Sie haben dieser Anfrage zugestimmt. Wir stellen Ihre Daten zusammen; den Download-Link erhalten Sie hier in diesem Chat.',
    declined: 'Sie haben diese Anfrage abgelehnt. Sie ist damit geschlossen, und es wurden keine Daten exportiert.',
  },
  fr: {
    heading: 'Votre demande d’export de données',
    referenceTitle: 'Référence',
    approved: 'Vous avez accepté cette demande. Nous rassemblons vos données\u00A0; vous recevrez un lien de téléchargement ici, dans ce chat.',
    declined: 'Vous avez refusé cette demande : elle est donc clôturée et aucune donnée n’a été exportée.',
  },
};
