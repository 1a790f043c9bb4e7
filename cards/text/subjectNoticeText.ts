import type { Regime } from '../../domain/requests/regime';
import type { ByLanguage } from './subjectLanguage';

/** The California Privacy Protection Agency and the Attorney General's CCPA page: where a CCPA complaint goes. */
export const CPPA_URL = 'https://cppa.ca.gov/';
export const CALIFORNIA_AG_CCPA_URL = 'https://oag.ca.gov/privacy/ccpa';

/** Sentences Privacy Desk says to a data subject outside its card templates, in their language. */
export interface SubjectNoticeText {
  readonly alreadyAnswered: (reference: string) => string;
  readonly lapsedTitle: (reference: string) => string;
  /** Why it closed (GDPR Art. 12(4): the reasons for not taking action), with the dates. */
  readonly lapsedReason: (askedOn: string, closedOn: string) => string;
  readonly fileAgain: string;
  /**
   * Where to turn if they disagree (Art. 12(4), 77, 79 GDPR; for the CCPA its regulators, which hear
   * complaints: the CCPA gives no private action over an access request). The GDPR sentence takes the
   * controller's supervisory authority as configured, else `anyAuthority` (docs/decisions/0018).
   */
  readonly remedies: { readonly [R in Regime]: (authority: string) => string };
  /** Art. 77(1): where a complaint may be lodged, when the controller has named no authority. */
  readonly anyAuthority: string;
}

export const SUBJECT_NOTICE_TEXT: ByLanguage<SubjectNoticeText> = {
  en: {
    alreadyAnswered: (r) => `${r} is no longer waiting for an answer, so nothing was changed.`,
    lapsedTitle: (r) => `Your request ${r} was closed`,
    lapsedReason: (asked, closed) =>
      `We asked you on ${asked} to confirm this request for a copy of your personal data, and by ${closed} we had no confirmation from you. So no data was exported, and the request is closed.`,
    fileAgain: 'You can ask again at any time: type "export my data".',
    remedies: {
      gdpr: (a) =>
        `If you disagree with how your request was handled, you have the right to lodge a complaint with a supervisory authority (Art. 77 GDPR: ${a}) and to seek a judicial remedy before the courts (Art. 79 GDPR).`,
      ccpa: () =>
        `If you disagree with how your request was handled, you can file a complaint with the California Privacy Protection Agency (${CPPA_URL}) or the California Attorney General (${CALIFORNIA_AG_CCPA_URL}).`,
    },
    anyAuthority: 'in particular in the EU member state where you live or work, or where you believe your rights were infringed',
  },
  de: {
    alreadyAnswered: (r) => `${r} wartet nicht mehr auf eine Antwort, daher wurde nichts geändert.`,
    lapsedTitle: (r) => `Ihre Anfrage ${r} wurde geschlossen`,
    lapsedReason: (asked, closed) =>
      `Wir haben Sie am ${asked} gebeten, diese Anfrage nach einer Kopie Ihrer personenbezogenen Daten zu bestätigen, und bis ${closed} keine Bestätigung von Ihnen erhalten. Daher wurden keine Daten exportiert, und die Anfrage ist geschlossen.`,
    fileAgain: 'Sie können jederzeit erneut eine Anfrage stellen: Schreiben Sie „export my data“.',
    remedies: {
      gdpr: (a) =>
        `Wenn Sie mit der Bearbeitung Ihrer Anfrage nicht einverstanden sind, haben Sie das Recht, Beschwerde bei einer Aufsichtsbehörde einzulegen (Art. 77 DSGVO: ${a}) und einen gerichtlichen Rechtsbehelf einzulegen (Art. 79 DSGVO).`,
      ccpa: () =>
        `Wenn Sie mit der Bearbeitung Ihrer Anfrage nicht einverstanden sind, können Sie sich bei der California Privacy Protection Agency (${CPPA_URL}) oder beim California Attorney General (${CALIFORNIA_AG_CCPA_URL}) beschweren.`,
    },
    anyAuthority: 'insbesondere im EU-Mitgliedstaat Ihres Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes',
  },
  fr: {
    alreadyAnswered: (r) => `${r} n’attend plus de réponse ; rien n’a donc été modifié.`,
    lapsedTitle: (r) => `Votre demande ${r} a été clôturée`,
    lapsedReason: (asked, closed) =>
      `Nous vous avons demandé le ${asked} de confirmer cette demande de copie de vos données personnelles, et au ${closed} nous n’avions reçu aucune confirmation de votre part. Aucune donnée n’a donc été exportée, et la demande est clôturée.`,
    fileAgain: 'Vous pouvez la renouveler à tout moment en écrivant « export my data ».',
    remedies: {
      gdpr: (a) =>
        `Si vous n’êtes pas d’accord avec le traitement de votre demande, vous avez le droit d’introduire une réclamation auprès d’une autorité de contrôle (art. 77 RGPD : ${a}) et de former un recours juridictionnel (art. 79 RGPD).`,
      ccpa: () =>
        `Si vous n’êtes pas d’accord avec le traitement de votre demande, vous pouvez déposer une plainte auprès de la California Privacy Protection Agency (${CPPA_URL}) ou de l’Attorney General de Californie (${CALIFORNIA_AG_CCPA_URL}).`,
    },
    anyAuthority: 'notamment dans l’État membre de l’UE de votre résidence habituelle, de votre lieu de travail ou du lieu où la violation aurait été commise',
  },
};
