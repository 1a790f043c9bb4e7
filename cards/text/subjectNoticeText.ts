import type { ByLanguage } from './subjectLanguage';

/** Sentences Privacy Desk says to a data subject outside its card templates, in their language. */
export interface SubjectNoticeText {
  readonly alreadyAnswered: (reference: string) => string;
  readonly lapsedTitle: (reference: string) => string;
  readonly lapsedSentence: string;
}

export const SUBJECT_NOTICE_TEXT: ByLanguage<SubjectNoticeText> = {
  en: {
    alreadyAnswered: (r) => `${r} is no longer waiting for an answer, so nothing was changed.`,
    lapsedTitle: (r) => `Your request ${r} was closed`,
    lapsedSentence: 'We did not receive your confirmation in time, so nothing was exported and the request is closed. You can ask again at any time: type "export my data".',
  },
  de: {
    alreadyAnswered: (r) => `${r} wartet nicht mehr auf eine Antwort, daher wurde nichts geändert.`,
    lapsedTitle: (r) => `Ihre Anfrage ${r} wurde geschlossen`,
    lapsedSentence: 'Ihre Bestätigung ist nicht rechtzeitig eingegangen. Es wurde nichts exportiert und die Anfrage ist geschlossen. Sie können jederzeit erneut eine Anfrage stellen: Schreiben Sie „export my data“.',
  },
  fr: {
    alreadyAnswered: (r) => `${r} n’attend plus de réponse ; rien n’a donc été modifié.`,
    lapsedTitle: (r) => `Votre demande ${r} a été clôturée`,
    lapsedSentence: 'Nous n’avons pas reçu votre confirmation à temps : rien n’a été exporté et la demande est clôturée. Vous pouvez la renouveler à tout moment en écrivant « export my data ».',
  },
};
