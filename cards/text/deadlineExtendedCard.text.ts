import type { ByLanguage } from './subjectLanguage';

/** Every fixed string of deadlineExtendedCard.json, per language. */
export interface DeadlineExtendedCardText {
  readonly heading: string;
  readonly extended: (reference: string, newDue: string, previousDue: string) => string;
  /** Under the date when the working-day rule moved it: why it is that day (`why` from DUE_RULE_TEXT). */
  readonly dueRule: (why: string) => string;
  readonly reasonHeading: string;
  readonly disagree: string;
}

export const DEADLINE_EXTENDED_CARD_TEXT: ByLanguage<DeadlineExtendedCardText> = {
  en: {
    heading: 'We need more time for your request',
    extended: (r, n, p) => `The law lets us extend the time to answer your request ${r} when it needs it. We will answer by ${n} at the latest (it was ${p}).`,
    dueRule: (why) => `About that date: ${why}.`,
    reasonHeading: 'Why',
    disagree: 'If you disagree, you may contact the privacy team or lodge a complaint with a supervisory authority.',
  },
  de: {
    heading: 'Wir benötigen mehr Zeit für Ihre Anfrage',
    extended: (r, n, p) =>
      `Das Gesetz erlaubt uns, die Frist für die Antwort auf Ihre Anfrage ${r} zu verlängern, wenn es nötig ist. Wir antworten spätestens am ${n} (bisher: ${p}).`,
    dueRule: (why) => `Zu diesem Datum: ${why}.`,
    reasonHeading: 'Begründung',
    disagree: 'Wenn Sie nicht einverstanden sind, können Sie sich an das Datenschutzteam wenden oder bei einer Aufsichtsbehörde Beschwerde einlegen.',
  },
  fr: {
    heading: 'Nous avons besoin de plus de temps pour votre demande',
    extended: (r, n, p) =>
      `La loi nous permet de prolonger le délai de réponse à votre demande ${r} lorsque c’est nécessaire. Nous répondrons au plus tard le ${n} (au lieu du ${p}).`,
    dueRule: (why) => `À propos de cette date : ${why}.`,
    reasonHeading: 'Motif',
    disagree:
      'Si vous n’êtes pas d’accord, vous pouvez contacter l’équipe de protection des données ou introduire une réclamation auprès d’une autorité de contrôle.',
  },
};
