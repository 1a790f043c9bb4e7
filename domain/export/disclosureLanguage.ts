import type { LetterLanguage } from './coverLetterText';
import type { AutomatedDecisionMaking, CcpaDisclosure, Recipient, SourceDisclosure } from './dataSource';

/** The names `disclosureIn` gives the parts that stayed English, in the order a letter prints them. */
export const DISCLOSURE_PARTS = [
  'title',
  'purposes',
  'categories',
  'recipients',
  'transfers',
  'retention',
  'legalBasis',
  'origin',
  'automatedDecisionMaking',
  'ccpa.sourceCategories',
  'ccpa.businessPurposes',
  'ccpa.disclosedTo',
  'ccpa.soldTo',
  'ccpa.sharedWith',
] as const;
export type DisclosurePart = (typeof DISCLOSURE_PARTS)[number];

/** An address needs no translation; words such as "on request from the privacy team" do. */
const ADDRESS = /^(https?:\/\/|mailto:)\S+$/i;

/**
 * A disclosure's texts in a letter language: every part the configuration translated is substituted,
 * and `untranslated` names the parts that stayed English (empty for English). A part with nothing to
 * say (no transfer, no automated decision, nothing sold) has nothing to translate and is never named.
 */
export function disclosureIn(
  disclosure: SourceDisclosure,
  language: LetterLanguage,
): { readonly disclosure: SourceDisclosure; readonly untranslated: readonly DisclosurePart[] } {
  if (language === 'en') return { disclosure, untranslated: [] };
  const t = disclosure.translations?.[language] ?? {};
  const missing = new Set<DisclosurePart>();
  const text = (part: DisclosurePart, english: string, translated: string | undefined): string => {
    if (translated === undefined) missing.add(part);
    return translated ?? english;
  };
  const list = (part: DisclosurePart, english: readonly string[], translated: readonly string[] | undefined): readonly string[] => {
    if (english.length === 0) return english;
    if (translated === undefined) missing.add(part);
    return translated ?? english;
  };

  const recipients = disclosure.recipients.map((recipient, i): Recipient => {
    const rt = t.recipients?.[i];
    const name = text('recipients', recipient.name, rt?.name);
    const transfer = recipient.transfer;
    if (!transfer.thirdCountry) return { name, transfer };
    const destination =
      'internationalOrganisation' in transfer.destination
        ? { internationalOrganisation: text('transfers', transfer.destination.internationalOrganisation, rt?.destination) }
        : transfer.destination;
    const copy = transfer.copyAvailableAt;
    const copyAvailableAt = copy === undefined || ADDRESS.test(copy.trim()) ? copy : text('transfers', copy, rt?.copyAvailableAt);
    return {
      name,
      transfer: {
        ...transfer,
        destination,
        safeguardDetail: text('transfers', transfer.safeguardDetail, rt?.safeguardDetail),
        ...(copyAvailableAt === undefined ? {} : { copyAvailableAt }),
      },
    };
  });

  const adm = disclosure.automatedDecisionMaking;
  const automatedDecisionMaking: AutomatedDecisionMaking = adm.used
    ? {
        used: true,
        logic: text('automatedDecisionMaking', adm.logic, t.automatedDecisionMaking?.logic),
        significance: text('automatedDecisionMaking', adm.significance, t.automatedDecisionMaking?.significance),
        consequences: text('automatedDecisionMaking', adm.consequences, t.automatedDecisionMaking?.consequences),
      }
    : adm;

  const c = disclosure.ccpa;
  const ccpa: CcpaDisclosure = {
    categories: c.categories,
    sourceCategories: list('ccpa.sourceCategories', c.sourceCategories, t.ccpa?.sourceCategories),
    businessPurposes: list('ccpa.businessPurposes', c.businessPurposes, t.ccpa?.businessPurposes),
    disclosedTo: list('ccpa.disclosedTo', c.disclosedTo, t.ccpa?.disclosedTo),
    soldTo: list('ccpa.soldTo', c.soldTo, t.ccpa?.soldTo),
    sharedWith: list('ccpa.sharedWith', c.sharedWith, t.ccpa?.sharedWith),
  };

  const translated: SourceDisclosure = {
    ...disclosure,
    title: text('title', disclosure.title, t.title),
    purposes: list('purposes', disclosure.purposes, t.purposes),
    categories: list('categories', disclosure.categories, t.categories),
    recipients,
    retention: text('retention', disclosure.retention, t.retention),
    legalBasis: { ...disclosure.legalBasis, text: text('legalBasis', disclosure.legalBasis.text, t.legalBasis) },
    origin: text('origin', disclosure.origin, t.origin),
    automatedDecisionMaking,
    ccpa,
  };
  return { disclosure: translated, untranslated: DISCLOSURE_PARTS.filter((part) => missing.has(part)) };
}
