import type { Regime } from '../requests/regime';

/** The languages a cover letter is written in; anything else falls back to English. */
export const LETTER_LANGUAGES = ['en', 'de', 'fr'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** "de-DE", "de", "DE-at" → "de"; unknown or missing → "en". */
export function letterLanguage(preferredLanguage: string | undefined): LetterLanguage {
  const primary = preferredLanguage?.trim().toLowerCase().split(/[-_]/)[0];
  return (LETTER_LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as LetterLanguage) : 'en';
}

export interface LetterText {
  readonly title: (reference: string) => string;
  readonly greeting: (name: string) => string;
  readonly answers: (receivedOn: string, regime: string, generatedAt: string, controller: string) => string;
  readonly howToRead: (manifest: string) => string;
  readonly regime: Record<Regime, string>;
  readonly files: (files: string, records: number) => string;
  readonly purposes: string;
  readonly categories: string;
  readonly recipients: string;
  readonly retention: string;
  readonly legalBasis: string;
  readonly origin: string;
  readonly automatedDecisionMaking: string;
  readonly none: string;
  readonly portable: string;
  readonly yes: string;
  readonly no: string;
  readonly rightsHeading: string;
  readonly rightsIntro: string;
  readonly gdprRights: readonly string[];
  readonly ccpaRights: readonly string[];
  readonly contactHeading: string;
  readonly contact: (contact: string) => string;
  readonly complaint: (authority: string) => string;
  /** Said where the per-source descriptions (configured once, usually in English) may differ in language. */
  readonly sourcesAsDeclared?: string;
}

const en: LetterText = {
  title: (r) => `Your personal data — ${r}`,
  greeting: (n) => `Dear ${n},`,
  answers: (received, regime, at, controller) => `This package answers the request received on ${received} under ${regime}. It was generated on ${at} by ${controller}.`,
  howToRead: (m) => `Each dataset is in the data/ folder as JSON, and as CSV where the records are tabular. ${m} lists every file with its record count and SHA-256 checksum, so you can check nothing was altered.`,
  regime: { gdpr: 'GDPR (Art. 15 access, Art. 20 portability)', ccpa: 'CCPA (right to know)' },
  files: (f, n) => `Files: ${f} (${n} records).`,
  purposes: 'Purposes',
  categories: 'Categories of personal data',
  recipients: 'Recipients',
  retention: 'Retention',
  legalBasis: 'Legal basis',
  origin: 'Source of the data',
  automatedDecisionMaking: 'Automated decision-making, including profiling',
  none: 'none',
  portable: 'Portable under Art. 20',
  yes: 'yes',
  no: 'no',
  rightsHeading: 'Your rights',
  rightsIntro: 'You have the right:',
  gdprRights: [
    'to have inaccurate personal data rectified (Art. 16 GDPR)',
    'to have your personal data erased (Art. 17 GDPR)',
    'to restrict processing (Art. 18 GDPR)',
    'to object to processing (Art. 21 GDPR)',
    'to receive data you provided in a portable format (Art. 20 GDPR) — the datasets marked portable below',
    'to lodge a complaint with a supervisory authority (Art. 77 GDPR)',
  ],
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
  title: (r) => `Ihre personenbezogenen Daten — ${r}`,
  greeting: (n) => `Guten Tag ${n},`,
  answers: (received, regime, at, controller) => `Dieses Paket beantwortet Ihre am ${received} eingegangene Anfrage nach ${regime}. Es wurde am ${at} von ${controller} erstellt.`,
  howToRead: (m) => `Jeder Datensatz liegt im Ordner data/ als JSON und, wo die Daten tabellarisch sind, als CSV. ${m} listet jede Datei mit Anzahl der Einträge und SHA-256-Prüfsumme, damit Sie prüfen können, dass nichts verändert wurde.`,
  regime: { gdpr: 'DSGVO (Art. 15 Auskunft, Art. 20 Datenübertragbarkeit)', ccpa: 'CCPA (Recht auf Auskunft)' },
  files: (f, n) => `Dateien: ${f} (${n} Einträge).`,
  purposes: 'Zwecke',
  categories: 'Kategorien personenbezogener Daten',
  recipients: 'Empfänger',
  retention: 'Speicherdauer',
  legalBasis: 'Rechtsgrundlage',
  origin: 'Herkunft der Daten',
  automatedDecisionMaking: 'Automatisierte Entscheidungsfindung einschließlich Profiling',
  none: 'keine',
  portable: 'Übertragbar nach Art. 20',
  yes: 'ja',
  no: 'nein',
  rightsHeading: 'Ihre Rechte',
  rightsIntro: 'Sie haben das Recht:',
  gdprRights: [
    'auf Berichtigung unrichtiger Daten (Art. 16 DSGVO)',
    'auf Löschung Ihrer Daten (Art. 17 DSGVO)',
    'auf Einschränkung der Verarbeitung (Art. 18 DSGVO)',
    'auf Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)',
    'die von Ihnen bereitgestellten Daten in einem übertragbaren Format zu erhalten (Art. 20 DSGVO) — die unten als übertragbar gekennzeichneten Datensätze',
    'auf Beschwerde bei einer Aufsichtsbehörde (Art. 77 DSGVO)',
  ],
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
  sourcesAsDeclared: 'Die Beschreibungen der einzelnen Quellen unten sind in der Sprache, in der sie hinterlegt wurden.',
};

const fr: LetterText = {
  title: (r) => `Vos données personnelles — ${r}`,
  greeting: (n) => `Bonjour ${n},`,
  answers: (received, regime, at, controller) => `Ce dossier répond à la demande reçue le ${received} au titre du ${regime}. Il a été généré le ${at} par ${controller}.`,
  howToRead: (m) => `Chaque jeu de données se trouve dans le dossier data/ au format JSON, et au format CSV lorsque les données sont tabulaires. ${m} liste chaque fichier avec son nombre d’enregistrements et sa somme de contrôle SHA-256, pour que vous puissiez vérifier que rien n’a été modifié.`,
  regime: { gdpr: 'RGPD (art. 15 accès, art. 20 portabilité)', ccpa: 'CCPA (droit de savoir)' },
  files: (f, n) => `Fichiers : ${f} (${n} enregistrements).`,
  purposes: 'Finalités',
  categories: 'Catégories de données personnelles',
  recipients: 'Destinataires',
  retention: 'Durée de conservation',
  legalBasis: 'Base juridique',
  origin: 'Source des données',
  automatedDecisionMaking: 'Prise de décision automatisée, y compris le profilage',
  none: 'aucune',
  portable: 'Portable au titre de l’art. 20',
  yes: 'oui',
  no: 'non',
  rightsHeading: 'Vos droits',
  rightsIntro: 'Vous avez le droit :',
  gdprRights: [
    'de faire rectifier des données inexactes (art. 16 RGPD)',
    'de faire effacer vos données (art. 17 RGPD)',
    'de faire limiter le traitement (art. 18 RGPD)',
    'de vous opposer au traitement (art. 21 RGPD)',
    'de recevoir les données que vous avez fournies dans un format portable (art. 20 RGPD) — les jeux de données marqués portables ci-dessous',
    'd’introduire une réclamation auprès d’une autorité de contrôle (art. 77 RGPD)',
  ],
  ccpaRights: [
    'de savoir quelles informations personnelles sont collectées, utilisées et communiquées',
    'de faire supprimer des informations personnelles, sauf exceptions',
    'de faire corriger des informations inexactes',
    'de vous opposer à la vente ou au partage de vos informations',
    'de limiter l’usage des informations sensibles',
    'de ne pas être discriminé pour avoir exercé ces droits',
  ],
  contactHeading: 'Contact et réclamations',
  contact: (c) => `Questions sur ce dossier ou vos données : ${c}.`,
  complaint: (a) => `Vous pouvez introduire une réclamation auprès de : ${a}.`,
  sourcesAsDeclared: 'Les descriptions des sources ci-dessous sont dans la langue dans laquelle elles ont été déclarées.',
};

export const LETTER_TEXT: Record<LetterLanguage, LetterText> = { en, de, fr };
