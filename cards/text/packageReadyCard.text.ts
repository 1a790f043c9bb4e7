import type { ByLanguage } from './subjectLanguage';

/** Every fixed string of packageReadyCard.json, and the words of the package summary, per language. */
export interface PackageReadyCardText {
  readonly heading: string;
  readonly intro: (reference: string) => string;
  readonly privateHeading: string;
  readonly privateWarning: string;
  readonly expiresTitle: string;
  readonly packageTitle: string;
  readonly insideHeading: string;
  readonly insideData: string;
  readonly insideManifest: string;
  readonly insideCoverLetter: string;
  readonly expired: (reference: string) => string;
  readonly downloadButton: string;
  /** "7 files", "1 file". */
  readonly files: (count: number) => string;
  /** Sizes under 1000 bytes: "1 byte", "512 bytes". */
  readonly bytes: (count: number) => string;
  /** Decimal (SI) units from kilo to tera. */
  readonly units: readonly [string, string, string, string];
  readonly decimalSeparator: string;
}

export const PACKAGE_READY_CARD_TEXT: ByLanguage<PackageReadyCardText> = {
  en: {
    heading: 'Your data is ready',
    intro: (r) => `Here is the copy of your personal data for request ${r}. Download it with the button below.`,
    privateHeading: 'This link is private',
    privateWarning: "Anyone who has the link can download your data until it expires. Don't forward it or share it.",
    expiresTitle: 'Link expires',
    packageTitle: 'Package',
    insideHeading: "What's inside",
    insideData: '• Your data from each source, as JSON, and as CSV where the data is a table',
    insideManifest: '• A manifest (manifest.json) listing every file with its record count and SHA-256 checksum, so you can check that nothing was changed',
    insideCoverLetter:
      '• A cover letter explaining why your data is processed (purposes), who receives it (recipients), how long it is kept (retention) and your rights',
    expired: (r) => `Link expired before you downloaded? Contact your privacy team and quote ${r} for a new one.`,
    downloadButton: 'Download your data',
    files: (n) => (n === 1 ? '1 file' : `${n} files`),
    bytes: (n) => (n === 1 ? '1 byte' : `${n} bytes`),
    units: ['KB', 'MB', 'GB', 'TB'],
    decimalSeparator: '.',
  },
  de: {
    heading: 'Ihre Daten sind bereit',
    intro: (r) => `Hier ist die Kopie Ihrer personenbezogenen Daten zur Anfrage ${r}. Laden Sie sie über die Schaltfläche unten herunter.`,
    privateHeading: 'Dieser Link ist privat',
    privateWarning: 'Wer den Link hat, kann Ihre Daten herunterladen, bis er abläuft. Leiten Sie ihn nicht weiter und teilen Sie ihn mit niemandem.',
    expiresTitle: 'Link gültig bis',
    packageTitle: 'Paket',
    insideHeading: 'Inhalt',
    insideData: '• Ihre Daten aus jeder Quelle als JSON und, wo die Daten eine Tabelle sind, als CSV',
    insideManifest:
      '• Ein Manifest (manifest.json), das jede Datei mit Anzahl der Einträge und SHA-256-Prüfsumme auflistet, damit Sie prüfen können, dass nichts verändert wurde',
    insideCoverLetter:
      '• Ein Begleitschreiben, das erklärt, warum Ihre Daten verarbeitet werden (Zwecke), wer sie erhält (Empfänger), wie lange sie gespeichert werden (Speicherdauer) und welche Rechte Sie haben',
    expired: (r) =>
      `Ist der Link abgelaufen, bevor Sie die Daten heruntergeladen haben? Wenden Sie sich unter Angabe von ${r} an Ihr Datenschutzteam, um einen neuen zu erhalten.`,
    downloadButton: 'Ihre Daten herunterladen',
    files: (n) => (n === 1 ? '1 Datei' : `${n} Dateien`),
    bytes: (n) => (n === 1 ? '1 Byte' : `${n} Bytes`),
    units: ['KB', 'MB', 'GB', 'TB'],
    decimalSeparator: ',',
  },
  fr: {
    heading: 'Vos données sont prêtes',
    intro: (r) => `Voici la copie de vos données personnelles pour la demande ${r}. Téléchargez-la avec le bouton ci-dessous.`,
    privateHeading: 'Ce lien est privé',
    privateWarning: 'Toute personne disposant du lien peut télécharger vos données jusqu’à son expiration. Ne le transférez pas et ne le partagez pas.',
    expiresTitle: 'Le lien expire le',
    packageTitle: 'Paquet',
    insideHeading: 'Contenu',
    insideData: '• Vos données de chaque source, en JSON, et en CSV lorsque les données forment un tableau',
    insideManifest:
      '• Un manifeste (manifest.json) qui liste chaque fichier avec son nombre d’enregistrements et sa somme de contrôle SHA-256, pour vérifier que rien n’a été modifié',
    insideCoverLetter:
      '• Une lettre d’accompagnement qui explique pourquoi vos données sont traitées (finalités), qui les reçoit (destinataires), combien de temps elles sont conservées (conservation) et quels sont vos droits',
    expired: (r) =>
      `Le lien a expiré avant votre téléchargement\u00A0? Contactez votre équipe de protection des données en indiquant ${r} pour en obtenir un nouveau.`,
    downloadButton: 'Télécharger vos données',
    files: (n) => (n === 1 ? '1 fichier' : `${n} fichiers`),
    bytes: (n) => (n === 1 ? '1 octet' : `${n} octets`),
    units: ['Ko', 'Mo', 'Go', 'To'],
    decimalSeparator: ',',
  },
};
