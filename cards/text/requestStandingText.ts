import { describeDaysLeft } from '../../domain/deadlines/dueDate';
import { type RequestState, STATE_LABEL } from '../../domain/requests/lifecycle';
import type { ByLanguage } from './subjectLanguage';

/** How a request stands, as the data subject reads it: days left while open, the state once closed. */
export interface RequestStandingText {
  readonly daysLeft: (days: number) => string;
  readonly state: Readonly<Record<RequestState, string>>;
}

export const REQUEST_STANDING_TEXT: ByLanguage<RequestStandingText> = {
  // English is the wording every other card uses, so it is taken from there rather than repeated.
  en: { daysLeft: describeDaysLeft, state: STATE_LABEL },
  de: {
    daysLeft: (days) => {
      if (days > 1) return `noch ${days} Tage`;
      if (days === 1) return 'noch 1 Tag';
      if (days === 0) return 'heute fällig';
      return days === -1 ? 'seit 1 Tag überfällig' : `seit ${-days} Tagen überfällig`;
    },
    state: {
      filed: 'Eingereicht',
      awaiting_confirmation: 'Wartet auf Ihre Bestätigung',
      confirmed: 'Bestätigt, Export geplant',
      exporting: 'Export läuft',
      ready: 'Paket bereit, Link wird zugestellt',
      delivered: 'Zugestellt',
      completed: 'Abgeschlossen',
      declined: 'Von Ihnen abgelehnt',
      unconfirmed: 'Geschlossen, nicht rechtzeitig bestätigt',
      cancelled: 'Storniert',
      failed: 'Export fehlgeschlagen',
      purged: 'Paket nach Ablauf der Aufbewahrungsfrist gelöscht',
    },
  },
  fr: {
    daysLeft: (days) => {
      if (days > 1) return `${days} jours restants`;
      if (days === 1) return '1 jour restant';
      if (days === 0) return 'échéance aujourd’hui';
      return days === -1 ? 'en retard d’1 jour' : `en retard de ${-days} jours`;
    },
    state: {
      filed: 'Déposée',
      awaiting_confirmation: 'En attente de votre confirmation',
      confirmed: 'Confirmée, export en attente',
      exporting: 'Export en cours',
      ready: 'Paquet prêt, envoi du lien en cours',
      delivered: 'Livrée',
      completed: 'Terminée',
      declined: 'Refusée par vous',
      unconfirmed: 'Clôturée, non confirmée à temps',
      cancelled: 'Annulée',
      failed: 'Échec de l’export',
      purged: 'Paquet supprimé après la durée de conservation',
    },
  },
};
