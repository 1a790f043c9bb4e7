import type { ByLanguage } from './subjectLanguage';

/**
 * Everything a data subject reads about a paused request, per language: the pause notice
 * (pauseNoticeCard.json), the card that replaces it once they answer (answerSentCard.json), and the
 * sentences the bot says when they answer by typing or their answer is not taken.
 */
export interface PausedRequestText {
  /** The notification summary of the pause notice (shown in the activity feed and chat list). */
  readonly summary: (reference: string) => string;
  readonly heading: string;
  /** Followed by the admin's words, as they wrote them. */
  readonly paused: (reference: string) => string;
  readonly howToAnswer: string;
  readonly clockNote: string;
  readonly answerLabel: string;
  readonly answerPlaceholder: string;
  readonly answerRequired: string;
  readonly sendButton: string;

  readonly sentHeading: string;
  readonly sent: (reference: string) => string;
  /** `limit` is already formatted for the language (1,000 / 1.000 / 1 000). */
  readonly truncated: (limit: string) => string;
  readonly askedHeading: string;
  readonly yourAnswerHeading: string;
  readonly addMore: string;

  /** The reply to an answer typed in the chat. */
  readonly sentTyped: (reference: string) => string;
  /** Several requests wait for the subject: which one is this about? `references` is already a list in words. */
  readonly whichRequest: (references: string, example: string) => string;
  /** A message that was only a reference. */
  readonly answerMissing: (reference: string) => string;
  /** A message with files or pictures and no words. */
  readonly filesNotPassed: string;

  readonly nothingSentTitle: string;
  readonly notWaiting: (reference: string) => string;
  readonly empty: string;
  readonly tooMany: (reference: string, count: number) => string;
}

export const PAUSED_REQUEST_TEXT: ByLanguage<PausedRequestText> = {
  en: {
    summary: (r) => `${r}: the privacy team needs something from you`,
    heading: 'We need something from you',
    paused: (r) => `The clock on your request ${r} is paused because the privacy team needs:`,
    howToAnswer: 'Write your answer below and select "Send to the privacy team", or just reply here in this chat.',
    clockNote: 'The time we have to answer your request does not run while we wait for you; it starts again when the privacy team has what it needs.',
    answerLabel: 'Your answer',
    answerPlaceholder: 'Write what the privacy team asked for',
    answerRequired: 'Write your answer first.',
    sendButton: 'Send to the privacy team',

    sentHeading: 'Sent to the privacy team',
    sent: (r) => `Your answer about ${r} is with the privacy team. The clock stays paused until they resume it.`,
    truncated: (n) => `Your answer was longer than ${n} characters, so only the first ${n} were sent. Send the rest as a reply here.`,
    askedHeading: 'What the privacy team asked for',
    yourAnswerHeading: 'Your answer',
    addMore: 'To add something, just reply here in this chat.',

    sentTyped: (r) => `Sent to the privacy team as your answer about ${r}. The clock stays paused until they resume it.`,
    whichRequest: (list, example) =>
      `Which request are you answering? ${list} are waiting for an answer from you. Start your message with the reference, for example "${example} my new postal address is …".`,
    answerMissing: (r) => `What is your answer about ${r}? Write it after the reference.`,
    filesNotPassed:
      'I can only pass written answers to the privacy team, not files or pictures, so nothing was sent. Write your answer here; if they need a document, they will tell you how to send it safely.',

    nothingSentTitle: 'Nothing was sent',
    notWaiting: (r) => `${r} is not waiting for an answer from you any more, so nothing was sent.`,
    empty: 'Write your answer in the box first. Nothing was sent.',
    tooMany: (r, n) =>
      `You have already sent ${n} answers about ${r}, and the privacy team has them all, so this one was not sent. They will come back to you.`,
  },
  de: {
    summary: (r) => `${r}: Das Datenschutzteam benötigt etwas von Ihnen`,
    heading: 'Wir benötigen etwas von Ihnen',
    paused: (r) => `Die Frist für Ihre Anfrage ${r} ist angehalten, weil das Datenschutzteam Folgendes benötigt:`,
    howToAnswer: 'Schreiben Sie Ihre Antwort unten und wählen Sie „An das Datenschutzteam senden“ – oder antworten Sie einfach hier im Chat.',
    clockNote:
      'Solange wir auf Sie warten, läuft die Frist für die Beantwortung Ihrer Anfrage nicht weiter. Sie läuft wieder, sobald das Datenschutzteam hat, was es benötigt.',
    answerLabel: 'Ihre Antwort',
    answerPlaceholder: 'Schreiben Sie, worum das Datenschutzteam gebeten hat',
    answerRequired: 'Schreiben Sie zuerst Ihre Antwort.',
    sendButton: 'An das Datenschutzteam senden',

    sentHeading: 'An das Datenschutzteam gesendet',
    sent: (r) => `Ihre Antwort zu ${r} liegt jetzt beim Datenschutzteam. Die Frist bleibt angehalten, bis das Team sie wieder anlaufen lässt.`,
    truncated: (n) => `Ihre Antwort war länger als ${n} Zeichen; gesendet wurden nur die ersten ${n}. Senden Sie den Rest als Antwort hier im Chat.`,
    askedHeading: 'Worum das Datenschutzteam gebeten hat',
    yourAnswerHeading: 'Ihre Antwort',
    addMore: 'Wenn Sie etwas ergänzen möchten, antworten Sie einfach hier im Chat.',

    sentTyped: (r) => `Als Ihre Antwort zu ${r} an das Datenschutzteam gesendet. Die Frist bleibt angehalten, bis das Team sie wieder anlaufen lässt.`,
    whichRequest: (list, example) =>
      `Auf welche Anfrage antworten Sie? ${list} warten auf eine Antwort von Ihnen. Beginnen Sie Ihre Nachricht mit dem Aktenzeichen, zum Beispiel „${example} meine neue Anschrift lautet …“.`,
    answerMissing: (r) => `Wie lautet Ihre Antwort zu ${r}? Schreiben Sie sie hinter das Aktenzeichen.`,
    filesNotPassed:
      'Ich kann dem Datenschutzteam nur geschriebene Antworten weitergeben, keine Dateien oder Bilder; es wurde daher nichts gesendet. Schreiben Sie Ihre Antwort hier. Wenn das Team ein Dokument benötigt, erklärt es Ihnen, wie Sie es sicher senden.',

    nothingSentTitle: 'Es wurde nichts gesendet',
    notWaiting: (r) => `${r} wartet nicht mehr auf eine Antwort von Ihnen, daher wurde nichts gesendet.`,
    empty: 'Schreiben Sie zuerst Ihre Antwort in das Feld. Es wurde nichts gesendet.',
    tooMany: (r, n) =>
      `Sie haben bereits ${n} Antworten zu ${r} gesendet, und das Datenschutzteam hat sie alle erhalten; diese wurde daher nicht gesendet. Das Team meldet sich bei Ihnen.`,
  },
  fr: {
    summary: (r) => `${r}\u00A0: l’équipe de protection des données a besoin d’un élément de votre part`,
    heading: 'Nous avons besoin d’un élément de votre part',
    paused: (r) => `Le délai de votre demande ${r} est suspendu, car l’équipe de protection des données a besoin de ceci\u00A0:`,
    howToAnswer:
      'Écrivez votre réponse ci-dessous et choisissez «\u00A0Envoyer à l’équipe de protection des données\u00A0», ou répondez simplement ici, dans cette conversation.',
    clockNote:
      'Le délai dont nous disposons pour répondre à votre demande ne court pas pendant que nous attendons votre réponse\u00A0; il reprend dès que l’équipe de protection des données a ce qu’il lui faut.',
    answerLabel: 'Votre réponse',
    answerPlaceholder: 'Écrivez ce que l’équipe de protection des données a demandé',
    answerRequired: 'Écrivez d’abord votre réponse.',
    sendButton: 'Envoyer à l’équipe de protection des données',

    sentHeading: 'Envoyé à l’équipe de protection des données',
    sent: (r) => `Votre réponse concernant ${r} a été transmise à l’équipe de protection des données. Le délai reste suspendu jusqu’à ce qu’elle le relance.`,
    truncated: (n) => `Votre réponse dépassait ${n}\u00A0caractères\u00A0: seuls les ${n} premiers ont été envoyés. Envoyez la suite en répondant ici.`,
    askedHeading: 'Ce que l’équipe de protection des données a demandé',
    yourAnswerHeading: 'Votre réponse',
    addMore: 'Pour ajouter quelque chose, répondez simplement ici, dans cette conversation.',

    sentTyped: (r) => `Envoyé à l’équipe de protection des données comme réponse concernant ${r}. Le délai reste suspendu jusqu’à ce qu’elle le relance.`,
    whichRequest: (list, example) =>
      `À quelle demande répondez-vous\u00A0? ${list} attendent une réponse de votre part. Commencez votre message par la référence, par exemple «\u00A0${example} ma nouvelle adresse postale est …\u00A0».`,
    answerMissing: (r) => `Quelle est votre réponse concernant ${r}\u00A0? Écrivez-la après la référence.`,
    filesNotPassed:
      'Je ne peux transmettre à l’équipe de protection des données que des réponses écrites, pas de fichiers ni d’images\u00A0; rien n’a donc été envoyé. Écrivez votre réponse ici\u00A0; si l’équipe a besoin d’un document, elle vous dira comment l’envoyer en toute sécurité.',

    nothingSentTitle: 'Rien n’a été envoyé',
    notWaiting: (r) => `${r} n’attend plus de réponse de votre part\u00A0; rien n’a donc été envoyé.`,
    empty: 'Écrivez d’abord votre réponse dans le champ. Rien n’a été envoyé.',
    tooMany: (r, n) =>
      `Vous avez déjà envoyé ${n}\u00A0réponses concernant ${r} et l’équipe de protection des données les a toutes reçues\u00A0; celle-ci n’a donc pas été envoyée. L’équipe reviendra vers vous.`,
  },
};
