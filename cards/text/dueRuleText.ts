import type { DueRule } from '../../domain/deadlines/workingDays';
import type { ByLanguage } from './subjectLanguage';

/**
 * Why a due date is not the last day of the period (Regulation 1182/71 Art. 3(4)), per language:
 * `periodEnd` is that last day, already formatted for the reader; a holiday's name is the calendar
 * file's own, as written there.
 */
export type DueRuleText = (periodEnd: string, rule: DueRule) => string;

export const DUE_RULE_TEXT: ByLanguage<DueRuleText> = {
  en: (end, rule) =>
    `the period ended on ${end}, ${rule.reason === 'holiday' ? `a public holiday${rule.holiday ? ` (${rule.holiday})` : ''}` : 'a weekend'}, so it ends on the next working day`,
  de: (end, rule) =>
    `die Frist endete am ${end}, ${rule.reason === 'holiday' ? `einem Feiertag${rule.holiday ? ` (${rule.holiday})` : ''}` : 'einem Wochenende'}, und endet daher am nächsten Werktag`,
  fr: (end, rule) =>
    `le délai prenait fin le ${end}, ${rule.reason === 'holiday' ? `un jour férié${rule.holiday ? ` (${rule.holiday})` : ''}` : 'un week-end'}, il prend donc fin le jour ouvrable suivant`,
};
