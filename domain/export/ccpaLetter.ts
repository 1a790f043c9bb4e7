import { subMonths } from 'date-fns';
import { calendarDateIn, formatForPeople, fromDate, toDate, type CalendarDate } from '../deadlines/calendarDate';
import { CCPA_LETTER_TEXT, STATUTORY_CATEGORY_NAMES, type CcpaDisclosurePart, type CcpaLetterText, type PeriodBasis } from './ccpaLetterText';
import type { CoverLetterInput, Section } from './coverLetter';
import { letterLanguage, type LetterLanguage } from './coverLetterText';
import { CCPA_CATEGORIES, type CcpaCategory, type SourceDisclosure } from './dataSource';
import { countOf, localisedFor, untranslatedSources, type LocalisedDisclosure } from './letterWording';
import { dataFile, MANIFEST_FILE } from './packageLayout';

/** §1798.130(a)(2)(B): a response need not reach back before this date, however long ago the business started collecting. */
export const CCPA_EARLIEST_COVERED_DATE: CalendarDate = '2022-01-01';
/** §1798.130(a)(2)(B): the response covers at least the 12 months before the business received the request. */
export const CCPA_LOOK_BACK_MONTHS = 12;

export interface CoveredPeriod {
  readonly since: CalendarDate;
  readonly until: CalendarDate;
  readonly basis: PeriodBasis;
}

/**
 * The period a right-to-know answer covers: the 12 months before the request was received, or a
 * configured earlier start (never before 1 January 2022), up to the day the package was prepared. A
 * configured start later than the 12 months would cut short what the law requires, so it is ignored.
 */
export function coveredPeriod(receivedOn: CalendarDate, generatedOn: CalendarDate, configuredSince?: CalendarDate): CoveredPeriod {
  const twelveMonths = fromDate(subMonths(toDate(receivedOn), CCPA_LOOK_BACK_MONTHS));
  const configured = configuredSince === undefined ? undefined : configuredSince < CCPA_EARLIEST_COVERED_DATE ? CCPA_EARLIEST_COVERED_DATE : configuredSince;
  return configured !== undefined && configured < twelveMonths
    ? { since: configured, until: generatedOn, basis: 'configured' }
    : { since: twelveMonths, until: generatedOn, basis: 'twelve-months' };
}

/**
 * The answer to a CCPA request to know (Cal. Civ. Code §§1798.100, 1798.110, 1798.115, 1798.130):
 * per source the specific pieces (its files), the statutory categories of personal information, the
 * categories of sources, the business or commercial purposes, and to which categories of third
 * parties it was disclosed, sold or shared; then the same by category of third party, the period
 * covered, the consumer's rights and where to complain. It speaks only the CCPA's language: the GDPR
 * letter's legal bases, portability and EU authorities would tell a Californian about rights they do
 * not have (decision 0015). Same input and sections as the GDPR letter, so both render the same way.
 */
export function ccpaLetterSections(input: CoverLetterInput): Section[] {
  const { request, controller } = input;
  const language = letterLanguage(request.subject.preferredLanguage);
  const t = CCPA_LETTER_TEXT[language];
  const people = (date: CalendarDate) => formatForPeople(date, t.locale);
  const generatedOn = calendarDateIn(input.generatedAt, input.timeZone);
  const period = coveredPeriod(request.receivedOn, generatedOn, controller.ccpaCoveredSince);
  const sources = input.sources.map((entry) => ({ ...entry, ...localised(entry.source.disclosure, language) }));
  const label = (name: string, value: string) => `${name}${t.colon}${value}`;
  const list = (entries: readonly string[]) => entries.join(t.listSeparator);
  const categoryList = (categories: readonly CcpaCategory[]) => list(categories.map((c) => categoryName(c, language, t)));

  const untranslated = untranslatedSources(sources, t);
  const sections: Section[] = [
    {
      heading: t.title(request.reference),
      paragraphs: [
        t.greeting(request.subject.displayName),
        t.answers({ receivedOn: people(request.receivedOn), generatedOn: people(generatedOn), controller: controller.name }),
        t.period({ since: people(period.since), until: people(period.until), basis: period.basis }),
        ...(period.since > CCPA_EARLIEST_COVERED_DATE ? [t.earlierOnRequest({ since: people(period.since), floor: people(CCPA_EARLIEST_COVERED_DATE) })] : []),
        // How the request was verified, never the admin's own note of it: that is internal.
        request.deliverTo === 'subject' ? t.verified : t.verifiedByTeam,
        t.howToRead(MANIFEST_FILE),
        ...(t.statutoryNames ? [t.statutoryNames] : []),
        ...(untranslated.length > 0 ? [t.untranslated(list(untranslated))] : []),
      ],
    },
  ];

  for (const { source, records, dataFiles, disclosure: d } of sources) {
    const files = dataFiles ?? [dataFile(source.id, 'json'), ...(source.tabular ? [dataFile(source.id, 'csv')] : [])];
    const c = d.ccpa;
    sections.push({
      heading: d.title,
      paragraphs: [t.files(files.join(', '), countOf(records, t))],
      items: [
        label(t.categories, categoryList(c.categories)),
        label(t.sourceCategories, list(c.sourceCategories)),
        label(t.businessPurposes, list(c.businessPurposes)),
        label(t.disclosedTo, c.disclosedTo.length > 0 ? list(c.disclosedTo) : t.notDisclosed),
        label(t.sold, c.soldTo.length > 0 ? t.soldTo(list(c.soldTo)) : t.notSold),
        label(t.shared, c.sharedWith.length > 0 ? t.sharedWith(list(c.sharedWith)) : t.notShared),
      ],
    });
  }

  sections.push(
    summarySection(
      sources.map((s) => s.disclosure),
      t,
      t.during(people(period.since), people(period.until)),
      categoryList,
    ),
  );
  sections.push({ heading: t.rightsHeading, paragraphs: [t.rightsIntro], items: t.rights });
  sections.push({ heading: t.contactHeading, paragraphs: [t.nonDiscrimination, t.contact(controller.contact), t.complaint] });
  return sections;
}

function localised(disclosure: SourceDisclosure, language: LetterLanguage): LocalisedDisclosure<CcpaDisclosurePart> {
  // Only the title and the CCPA block are printed here; the GDPR parts being English is not this letter's news.
  return localisedFor(disclosure, language, (part): part is CcpaDisclosurePart => part === 'title' || part.startsWith('ccpa.'));
}

/** The statutory name; in German or French, the translation with the authoritative English name beside it. */
function categoryName(category: CcpaCategory, language: LetterLanguage, t: CcpaLetterText): string {
  return language === 'en' ? STATUTORY_CATEGORY_NAMES[category] : `${t.category[category]} (${t.quote(STATUTORY_CATEGORY_NAMES[category])})`;
}

/**
 * §1798.115(a) and (c): what was sold, shared or disclosed for a business purpose, by category of
 * third party with the categories of personal information concerned, each third party once across
 * sources; and a plain sentence for what did not happen at all.
 */
function summarySection(
  disclosures: readonly SourceDisclosure[],
  t: CcpaLetterText,
  during: string,
  categoryList: (categories: readonly CcpaCategory[]) => string,
): Section {
  const byThirdParty = (pick: (d: SourceDisclosure) => readonly string[]) => {
    const map = new Map<string, Set<CcpaCategory>>();
    for (const d of disclosures) {
      for (const thirdParty of pick(d)) {
        const categories = map.get(thirdParty) ?? new Set<CcpaCategory>();
        for (const category of d.ccpa.categories) categories.add(category);
        map.set(thirdParty, categories);
      }
    }
    return [...map.entries()];
  };
  const sold = byThirdParty((d) => d.ccpa.soldTo);
  const shared = byThirdParty((d) => d.ccpa.sharedWith);
  const disclosed = byThirdParty((d) => d.ccpa.disclosedTo);
  // Categories in the statute's order, whichever source named them first.
  const ordered = (categories: Set<CcpaCategory>) => categoryList(CCPA_CATEGORIES.filter((c) => categories.has(c)));

  const paragraphs: string[] = [];
  if (sold.length === 0 && shared.length === 0) paragraphs.push(t.neitherSoldNorShared(during));
  else if (sold.length === 0) paragraphs.push(t.notSoldAny(during));
  else if (shared.length === 0) paragraphs.push(t.notSharedAny(during));
  if (disclosed.length === 0) paragraphs.push(t.noneDisclosed(during));
  const items = [
    ...sold.map(([thirdParty, categories]) => t.soldItem(thirdParty, ordered(categories))),
    ...shared.map(([thirdParty, categories]) => t.sharedItem(thirdParty, ordered(categories))),
    ...disclosed.map(([thirdParty, categories]) => t.disclosedItem(thirdParty, ordered(categories))),
  ];
  if (items.length === 0) return { heading: t.summaryHeading, paragraphs };
  return { heading: t.summaryHeading, paragraphs: [...paragraphs, t.byThirdParty], items };
}
