import type { Regime } from '../requests/regime';
import type { TransferSafeguard } from './dataSource';
import type { DisclosurePart } from './disclosureLanguage';

/** The languages a cover letter is written in; anything else falls back to English. */
export const LETTER_LANGUAGES = ['en', 'de', 'fr'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** "de-DE", "de", "DE-at" → "de"; unknown or missing → "en". */
export function letterLanguage(preferredLanguage: string | undefined): LetterLanguage {
  const primary = preferredLanguage?.trim().toLowerCase().split(/[-_]/)[0];
  return (LETTER_LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as LetterLanguage) : 'en';
}

/** The parts of a disclosure the GDPR letter may have to print in English. */
export type GdprDisclosurePart = Exclude<DisclosurePart, `ccpa.${string}`>;

export interface LetterText {
  /** The Intl locale dates, times, numbers and country names are written in (en-GB keeps formatForPeople's English form). */
  readonly locale: string;
  /** Between a label and its value: French puts a (no-break) space before the colon. */
  readonly colon: string;
  /** Between the entries of a list: French puts a (no-break) space before the semicolon. */
  readonly separator: string;
  readonly title: (reference: string) => string;
  readonly greeting: (name: string) => string;
  readonly answers: (p: { receivedOn: string; law: string; generatedOn: string; generatedAt: string; controller: string }) => string;
  readonly howToRead: (manifest: string) => string;
  /** The law a request is under, as a short label (also shown on the subject's cards). */
  readonly regime: Record<Regime, string>;
  /** The law a request is under, as it reads in the letter's first sentence after "under"/"nach"/"au titre". */
  readonly requestUnder: Record<Regime, string>;
  readonly files: (files: string, records: string) => string;
  /** "1 record", "3 records": chosen by the language's plural rules. */
  readonly records: Partial<Record<Intl.LDMLPluralRule, (n: string) => string>> & { readonly other: (n: string) => string };
  readonly purposes: string;
  readonly categories: string;
  readonly recipients: string;
  readonly retention: string;
  readonly legalBasis: string;
  readonly origin: string;
  /** "6(1)(b)" → "Art. 6(1)(b) GDPR" in the way lawyers of that language cite it. */
  readonly article: (article: number, paragraph: number, point: string) => string;
  readonly automatedDecisionMaking: string;
  readonly admNotUsed: string;
  readonly admUsed: (logic: string, significance: string, consequences: string) => string;
  readonly portability: string;
  readonly portableAll: string;
  readonly portableFields: (fields: string) => string;
  readonly notPortableBasis: string;
  readonly notPortableProvenance: string;
  readonly notPortable: string;
  readonly transfersHeading: string;
  readonly transfersNone: string;
  readonly transfersIntro: string;
  readonly transfer: (p: { recipient: string; sources: string; destination: string; safeguards: string; detail: string; copy?: string }) => string;
  readonly internationalOrganisation: (name: string) => string;
  readonly safeguard: Record<TransferSafeguard, string>;
  /** Names the per-source parts that were declared only in English (never used for an English letter). */
  readonly untranslated: (list: string) => string;
  readonly quote: (text: string) => string;
  readonly part: Record<GdprDisclosurePart, string>;
  readonly allParts: string;
  readonly rightsHeading: string;
  readonly rightsIntro: string;
  readonly gdprRights: readonly string[];
  /** Added to the rights when a source is processed on consent. */
  readonly withdrawConsent: string;
  readonly ccpaRights: readonly string[];
  readonly contactHeading: string;
  readonly contact: (contact: string) => string;
  readonly complaint: (authority: string) => string;
}

/** Ends configured text with a full stop unless it already ends a sentence. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

const en: LetterText = {
  locale: 'en-GB',
  colon: ': ',
  separator: '; ',
  title: (r) => `Your personal data — ${r}`,
  greeting: (n) => `Dear ${n},`,
  answers: (p) =>
    `This package answers the request under ${p.law} received on ${p.receivedOn}. ${p.controller} prepared it on ${p.generatedOn} at ${p.generatedAt}.`,
  howToRead: (m) =>
    `Each dataset is in the data/ folder as JSON, and as CSV where the records are tabular. ${m} lists every file with its record count and SHA-256 checksum, so you can check nothing was altered.`,
  regime: { gdpr: 'GDPR (Art. 15 access, Art. 20 portability)', ccpa: 'CCPA (right to know)' },
  requestUnder: {
    gdpr: 'the General Data Protection Regulation (GDPR: right of access, Art. 15, and right to data portability, Art. 20)',
    ccpa: 'the California Consumer Privacy Act (CCPA: right to know)',
  },
  files: (f, n) => `Files: ${f} (${n}).`,
  records: { one: (n) => `${n} record`, other: (n) => `${n} records` },
  purposes: 'Purposes',
  categories: 'Categories of personal data',
  recipients: 'Recipients',
  retention: 'Retention',
  legalBasis: 'Legal basis of the processing',
  origin: 'Source of the data',
  article: (a, p, point) => `Art. ${a}(${p})(${point}) GDPR`,
  automatedDecisionMaking: 'Automated decision-making, including profiling',
  admNotUsed: 'none: no decision about you is based solely on automated processing of this data',
  admUsed: (l, s, c) => `used. The logic involved: ${sentence(l)} Its significance: ${sentence(s)} The envisaged consequences for you: ${sentence(c)}`,
  portability: 'Data portability (Art. 20 GDPR)',
  portableAll: 'yes: you can receive this data in this machine-readable form and have it transmitted to another controller',
  portableFields: (f) =>
    `only the fields you provided yourself: ${f}. The other fields were entered by others or derived from your data, so Art. 20 does not cover them (they are included here under Art. 15)`,
  notPortableBasis:
    'no: Art. 20 covers only data processed on the basis of your consent or of a contract, and this data is processed on another legal basis (it is included here under Art. 15)',
  notPortableProvenance: 'no: Art. 20 covers only data you provided, and this data was not provided by you (it is included here under Art. 15)',
  notPortable: 'no (the data is included here under Art. 15)',
  transfersHeading: 'Transfers outside the European Economic Area',
  transfersNone:
    'None of the recipients named above receives your personal data in a country outside the European Economic Area (EEA) or as an international organisation.',
  transfersIntro: 'These recipients receive your personal data outside the European Economic Area (EEA) (Art. 15(2) GDPR):',
  transfer: (p) =>
    `${p.recipient}, receiving data from: ${p.sources}. Destination: ${p.destination}. Safeguards: ${p.safeguards}. ${sentence(p.detail)}${p.copy ? ` A copy of the safeguards is available at: ${p.copy}` : ''}`,
  internationalOrganisation: (n) => `the international organisation ${n}`,
  safeguard: {
    'adequacy-decision': 'an adequacy decision of the European Commission (Art. 45 GDPR)',
    'standard-contractual-clauses': 'standard data protection clauses adopted by the European Commission (Art. 46(2)(c) GDPR)',
    'binding-corporate-rules': 'binding corporate rules (Art. 47 GDPR)',
    'art-49-derogation': 'a derogation for a specific situation (Art. 49 GDPR)',
  },
  untranslated: (list) => `Some details of the sources were declared only in English: ${list}.`,
  quote: (t) => `“${t}”`,
  part: {
    title: 'title',
    purposes: 'purposes',
    categories: 'categories',
    recipients: 'recipients',
    transfers: 'transfer details',
    retention: 'retention',
    legalBasis: 'legal basis',
    origin: 'source of the data',
    automatedDecisionMaking: 'automated decision-making',
  },
  allParts: 'all details',
  rightsHeading: 'Your rights',
  rightsIntro: 'You have the right:',
  gdprRights: [
    'to have inaccurate personal data rectified (Art. 16 GDPR)',
    'to have your personal data erased (Art. 17 GDPR)',
    'to restrict processing (Art. 18 GDPR)',
    'to object to processing (Art. 21 GDPR)',
    'to receive the data you provided in a structured, commonly used and machine-readable format and to have it transmitted to another controller (Art. 20 GDPR): the data marked portable above',
    'to lodge a complaint with a supervisory authority (Art. 77 GDPR)',
  ],
  withdrawConsent: 'to withdraw your consent at any time, without affecting the processing before the withdrawal (Art. 7(3) GDPR)',
  ccpaRights: [
    'to know what personal information is collected, used and disclosed',
    'to delete personal information, with some exceptions',
    'to correct inaccurate personal information',
    'to opt out of the sale or sharing of personal information',
    'to limit the use of sensitive personal information',
    'not to be discriminated against for exercising these rights',
  ],
  contactHeading: 'Contact and complaints',
  contact: (c) => `Questions about this package or your data: ${c}.`,
  complaint: (a) => `You may lodge a complaint with ${a}.`,
};

const de: LetterText = {
  locale: 'de-DE',
  colon: ': ',
  separator: '; ',
  title: (r) => `Ihre personenbezogenen Daten — ${r}`,
  greeting: (n) => `Guten Tag ${n},`,
  answers: (p) =>
    `Dieses Paket beantwortet die Anfrage nach ${p.law}, die am ${p.receivedOn} eingegangen ist. ${p.controller} hat es am ${p.generatedOn} um ${p.generatedAt} erstellt.`,
  howToRead: (m) =>
    `Die Daten jeder Quelle liegen im Ordner data/ als JSON und, wo sie tabellarisch sind, zusätzlich als CSV. ${m} führt jede Datei mit der Zahl ihrer Einträge und ihrer SHA-256-Prüfsumme auf, damit Sie prüfen können, dass nichts verändert wurde.`,
  regime: { gdpr: 'DSGVO (Art. 15 Auskunft, Art. 20 Datenübertragbarkeit)', ccpa: 'CCPA (Recht auf Auskunft)' },
  requestUnder: {
    gdpr: 'der Datenschutz-Grundverordnung (DSGVO: Auskunftsrecht nach Art. 15 und Recht auf Datenübertragbarkeit nach Art. 20)',
    ccpa: 'dem California Consumer Privacy Act (CCPA: Recht auf Auskunft)',
  },
  files: (f, n) => `Dateien: ${f} (${n}).`,
  records: { one: (n) => `${n} Eintrag`, other: (n) => `${n} Einträge` },
  purposes: 'Zwecke',
  categories: 'Kategorien personenbezogener Daten',
  recipients: 'Empfänger',
  retention: 'Speicherdauer',
  legalBasis: 'Rechtsgrundlage der Verarbeitung',
  origin: 'Herkunft der Daten',
  article: (a, p, point) => `Art. ${a} Abs. ${p} lit. ${point} DSGVO`,
  automatedDecisionMaking: 'Automatisierte Entscheidungsfindung einschließlich Profiling',
  admNotUsed: 'findet nicht statt: Keine Entscheidung über Sie beruht ausschließlich auf einer automatisierten Verarbeitung dieser Daten',
  admUsed: (l, s, c) =>
    `findet statt. Die involvierte Logik: ${sentence(l)} Ihre Tragweite: ${sentence(s)} Die angestrebten Auswirkungen für Sie: ${sentence(c)}`,
  portability: 'Datenübertragbarkeit (Art. 20 DSGVO)',
  portableAll: 'ja: Sie können diese Daten in dieser maschinenlesbaren Form erhalten und einem anderen Verantwortlichen übermitteln lassen',
  portableFields: (f) =>
    `nur die Felder, die Sie selbst bereitgestellt haben: ${f}. Die übrigen Felder wurden von anderen eingetragen oder aus Ihren Daten abgeleitet; für sie gilt Art. 20 nicht (sie sind nach Art. 15 enthalten)`,
  notPortableBasis:
    'nein: Art. 20 gilt nur für Daten, die auf Grund Ihrer Einwilligung oder eines Vertrags verarbeitet werden, und diese Daten werden auf einer anderen Rechtsgrundlage verarbeitet (sie sind nach Art. 15 enthalten)',
  notPortableProvenance:
    'nein: Art. 20 gilt nur für Daten, die Sie selbst bereitgestellt haben, und diese Daten stammen nicht von Ihnen (sie sind nach Art. 15 enthalten)',
  notPortable: 'nein (die Daten sind nach Art. 15 enthalten)',
  transfersHeading: 'Übermittlungen außerhalb des Europäischen Wirtschaftsraums',
  transfersNone:
    'Keiner der oben genannten Empfänger erhält Ihre personenbezogenen Daten in einem Land außerhalb des Europäischen Wirtschaftsraums (EWR) oder als internationale Organisation.',
  transfersIntro: 'Diese Empfänger erhalten Ihre personenbezogenen Daten außerhalb des Europäischen Wirtschaftsraums (EWR) (Art. 15 Abs. 2 DSGVO):',
  transfer: (p) =>
    `${p.recipient}, erhält Daten aus: ${p.sources}. Ziel: ${p.destination}. Garantien: ${p.safeguards}. ${sentence(p.detail)}${p.copy ? ` Eine Kopie der Garantien erhalten Sie hier: ${p.copy}` : ''}`,
  internationalOrganisation: (n) => `internationale Organisation ${n}`,
  safeguard: {
    'adequacy-decision': 'Angemessenheitsbeschluss der Europäischen Kommission (Art. 45 DSGVO)',
    'standard-contractual-clauses': 'von der Europäischen Kommission erlassene Standarddatenschutzklauseln (Art. 46 Abs. 2 lit. c DSGVO)',
    'binding-corporate-rules': 'verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)',
    'art-49-derogation': 'Ausnahme für bestimmte Fälle (Art. 49 DSGVO)',
  },
  untranslated: (list) => `Einige Angaben zu den Quellen wurden nur auf Englisch hinterlegt und stehen deshalb unten auf Englisch: ${list}.`,
  quote: (t) => `„${t}“`,
  part: {
    title: 'Bezeichnung',
    purposes: 'Zwecke',
    categories: 'Kategorien',
    recipients: 'Empfänger',
    transfers: 'Angaben zur Übermittlung',
    retention: 'Speicherdauer',
    legalBasis: 'Rechtsgrundlage',
    origin: 'Herkunft',
    automatedDecisionMaking: 'automatisierte Entscheidungsfindung',
  },
  allParts: 'alle Angaben',
  rightsHeading: 'Ihre Rechte',
  rightsIntro: 'Sie haben das Recht:',
  gdprRights: [
    'auf Berichtigung unrichtiger Daten (Art. 16 DSGVO)',
    'auf Löschung Ihrer Daten (Art. 17 DSGVO)',
    'auf Einschränkung der Verarbeitung (Art. 18 DSGVO)',
    'auf Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)',
    'die von Ihnen bereitgestellten Daten in einem strukturierten, gängigen und maschinenlesbaren Format zu erhalten und einem anderen Verantwortlichen übermitteln zu lassen (Art. 20 DSGVO): die oben als übertragbar angegebenen Daten',
    'auf Beschwerde bei einer Aufsichtsbehörde (Art. 77 DSGVO)',
  ],
  withdrawConsent: 'Ihre Einwilligung jederzeit zu widerrufen; die bis zum Widerruf erfolgte Verarbeitung bleibt rechtmäßig (Art. 7 Abs. 3 DSGVO)',
  ccpaRights: [
    'zu erfahren, welche personenbezogenen Informationen erhoben, genutzt und weitergegeben werden',
    'auf Löschung personenbezogener Informationen, mit einigen Ausnahmen',
    'auf Berichtigung unrichtiger Informationen',
    'dem Verkauf oder der Weitergabe zu widersprechen',
    'die Nutzung sensibler Informationen zu beschränken',
    'wegen der Ausübung dieser Rechte nicht benachteiligt zu werden',
  ],
  contactHeading: 'Kontakt und Beschwerden',
  contact: (c) => `Fragen zu diesem Paket oder zu Ihren Daten: ${c}.`,
  complaint: (a) => `Sie können sich beschweren bei: ${a}.`,
};

/** French typography: a no-break space before ":" and ";", inside « ». */
const NBSP = '\u00a0';

const fr: LetterText = {
  locale: 'fr-FR',
  colon: `${NBSP}: `,
  separator: `${NBSP}; `,
  title: (r) => `Vos données personnelles — ${r}`,
  greeting: (n) => `Bonjour ${n},`,
  answers: (p) =>
    `Ce dossier répond à la demande présentée au titre ${p.law}, reçue le ${p.receivedOn}. ${p.controller} l’a établi le ${p.generatedOn} à ${p.generatedAt}.`,
  howToRead: (m) =>
    `Chaque jeu de données se trouve dans le dossier data/ au format JSON, et au format CSV lorsque les données sont tabulaires. ${m} liste chaque fichier avec son nombre d’enregistrements et sa somme de contrôle SHA-256, pour que vous puissiez vérifier que rien n’a été modifié.`,
  regime: { gdpr: 'RGPD (art. 15 accès, art. 20 portabilité)', ccpa: 'CCPA (droit de savoir)' },
  requestUnder: {
    gdpr: `du règlement général sur la protection des données (RGPD${NBSP}: droit d’accès, art. 15, et droit à la portabilité, art. 20)`,
    ccpa: `du California Consumer Privacy Act (CCPA${NBSP}: droit de savoir)`,
  },
  files: (f, n) => `Fichiers${NBSP}: ${f} (${n}).`,
  // French counts 0 and 1 as singular: "0 enregistrement", "1 enregistrement".
  records: { one: (n) => `${n} enregistrement`, other: (n) => `${n} enregistrements` },
  purposes: 'Finalités',
  categories: 'Catégories de données personnelles',
  recipients: 'Destinataires',
  retention: 'Durée de conservation',
  legalBasis: 'Base juridique du traitement',
  origin: 'Source des données',
  article: (a, p, point) => `article ${a}, paragraphe ${p}, point ${point}), du RGPD`,
  automatedDecisionMaking: 'Prise de décision automatisée, y compris le profilage',
  admNotUsed: `aucune${NBSP}: aucune décision vous concernant n’est fondée exclusivement sur un traitement automatisé de ces données`,
  admUsed: (l, s, c) =>
    `oui. Logique sous-jacente${NBSP}: ${sentence(l)} Importance${NBSP}: ${sentence(s)} Conséquences prévues pour vous${NBSP}: ${sentence(c)}`,
  portability: 'Portabilité des données (art. 20 du RGPD)',
  portableAll: `oui${NBSP}: vous pouvez recevoir ces données sous cette forme lisible par machine et les faire transmettre à un autre responsable du traitement`,
  portableFields: (f) =>
    `seulement les champs que vous avez fournis vous-même${NBSP}: ${f}. Les autres champs ont été saisis par d’autres personnes ou déduits de vos données${NBSP}; l’art. 20 ne s’y applique pas (ils figurent ici au titre de l’art. 15)`,
  notPortableBasis: `non${NBSP}: l’art. 20 ne couvre que les données traitées sur la base de votre consentement ou d’un contrat, et ces données sont traitées sur une autre base juridique (elles figurent ici au titre de l’art. 15)`,
  notPortableProvenance: `non${NBSP}: l’art. 20 ne couvre que les données que vous avez fournies, et ces données ne proviennent pas de vous (elles figurent ici au titre de l’art. 15)`,
  notPortable: 'non (les données figurent ici au titre de l’art. 15)',
  transfersHeading: 'Transferts hors de l’Espace économique européen',
  transfersNone:
    'Aucun des destinataires cités ci-dessus ne reçoit vos données personnelles dans un pays situé hors de l’Espace économique européen (EEE) ni en tant qu’organisation internationale.',
  transfersIntro: `Ces destinataires reçoivent vos données personnelles hors de l’Espace économique européen (EEE) (art. 15, paragraphe 2, du RGPD)${NBSP}:`,
  transfer: (p) =>
    `${p.recipient}, qui reçoit des données de${NBSP}: ${p.sources}. Destination${NBSP}: ${p.destination}. Garanties${NBSP}: ${p.safeguards}. ${sentence(p.detail)}${p.copy ? ` Une copie des garanties est disponible ici${NBSP}: ${p.copy}` : ''}`,
  internationalOrganisation: (n) => `l’organisation internationale ${n}`,
  safeguard: {
    'adequacy-decision': 'décision d’adéquation de la Commission européenne (art. 45 du RGPD)',
    'standard-contractual-clauses': 'clauses types de protection des données adoptées par la Commission européenne (art. 46, paragraphe 2, point c), du RGPD)',
    'binding-corporate-rules': 'règles d’entreprise contraignantes (art. 47 du RGPD)',
    'art-49-derogation': 'dérogation pour une situation particulière (art. 49 du RGPD)',
  },
  untranslated: (list) => `Certaines informations sur les sources n’ont été déclarées qu’en anglais et figurent donc en anglais ci-dessous${NBSP}: ${list}.`,
  quote: (t) => `«${NBSP}${t}${NBSP}»`,
  part: {
    title: 'intitulé',
    purposes: 'finalités',
    categories: 'catégories',
    recipients: 'destinataires',
    transfers: 'informations sur les transferts',
    retention: 'durée de conservation',
    legalBasis: 'base juridique',
    origin: 'source des données',
    automatedDecisionMaking: 'prise de décision automatisée',
  },
  allParts: 'toutes les informations',
  rightsHeading: 'Vos droits',
  rightsIntro: `Vous avez le droit${NBSP}:`,
  gdprRights: [
    'de faire rectifier des données inexactes (art. 16 RGPD)',
    'de faire effacer vos données (art. 17 RGPD)',
    'de faire limiter le traitement (art. 18 RGPD)',
    'de vous opposer au traitement (art. 21 RGPD)',
    `de recevoir les données que vous avez fournies dans un format structuré, couramment utilisé et lisible par machine, et de les faire transmettre à un autre responsable du traitement (art. 20 RGPD)${NBSP}: les données indiquées comme portables ci-dessus`,
    'd’introduire une réclamation auprès d’une autorité de contrôle (art. 77 RGPD)',
  ],
  withdrawConsent:
    'de retirer votre consentement à tout moment, sans que cela remette en cause le traitement effectué avant ce retrait (art. 7, paragraphe 3, RGPD)',
  ccpaRights: [
    'de savoir quelles informations personnelles sont collectées, utilisées et communiquées',
    'de faire supprimer des informations personnelles, sauf exceptions',
    'de faire corriger des informations inexactes',
    'de vous opposer à la vente ou au partage de vos informations',
    'de limiter l’usage des informations sensibles',
    'de ne pas être discriminé pour avoir exercé ces droits',
  ],
  contactHeading: 'Contact et réclamations',
  contact: (c) => `Questions sur ce dossier ou vos données${NBSP}: ${c}.`,
  complaint: (a) => `Vous pouvez introduire une réclamation auprès de${NBSP}: ${a}.`,
};

export const LETTER_TEXT: Record<LetterLanguage, LetterText> = { en, de, fr };
