import type { ByLanguage } from './subjectLanguage';

/** Every fixed string of confirmationCard.json, per language. The requester's name comes before `filedBy`. */
export interface ConfirmationCardText {
  readonly heading: string;
  /** Follows the requester's name, in the same sentence. */
  readonly filedBy: string;
  readonly referenceTitle: string;
  readonly regimeTitle: string;
  readonly receivedTitle: string;
  readonly dueTitle: string;
  readonly ifApproveHeading: string;
  readonly ifApprove: string;
  readonly ifDeclineHeading: string;
  readonly ifDecline: string;
  readonly unexpected: string;
  readonly approveButton: string;
  readonly declineButton: string;
  readonly reasonLabel: string;
  readonly reasonPlaceholder: string;
  readonly declineConfirmButton: string;
}

export const CONFIRMATION_CARD_TEXT: ByLanguage<ConfirmationCardText> = {
  en: {
    heading: 'Do you want a copy of your personal data?',
    filedBy:
      ", a privacy admin, filed a request for a copy of the personal data that Privacy Desk's configured sources hold about you. Nothing is gathered until you answer.",
    referenceTitle: 'Reference',
    regimeTitle: 'Under',
    receivedTitle: 'Received',
    dueTitle: 'We must answer by',
    ifApproveHeading: 'If you approve',
    ifApprove: 'We gather the export and send you a private download link here, in this chat. The link works for a limited time.',
    ifDeclineHeading: 'If you decline',
    ifDecline: 'Nothing is exported. The privacy team is told that you declined, with your reason if you give one.',
    unexpected: "Didn't expect this request? Decline it and say so, or contact your privacy team.",
    approveButton: 'Approve',
    declineButton: 'Decline',
    reasonLabel: 'Your reason (optional)',
    reasonPlaceholder: 'For example: I did not ask for this',
    declineConfirmButton: 'Decline the request',
  },
  de: {
    heading: 'Möchten Sie eine Kopie Ihrer personenbezogenen Daten?',
    filedBy:
      ' aus dem Datenschutzteam hat eine Kopie der personenbezogenen Daten beantragt, die die in Privacy Desk eingerichteten Quellen über Sie speichern. Es werden keine Daten erhoben, bevor Sie antworten.',
    referenceTitle: 'Aktenzeichen',
    regimeTitle: 'Antrag nach',
    receivedTitle: 'Eingegangen',
    dueTitle: 'Antwort spätestens am',
    ifApproveHeading: 'Wenn Sie zustimmen',
    ifApprove: 'Wir stellen den Export zusammen und senden Ihnen hier in diesem Chat einen privaten Download-Link. Der Link ist nur begrenzte Zeit gültig.',
    ifDeclineHeading: 'Wenn Sie ablehnen',
    ifDecline: 'Es wird nichts exportiert. Das Datenschutzteam erfährt, dass Sie abgelehnt haben, und Ihre Begründung, falls Sie eine angeben.',
    unexpected: 'Haben Sie diese Anfrage nicht erwartet? Lehnen Sie sie mit einem kurzen Hinweis ab oder wenden Sie sich an Ihr Datenschutzteam.',
    approveButton: 'Zustimmen',
    declineButton: 'Ablehnen',
    reasonLabel: 'Ihre Begründung (optional)',
    reasonPlaceholder: 'Zum Beispiel: Das habe ich nicht beantragt',
    declineConfirmButton: 'Anfrage ablehnen',
  },
  fr: {
    heading: 'Souhaitez-vous une copie de vos données personnelles\u00A0?',
    filedBy:
      ', de l’équipe de protection des données, a demandé une copie des données personnelles que les sources configurées dans Privacy Desk détiennent à votre sujet. Rien n’est collecté avant votre réponse.',
    referenceTitle: 'Référence',
    regimeTitle: 'Demande au titre du',
    receivedTitle: 'Reçue le',
    dueTitle: 'Réponse au plus tard le',
    ifApproveHeading: 'Si vous acceptez',
    ifApprove: 'Nous préparons l’export et vous envoyons un lien de téléchargement privé ici, dans ce chat. Le lien est valable pour une durée limitée.',
    ifDeclineHeading: 'Si vous refusez',
    ifDecline: 'Rien n’est exporté. L’équipe de protection des données est informée de votre refus, avec votre motif si vous en indiquez un.',
    unexpected: 'Vous n’attendiez pas cette demande\u00A0? Refusez-la en le précisant, ou contactez votre équipe de protection des données.',
    approveButton: 'Accepter',
    declineButton: 'Refuser',
    reasonLabel: 'Votre motif (facultatif)',
    reasonPlaceholder: 'Par exemple\u00A0: je n’ai pas fait cette demande',
    declineConfirmButton: 'Refuser la demande',
  },
};
