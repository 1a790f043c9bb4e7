import { letterLanguage, LETTER_TEXT, type LetterLanguage } from '../../domain/export/coverLetterText';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import type { Regime } from '../../domain/requests/regime';

/**
 * The language a data subject reads their cards in: the preferred language from the directory, as
 * the cover letter does (de-DE → de, fr-FR → fr), and English for anything else or nothing.
 */
export type SubjectLanguage = LetterLanguage;

export function subjectLanguage(request: ExportRequest): SubjectLanguage {
  return letterLanguage(request.subject.preferredLanguage);
}

/** The Intl locale dates are formatted in for each language; 'en-GB' keeps the English cards as they were. */
export const DATE_LOCALE: Record<SubjectLanguage, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR' };

/** The law a request is under, in the subject's language: the cover letter's wording, so both agree. */
export function regimeForSubject(regime: Regime, language: SubjectLanguage): string {
  return LETTER_TEXT[language].regime[regime];
}

/** A table of a card's fixed strings, one entry per language. */
export type ByLanguage<T> = Readonly<Record<SubjectLanguage, T>>;
