import type { LetterLanguage } from './coverLetterText';
import type { CcpaCategory } from './dataSource';
import type { DisclosurePart } from './disclosureLanguage';

/** The parts of a disclosure the CCPA letter prints, and so may have to print in English. */
export type CcpaDisclosurePart = Extract<DisclosurePart, 'title' | `ccpa.${string}`>;

/** Where the covered period starts: the 12 months §1798.130(a)(2)(B) requires, or an earlier configured date. */
export type PeriodBasis = 'twelve-months' | 'configured';

/** Where a California consumer can complain: the agency that enforces the CCPA, and the Attorney General. */
export const CPPA_WEBSITE = 'https://cppa.ca.gov/';
export const CPPA_COMPLAINT_FORM = 'https://cppa.ca.gov/webapplications/complaint';
export const ATTORNEY_GENERAL_CCPA = 'https://oag.ca.gov/privacy/ccpa';

/**
 * The names of §1798.140(v)(1)(A)–(L). The English ones are authoritative: a German or French letter
 * prints its translation with the English name beside it, so a lawyer can match it to the statute.
 */
export const STATUTORY_CATEGORY_NAMES: Record<CcpaCategory, string> = {
  identifiers: 'Identifiers',
  'customer-records': 'Personal information described in Cal. Civ. Code §1798.80(e) (California Customer Records statute)',
  'protected-classifications': 'Characteristics of protected classifications under California or federal law',
  'commercial-information': 'Commercial information',
  'biometric-information': 'Biometric information',
  'internet-activity': 'Internet or other electronic network activity information',
  geolocation: 'Geolocation data',
  'sensory-data': 'Audio, electronic, visual, thermal, olfactory, or similar information',
  'professional-information': 'Professional or employment-related information',
  'education-information': 'Education information',
  inferences: 'Inferences drawn from personal information to create a profile',
  'sensitive-personal-information': 'Sensitive personal information',
};

export interface CcpaLetterText {
  /** The Intl locale dates and numbers are written in (en-GB keeps formatForPeople's English form). */
  readonly locale: string;
  readonly colon: string;
  /** Between the entries of a list: French puts a (no-break) space before the semicolon. */
  readonly listSeparator: string;
  readonly title: (reference: string) => string;
  readonly greeting: (name: string) => string;
  readonly answers: (p: { receivedOn: string; generatedOn: string; controller: string }) => string;
  readonly period: (p: { since: string; until: string; basis: PeriodBasis }) => string;
  /** §1798.130(a)(2)(B): the consumer may ask for more than 12 months, back to 1 January 2022. */
  readonly earlierOnRequest: (p: { since: string; floor: string }) => string;
  /** When the package goes to the person themselves, in Teams. */
  readonly verified: string;
  /** When it goes to the admin who filed the request, because the person cannot receive it in Teams. */
  readonly verifiedByTeam: string;
  readonly howToRead: (manifest: string) => string;
  /** Empty in English; otherwise says the English statutory names are given beside the translation. */
  readonly statutoryNames: string;
  readonly category: Record<CcpaCategory, string>;
  readonly untranslated: (list: string) => string;
  readonly quote: (text: string) => string;
  readonly part: Record<CcpaDisclosurePart, string>;
  readonly allParts: string;
  readonly files: (files: string, records: string) => string;
  /** "1 record", "3 records": chosen by the language's plural rules. */
  readonly records: Partial<Record<Intl.LDMLPluralRule, (n: string) => string>> & { readonly other: (n: string) => string };
  readonly categories: string;
  readonly sourceCategories: string;
  readonly businessPurposes: string;
  readonly disclosedTo: string;
  readonly notDisclosed: string;
  readonly sold: string;
  readonly soldTo: (thirdParties: string) => string;
  readonly notSold: string;
  readonly shared: string;
  readonly sharedWith: (thirdParties: string) => string;
  readonly notShared: string;
  readonly summaryHeading: string;
  /** "From … to …": the covered period as it opens a summary sentence. */
  readonly during: (since: string, until: string) => string;
  readonly neitherSoldNorShared: (during: string) => string;
  readonly notSoldAny: (during: string) => string;
  readonly notSharedAny: (during: string) => string;
  readonly noneDisclosed: (during: string) => string;
  readonly byThirdParty: string;
  readonly soldItem: (thirdParty: string, categories: string) => string;
  readonly sharedItem: (thirdParty: string, categories: string) => string;
  readonly disclosedItem: (thirdParty: string, categories: string) => string;
  readonly rightsHeading: string;
  readonly rightsIntro: string;
  readonly rights: readonly string[];
  readonly nonDiscrimination: string;
  readonly contactHeading: string;
  readonly contact: (contact: string) => string;
  readonly complaint: string;
}

/** French typography: a no-break space before ":" and ";", inside « ». */
const NBSP = '\u00a0';

const en: CcpaLetterText = {
  locale: 'en-GB',
  colon: ': ',
  listSeparator: '; ',
  title: (r) => `Your personal information — ${r}`,
  greeting: (n) => `Dear ${n},`,
  answers: (p) =>
    `This package answers your request to know under the California Consumer Privacy Act (CCPA), received on ${p.receivedOn}. ${p.controller} prepared it on ${p.generatedOn}. It gives the specific pieces of personal information we hold about you, and for each source the categories of personal information, where it came from, why we collect it, and to whom we disclosed, sold or shared it.`,
  period: (p) =>
    p.basis === 'twelve-months'
      ? `It covers the 12 months before we received your request, up to the day we prepared this package: from ${p.since} to ${p.until}. The files hold what each source keeps about you, which can include older records.`
      : `It covers more than the 12 months before we received your request: from ${p.since} to ${p.until}, the day we prepared this package. The files hold what each source keeps about you, which can include older records.`,
  earlierOnRequest: (p) =>
    `If you want this answer to cover personal information we collected before ${p.since} too (as far back as ${p.floor}), tell us: we will provide it unless that proves impossible or would involve disproportionate effort.`,
  verified:
    'We sent this package only to you, in Microsoft Teams, where you are signed in with your organisation account: that sign-in is how we verified that the request is yours.',
  verifiedByTeam: 'As you could not receive this package in Microsoft Teams, our privacy team verified your identity in another way before handing it over.',
  howToRead: (m) =>
    `Each source’s data is in the data/ folder as JSON, and as CSV where the records are tabular. ${m} lists every file with its record count and SHA-256 checksum, so you can check nothing was altered.`,
  statutoryNames: '',
  category: STATUTORY_CATEGORY_NAMES,
  untranslated: (list) => `Some details of the sources were declared only in English: ${list}.`,
  quote: (t) => `“${t}”`,
  part: {
    title: 'title',
    'ccpa.sourceCategories': 'categories of sources',
    'ccpa.businessPurposes': 'business or commercial purposes',
    'ccpa.disclosedTo': 'third parties it was disclosed to',
    'ccpa.soldTo': 'third parties it was sold to',
    'ccpa.sharedWith': 'third parties it was shared with',
  },
  allParts: 'all details',
  files: (f, n) => `Files: ${f} (${n}).`,
  records: { one: (n) => `${n} record`, other: (n) => `${n} records` },
  categories: 'Categories of personal information',
  sourceCategories: 'Categories of sources',
  businessPurposes: 'Business or commercial purposes',
  disclosedTo: 'Disclosed for a business purpose to',
  notDisclosed: 'not disclosed to third parties',
  sold: 'Sold',
  soldTo: (p) => `yes, to ${p}`,
  notSold: 'not sold',
  shared: 'Shared for cross-context behavioral advertising',
  sharedWith: (p) => `yes, with ${p}`,
  notShared: 'not shared',
  summaryHeading: 'Sale, sharing and disclosure of your personal information',
  during: (s, u) => `From ${s} to ${u}`,
  neitherSoldNorShared: (d) => `${d}, we did not sell your personal information, nor share it for cross-context behavioral advertising.`,
  notSoldAny: (d) => `${d}, we did not sell your personal information.`,
  notSharedAny: (d) => `${d}, we did not share your personal information for cross-context behavioral advertising.`,
  noneDisclosed: (d) => `${d}, we did not disclose your personal information to third parties for a business purpose.`,
  byThirdParty: 'By category of third party, the categories of personal information concerned:',
  soldItem: (p, c) => `Sold to ${p}: ${c}`,
  sharedItem: (p, c) => `Shared with ${p}: ${c}`,
  disclosedItem: (p, c) => `Disclosed for a business purpose to ${p}: ${c}`,
  rightsHeading: 'Your rights under the CCPA',
  rightsIntro: 'You have the right:',
  rights: [
    'to know what personal information we collect about you, where it comes from, why we use it and to whom we disclose, sell or share it, and to receive the specific pieces (Cal. Civ. Code §§1798.110, 1798.115): this package',
    'to have personal information we collected from you deleted, with some exceptions (§1798.105)',
    'to have inaccurate personal information corrected (§1798.106)',
    'to opt out of the sale or sharing of your personal information (§1798.120)',
    'to limit our use and disclosure of your sensitive personal information (§1798.121)',
    'not to be discriminated or retaliated against for exercising these rights (§1798.125)',
  ],
  nonDiscrimination:
    'We will not deny you goods or services, charge you a different price, give you a different level or quality of service, or retaliate against you as an employee, job applicant or independent contractor because you exercised these rights.',
  contactHeading: 'Contact and complaints',
  contact: (c) => `To exercise these rights, or for questions about this package or your personal information: ${c}.`,
  complaint: `If you think we did not handle your request as the CCPA requires, you can file a complaint with the California Privacy Protection Agency (${CPPA_WEBSITE}) using its complaint form at ${CPPA_COMPLAINT_FORM}, or tell the California Attorney General at ${ATTORNEY_GENERAL_CCPA}.`,
};

const de: CcpaLetterText = {
  locale: 'de-DE',
  colon: ': ',
  listSeparator: '; ',
  title: (r) => `Ihre personenbezogenen Informationen — ${r}`,
  greeting: (n) => `Guten Tag ${n},`,
  answers: (p) =>
    `Dieses Paket beantwortet Ihr Auskunftsersuchen („request to know“) nach dem California Consumer Privacy Act (CCPA), das am ${p.receivedOn} eingegangen ist. ${p.controller} hat es am ${p.generatedOn} erstellt. Es enthält die einzelnen personenbezogenen Informationen, die wir über Sie haben, und nennt für jede Quelle die Kategorien personenbezogener Informationen, woher sie stammen, wozu wir sie erheben und an wen wir sie weitergegeben, verkauft oder geteilt haben.`,
  period: (p) =>
    p.basis === 'twelve-months'
      ? `Es umfasst die 12 Monate vor dem Eingang Ihres Ersuchens bis zum Tag, an dem wir dieses Paket erstellt haben: vom ${p.since} bis zum ${p.until}. Die Dateien enthalten, was jede Quelle über Sie aufbewahrt; das können auch ältere Einträge sein.`
      : `Es umfasst mehr als die 12 Monate vor dem Eingang Ihres Ersuchens: vom ${p.since} bis zum ${p.until}, dem Tag, an dem wir dieses Paket erstellt haben. Die Dateien enthalten, was jede Quelle über Sie aufbewahrt; das können auch ältere Einträge sein.`,
  earlierOnRequest: (p) =>
    `Wenn diese Antwort auch personenbezogene Informationen umfassen soll, die wir vor dem ${p.since} erhoben haben (bis zurück zum ${p.floor}), teilen Sie es uns mit: Wir stellen sie bereit, es sei denn, das erweist sich als unmöglich oder wäre mit unverhältnismäßigem Aufwand verbunden.`,
  verified:
    'Wir haben dieses Paket nur Ihnen geschickt, in Microsoft Teams, wo Sie mit dem Konto Ihrer Organisation angemeldet sind: Über diese Anmeldung haben wir geprüft, dass das Ersuchen von Ihnen stammt.',
  verifiedByTeam:
    'Da Sie dieses Paket nicht in Microsoft Teams erhalten konnten, hat unser Datenschutzteam Ihre Identität auf andere Weise geprüft, bevor es übergeben wurde.',
  howToRead: (m) =>
    `Die Daten jeder Quelle liegen im Ordner data/ als JSON und, wo sie tabellarisch sind, zusätzlich als CSV. ${m} führt jede Datei mit der Zahl ihrer Einträge und ihrer SHA-256-Prüfsumme auf, damit Sie prüfen können, dass nichts verändert wurde.`,
  statutoryNames: 'Die Kategorien personenbezogener Informationen sind die des Gesetzes; in Klammern steht jeweils ihre maßgebliche englische Bezeichnung.',
  category: {
    identifiers: 'Kennungen',
    'customer-records': 'Personenbezogene Informationen nach Cal. Civ. Code §1798.80(e) (kalifornisches Gesetz über Kundendaten)',
    'protected-classifications': 'Merkmale von nach kalifornischem oder US-Bundesrecht geschützten Gruppen',
    'commercial-information': 'Geschäftliche Informationen',
    'biometric-information': 'Biometrische Informationen',
    'internet-activity': 'Informationen über Aktivitäten im Internet oder in anderen elektronischen Netzwerken',
    geolocation: 'Standortdaten',
    'sensory-data': 'Akustische, elektronische, visuelle, thermische, olfaktorische oder ähnliche Informationen',
    'professional-information': 'Berufliche oder beschäftigungsbezogene Informationen',
    'education-information': 'Informationen zur Ausbildung',
    inferences: 'Aus personenbezogenen Informationen gezogene Schlüsse zur Erstellung eines Profils',
    'sensitive-personal-information': 'Sensible personenbezogene Informationen',
  },
  untranslated: (list) => `Einige Angaben zu den Quellen wurden nur auf Englisch hinterlegt und stehen deshalb unten auf Englisch: ${list}.`,
  quote: (t) => `„${t}“`,
  part: {
    title: 'Bezeichnung',
    'ccpa.sourceCategories': 'Kategorien von Quellen',
    'ccpa.businessPurposes': 'geschäftliche oder kommerzielle Zwecke',
    'ccpa.disclosedTo': 'Dritte, an die sie weitergegeben wurden',
    'ccpa.soldTo': 'Dritte, an die sie verkauft wurden',
    'ccpa.sharedWith': 'Dritte, mit denen sie geteilt wurden',
  },
  allParts: 'alle Angaben',
  files: (f, n) => `Dateien: ${f} (${n}).`,
  records: { one: (n) => `${n} Eintrag`, other: (n) => `${n} Einträge` },
  categories: 'Kategorien personenbezogener Informationen',
  sourceCategories: 'Kategorien von Quellen',
  businessPurposes: 'Geschäftliche oder kommerzielle Zwecke',
  disclosedTo: 'Für einen Geschäftszweck weitergegeben an',
  notDisclosed: 'nicht an Dritte weitergegeben',
  sold: 'Verkauft',
  soldTo: (p) => `ja, an ${p}`,
  notSold: 'nicht verkauft',
  shared: 'Für kontextübergreifende verhaltensbezogene Werbung geteilt',
  sharedWith: (p) => `ja, mit ${p}`,
  notShared: 'nicht geteilt',
  summaryHeading: 'Verkauf, Teilen und Weitergabe Ihrer personenbezogenen Informationen',
  during: (s, u) => `Vom ${s} bis zum ${u}`,
  neitherSoldNorShared: (d) =>
    `${d} haben wir Ihre personenbezogenen Informationen weder verkauft noch für kontextübergreifende verhaltensbezogene Werbung geteilt.`,
  notSoldAny: (d) => `${d} haben wir Ihre personenbezogenen Informationen nicht verkauft.`,
  notSharedAny: (d) => `${d} haben wir Ihre personenbezogenen Informationen nicht für kontextübergreifende verhaltensbezogene Werbung geteilt.`,
  noneDisclosed: (d) => `${d} haben wir Ihre personenbezogenen Informationen nicht für einen Geschäftszweck an Dritte weitergegeben.`,
  byThirdParty: 'Nach Kategorie von Dritten, die betroffenen Kategorien personenbezogener Informationen:',
  soldItem: (p, c) => `Verkauft an ${p}: ${c}`,
  sharedItem: (p, c) => `Geteilt mit ${p}: ${c}`,
  disclosedItem: (p, c) => `Für einen Geschäftszweck weitergegeben an ${p}: ${c}`,
  rightsHeading: 'Ihre Rechte nach dem CCPA',
  rightsIntro: 'Sie haben das Recht:',
  rights: [
    'zu erfahren, welche personenbezogenen Informationen wir über Sie erheben, woher sie stammen, wozu wir sie nutzen und an wen wir sie weitergeben, verkaufen oder mit wem wir sie teilen, und die einzelnen Informationen zu erhalten (Cal. Civ. Code §§1798.110, 1798.115): dieses Paket',
    'personenbezogene Informationen, die wir bei Ihnen erhoben haben, mit einigen Ausnahmen löschen zu lassen (§1798.105)',
    'unrichtige personenbezogene Informationen berichtigen zu lassen (§1798.106)',
    'dem Verkauf oder dem Teilen Ihrer personenbezogenen Informationen zu widersprechen (§1798.120)',
    'unsere Nutzung und Weitergabe Ihrer sensiblen personenbezogenen Informationen zu beschränken (§1798.121)',
    'wegen der Ausübung dieser Rechte nicht benachteiligt oder gemaßregelt zu werden (§1798.125)',
  ],
  nonDiscrimination:
    'Wir werden Ihnen keine Waren oder Dienstleistungen verweigern, keinen anderen Preis berechnen, keine andere Leistung oder Qualität bieten und Sie als Beschäftigte oder Beschäftigten, Bewerberin oder Bewerber oder freie Mitarbeiterin oder freien Mitarbeiter nicht benachteiligen, weil Sie diese Rechte ausgeübt haben.',
  contactHeading: 'Kontakt und Beschwerden',
  contact: (c) => `Um diese Rechte auszuüben, oder bei Fragen zu diesem Paket oder Ihren personenbezogenen Informationen: ${c}.`,
  complaint: `Wenn Sie meinen, dass wir Ihr Ersuchen nicht so bearbeitet haben, wie es der CCPA verlangt, können Sie sich bei der California Privacy Protection Agency (${CPPA_WEBSITE}) über ihr Beschwerdeformular unter ${CPPA_COMPLAINT_FORM} beschweren oder sich an den California Attorney General unter ${ATTORNEY_GENERAL_CCPA} wenden (beide Angebote sind auf Englisch).`,
};

const fr: CcpaLetterText = {
  locale: 'fr-FR',
  colon: `${NBSP}: `,
  listSeparator: `${NBSP}; `,
  title: (r) => `Vos informations personnelles — ${r}`,
  greeting: (n) => `Bonjour ${n},`,
  answers: (p) =>
    `Ce dossier répond à votre demande de savoir («${NBSP}request to know${NBSP}») présentée au titre du California Consumer Privacy Act (CCPA), reçue le ${p.receivedOn}. ${p.controller} l’a établi le ${p.generatedOn}. Il contient les informations personnelles précises que nous détenons sur vous et indique, pour chaque source, les catégories d’informations personnelles, leur provenance, la raison pour laquelle nous les collectons et à qui nous les avons communiquées, vendues ou partagées.`,
  period: (p) =>
    p.basis === 'twelve-months'
      ? `Il couvre les 12 mois précédant la réception de votre demande, jusqu’au jour où nous avons établi ce dossier${NBSP}: du ${p.since} au ${p.until}. Les fichiers contiennent ce que chaque source conserve sur vous, ce qui peut inclure des enregistrements plus anciens.`
      : `Il couvre plus que les 12 mois précédant la réception de votre demande${NBSP}: du ${p.since} au ${p.until}, jour où nous avons établi ce dossier. Les fichiers contiennent ce que chaque source conserve sur vous, ce qui peut inclure des enregistrements plus anciens.`,
  earlierOnRequest: (p) =>
    `Si vous souhaitez que cette réponse couvre aussi les informations personnelles que nous avons collectées avant le ${p.since} (jusqu’au ${p.floor}), dites-le-nous${NBSP}: nous les fournirons, sauf si cela s’avère impossible ou exige un effort disproportionné.`,
  verified: `Nous avons envoyé ce dossier à vous seul, dans Microsoft Teams, où vous êtes connecté avec le compte de votre organisation${NBSP}: c’est par cette connexion que nous avons vérifié que la demande émane de vous.`,
  verifiedByTeam:
    'Comme vous ne pouviez pas recevoir ce dossier dans Microsoft Teams, notre équipe chargée de la protection des données a vérifié votre identité par un autre moyen avant de le remettre.',
  howToRead: (m) =>
    `Les données de chaque source se trouvent dans le dossier data/ au format JSON, et au format CSV lorsque les données sont tabulaires. ${m} liste chaque fichier avec son nombre d’enregistrements et sa somme de contrôle SHA-256, pour que vous puissiez vérifier que rien n’a été modifié.`,
  statutoryNames: `Les catégories d’informations personnelles sont celles de la loi${NBSP}; leur nom anglais, qui fait foi, figure entre parenthèses.`,
  category: {
    identifiers: 'Identifiants',
    'customer-records': 'Informations personnelles visées au Cal. Civ. Code §1798.80(e) (loi californienne sur les dossiers clients)',
    'protected-classifications': 'Caractéristiques de catégories protégées par le droit californien ou fédéral',
    'commercial-information': 'Informations commerciales',
    'biometric-information': 'Informations biométriques',
    'internet-activity': 'Informations sur l’activité sur Internet ou sur d’autres réseaux électroniques',
    geolocation: 'Données de géolocalisation',
    'sensory-data': 'Informations sonores, électroniques, visuelles, thermiques, olfactives ou similaires',
    'professional-information': 'Informations professionnelles ou liées à l’emploi',
    'education-information': 'Informations sur l’éducation',
    inferences: 'Déductions tirées d’informations personnelles pour établir un profil',
    'sensitive-personal-information': 'Informations personnelles sensibles',
  },
  untranslated: (list) => `Certaines informations sur les sources n’ont été déclarées qu’en anglais et figurent donc en anglais ci-dessous${NBSP}: ${list}.`,
  quote: (t) => `«${NBSP}${t}${NBSP}»`,
  part: {
    title: 'intitulé',
    'ccpa.sourceCategories': 'catégories de sources',
    'ccpa.businessPurposes': 'finalités professionnelles ou commerciales',
    'ccpa.disclosedTo': 'tiers auxquels elles ont été communiquées',
    'ccpa.soldTo': 'tiers auxquels elles ont été vendues',
    'ccpa.sharedWith': 'tiers avec lesquels elles ont été partagées',
  },
  allParts: 'toutes les informations',
  files: (f, n) => `Fichiers${NBSP}: ${f} (${n}).`,
  // French counts 0 and 1 as singular: "0 enregistrement", "1 enregistrement".
  records: { one: (n) => `${n} enregistrement`, other: (n) => `${n} enregistrements` },
  categories: 'Catégories d’informations personnelles',
  sourceCategories: 'Catégories de sources',
  businessPurposes: 'Finalités professionnelles ou commerciales',
  disclosedTo: 'Communiquées à des fins professionnelles à',
  notDisclosed: 'non communiquées à des tiers',
  sold: 'Vendues',
  soldTo: (p) => `oui, à ${p}`,
  notSold: 'non vendues',
  shared: 'Partagées pour de la publicité comportementale intercontextuelle',
  sharedWith: (p) => `oui, avec ${p}`,
  notShared: 'non partagées',
  summaryHeading: 'Vente, partage et communication de vos informations personnelles',
  during: (s, u) => `Du ${s} au ${u}`,
  neitherSoldNorShared: (d) =>
    `${d}, nous n’avons ni vendu vos informations personnelles, ni partagé celles-ci pour de la publicité comportementale intercontextuelle.`,
  notSoldAny: (d) => `${d}, nous n’avons pas vendu vos informations personnelles.`,
  notSharedAny: (d) => `${d}, nous n’avons pas partagé vos informations personnelles pour de la publicité comportementale intercontextuelle.`,
  noneDisclosed: (d) => `${d}, nous n’avons pas communiqué vos informations personnelles à des tiers à des fins professionnelles.`,
  byThirdParty: `Par catégorie de tiers, les catégories d’informations personnelles concernées${NBSP}:`,
  soldItem: (p, c) => `Vendues à ${p}${NBSP}: ${c}`,
  sharedItem: (p, c) => `Partagées avec ${p}${NBSP}: ${c}`,
  disclosedItem: (p, c) => `Communiquées à des fins professionnelles à ${p}${NBSP}: ${c}`,
  rightsHeading: 'Vos droits au titre du CCPA',
  rightsIntro: `Vous avez le droit${NBSP}:`,
  rights: [
    `de savoir quelles informations personnelles nous collectons sur vous, leur provenance, pourquoi nous les utilisons et à qui nous les communiquons, vendons ou partageons, et d’en recevoir les éléments précis (Cal. Civ. Code §§1798.110, 1798.115)${NBSP}: ce dossier`,
    'de faire supprimer les informations personnelles que nous avons collectées auprès de vous, sauf exceptions (§1798.105)',
    'de faire corriger des informations personnelles inexactes (§1798.106)',
    'de vous opposer à la vente ou au partage de vos informations personnelles (§1798.120)',
    'de limiter notre utilisation et notre communication de vos informations personnelles sensibles (§1798.121)',
    'de ne pas être discriminé ni sanctionné pour avoir exercé ces droits (§1798.125)',
  ],
  nonDiscrimination:
    'Nous ne vous refuserons pas de biens ou de services, ne vous appliquerons pas un prix différent, ne vous fournirons pas un niveau ou une qualité de service différents et ne prendrons pas de mesures de rétorsion contre vous en tant que salarié, candidat à un emploi ou prestataire indépendant parce que vous avez exercé ces droits.',
  contactHeading: 'Contact et réclamations',
  contact: (c) => `Pour exercer ces droits, ou pour toute question sur ce dossier ou vos informations personnelles${NBSP}: ${c}.`,
  complaint: `Si vous estimez que nous n’avons pas traité votre demande comme l’exige le CCPA, vous pouvez déposer une plainte auprès de la California Privacy Protection Agency (${CPPA_WEBSITE}) au moyen de son formulaire à l’adresse ${CPPA_COMPLAINT_FORM}, ou vous adresser au California Attorney General à l’adresse ${ATTORNEY_GENERAL_CCPA} (ces deux sites sont en anglais).`,
};

export const CCPA_LETTER_TEXT: Record<LetterLanguage, CcpaLetterText> = { en, de, fr };
