import type { ByLanguage } from './subjectLanguage';

/**
 * Every fixed string of linkWithdrawnCard.json, and of the short notice sent when a card that carried
 * a link is gone. What the person reads: the link was withdrawn, and what happens next — never why
 * (no note of the privacy team's reaches them).
 */
export interface LinkWithdrawnCardText {
  readonly heading: string;
  readonly withdrawn: (reference: string) => string;
  readonly nextHeading: string;
  readonly next: (reference: string) => string;
  /** The notice when a card could not be changed in place. */
  readonly noticeTitle: (reference: string) => string;
  readonly noticeSentence: (reference: string) => string;
}

/** For the data subject, in their language. */
export const LINK_WITHDRAWN_CARD_TEXT: ByLanguage<LinkWithdrawnCardText> = {
  en: {
    heading: 'This download link was withdrawn',
    withdrawn: (r) =>
      `The privacy team withdrew the download link for your request ${r}. The link no longer works, so this card no longer has a download button.`,
    nextHeading: 'What happens next',
    next: (r) =>
      `If you still need your data, the privacy team can send you a new link: contact them and quote ${r}. A new link arrives here, in this chat, on a new card.`,
    noticeTitle: (r) => `Your download link for ${r} was withdrawn`,
    noticeSentence: (r) =>
      `The privacy team withdrew the link to your data, so the download button on the earlier card no longer works. If you still need your data, the privacy team can send you a new link: contact them and quote ${r}.`,
  },
  de: {
    heading: 'Dieser Download-Link wurde zurückgezogen',
    withdrawn: (r) =>
      `Das Datenschutzteam hat den Download-Link zu Ihrer Anfrage ${r} zurückgezogen. Der Link funktioniert nicht mehr, daher hat diese Karte keine Download-Schaltfläche mehr.`,
    nextHeading: 'Wie es weitergeht',
    next: (r) =>
      `Wenn Sie Ihre Daten noch benötigen, kann Ihnen das Datenschutzteam einen neuen Link senden: Wenden Sie sich unter Angabe von ${r} an das Team. Ein neuer Link kommt hier in diesem Chat auf einer neuen Karte an.`,
    noticeTitle: (r) => `Ihr Download-Link zu ${r} wurde zurückgezogen`,
    noticeSentence: (r) =>
      `Das Datenschutzteam hat den Link zu Ihren Daten zurückgezogen, daher funktioniert die Download-Schaltfläche auf der früheren Karte nicht mehr. Wenn Sie Ihre Daten noch benötigen, kann Ihnen das Datenschutzteam einen neuen Link senden: Wenden Sie sich unter Angabe von ${r} an das Team.`,
  },
  fr: {
    heading: 'Ce lien de téléchargement a été retiré',
    withdrawn: (r) =>
      `L’équipe de protection des données a retiré le lien de téléchargement de votre demande ${r}. Le lien ne fonctionne plus\u00A0; cette carte n’a donc plus de bouton de téléchargement.`,
    nextHeading: 'La suite',
    next: (r) =>
      `Si vous avez encore besoin de vos données, l’équipe de protection des données peut vous envoyer un nouveau lien\u00A0: contactez-la en indiquant ${r}. Un nouveau lien arrivera ici, dans cette conversation, sur une nouvelle carte.`,
    noticeTitle: (r) => `Votre lien de téléchargement pour ${r} a été retiré`,
    noticeSentence: (r) =>
      `L’équipe de protection des données a retiré le lien vers vos données\u00A0; le bouton de téléchargement de la carte précédente ne fonctionne donc plus. Si vous avez encore besoin de vos données, l’équipe de protection des données peut vous envoyer un nouveau lien\u00A0: contactez-la en indiquant ${r}.`,
  },
};

/** For the filing admin who received the package in the subject's place (English, as every admin card). */
export const LINK_WITHDRAWN_FOR_REQUESTER_TEXT: LinkWithdrawnCardText = {
  heading: 'Download link withdrawn',
  withdrawn: (r) => `The download link for ${r} was withdrawn (revoke). It no longer works, so this card no longer has a download button.`,
  nextHeading: 'What happens next',
  next: (r) => `The package is kept. To hand it over after all, type "reissue ${r}": a new card with a working link comes here.`,
  noticeTitle: (r) => `${r}: download link withdrawn`,
  noticeSentence: (r) =>
    `The download link for ${r} was withdrawn (revoke), so the download button on the earlier card no longer works. Type "reissue ${r}" for a new link.`,
};
