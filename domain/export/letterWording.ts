import type { LetterLanguage } from './coverLetterText';
import type { SourceDisclosure } from './dataSource';
import { disclosureIn, type DisclosurePart } from './disclosureLanguage';

/** A source's disclosure as one letter prints it: translated where it can be, and what stayed English. */
export interface LocalisedDisclosure<P extends DisclosurePart> {
  readonly disclosure: SourceDisclosure;
  /** The parts this letter prints that stayed in English. */
  readonly untranslated: P[];
  /** Nothing of this source was translated into the letter's language. */
  readonly wholly: boolean;
}

/** What both letters need of their wording to name counts and the parts left in English. */
interface CommonWording<P extends string> {
  readonly locale: string;
  readonly records: Partial<Record<Intl.LDMLPluralRule, (n: string) => string>> & { readonly other: (n: string) => string };
  readonly quote: (text: string) => string;
  readonly part: Record<P, string>;
  readonly allParts: string;
}

/**
 * The disclosure in the letter's language. `printed` says which parts the letter prints: a GDPR letter
 * does not report the CCPA block as untranslated, nor the CCPA letter the GDPR parts.
 */
export function localisedFor<P extends DisclosurePart>(
  disclosure: SourceDisclosure,
  language: LetterLanguage,
  printed: (part: DisclosurePart) => part is P,
): LocalisedDisclosure<P> {
  const result = disclosureIn(disclosure, language);
  return {
    disclosure: result.disclosure,
    untranslated: result.untranslated.filter(printed),
    wholly: language !== 'en' && disclosure.translations?.[language] === undefined,
  };
}

/** "«Telemetry» (all details)", "«Profile» (purposes, retention)": the sources whose printed parts stayed English. */
export function untranslatedSources<P extends DisclosurePart>(sources: ReadonlyArray<LocalisedDisclosure<P>>, t: CommonWording<P>): string[] {
  return sources
    .filter((s) => s.untranslated.length > 0)
    .map((s) => `${t.quote(s.disclosure.title)} (${s.wholly ? t.allParts : s.untranslated.map((part) => t.part[part]).join(', ')})`);
}

/** "1 record", "1,234 records", "0 enregistrement": the language's own plural rule and digit grouping. */
export function countOf(records: number, t: Pick<CommonWording<never>, 'locale' | 'records'>): string {
  const formatted = new Intl.NumberFormat(t.locale).format(records);
  const rule = new Intl.PluralRules(t.locale).select(records);
  return (t.records[rule] ?? t.records.other)(formatted);
}
