import { GlobalSettings, Template } from 'adaptivecards-templating';

/**
 * Teams renders Adaptive Cards up to 1.5 on desktop and web (mobile may lag), and 1.5 is the first
 * version with `style: "heading"`; Action.Execute needs 1.4. Every template in this folder says 1.5.
 */
export const ADAPTIVE_CARD_VERSION = '1.5';

/** A card as it goes into an attachment or an invoke response: plain JSON, nothing left to expand. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [k: string]: unknown;
}

export class TemplateDataMissing extends Error {
  constructor(readonly paths: readonly string[]) {
    super(`The card template refers to data that was not given: ${paths.join(', ')}.`);
    this.name = 'TemplateDataMissing';
  }
}

/**
 * Expands one of our JSON templates with its data, exactly once.
 *
 * Why this is safe for user strings: adaptivecards-templating evaluates `${...}` only in the template;
 * a value taken from the data is copied into the output as it is, even when it contains `${...}`.
 * That holds only for ONE expansion: the output must never be used as a template again (it would then
 * evaluate whatever a display name smuggled in), and a template must never be assembled from user
 * strings. Builders therefore call this once, on a template imported from a .json file.
 *
 * Why the missing-data check: when a `${field}` has no value the engine silently writes the literal
 * text "${field}" into the card. We would rather fail in tests than show that to a data subject.
 * Only text substitution is checked: `$when` is evaluated without substitution, so optional parts
 * guarded by `$when` may leave their data out.
 */
export function renderTemplate(template: object, data: object): AdaptiveCard {
  const parsed = parsedTemplate(template);
  const missing: string[] = [];
  const previous = GlobalSettings.getUndefinedFieldValueSubstitutionString;
  // expand() is synchronous, so swapping the global hook for its duration cannot leak into
  // another expansion.
  GlobalSettings.getUndefinedFieldValueSubstitutionString = (path: string) => {
    missing.push(path);
    return undefined;
  };
  let card: unknown;
  try {
    card = parsed.expand({ $root: data });
  } finally {
    GlobalSettings.getUndefinedFieldValueSubstitutionString = previous;
  }
  if (missing.length > 0) throw new TemplateDataMissing([...new Set(missing)]);
  if (!isAdaptiveCard(card)) throw new Error('The template did not expand to an AdaptiveCard with a body.');
  // `$schema` lets editors check the .json template; on the wire it is an unused URL, and cards that
  // must never carry a URL (channel, status) are easier to verify without one.
  delete card.$schema;
  return card;
}

/**
 * `new Template` parses every `${…}` of the payload (about a millisecond for a list card), and a
 * template is a module-level JSON import that never changes, so each is parsed once. Reusing one is
 * safe: `expand` only reads the parsed payload and builds every object and array of its output anew
 * (only strings, numbers and values taken from the data are passed through), it resets its own
 * evaluation context on each call, and it is synchronous, so two expansions never interleave.
 * Keyed weakly by the template object: a template built at run time (tests) is not kept alive.
 */
const PARSED_TEMPLATES = new WeakMap<object, Template>();

function parsedTemplate(template: object): Template {
  let parsed = PARSED_TEMPLATES.get(template);
  if (!parsed) {
    parsed = new Template(template);
    PARSED_TEMPLATES.set(template, parsed);
  }
  return parsed;
}

function isAdaptiveCard(value: unknown): value is AdaptiveCard {
  if (typeof value !== 'object' || value === null) return false;
  const card = value as Record<string, unknown>;
  return card.type === 'AdaptiveCard' && typeof card.version === 'string' && Array.isArray(card.body);
}

/**
 * Characters that are removed before any user string is shown: C0/C1 controls other than tab and
 * newline, and the Unicode bidirectional overrides and isolates, which can make a display name
 * visually reorder the text that follows it (a reference, a date) on the same line.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Adaptive Cards "text functions": {{DATE(2026-02-26T10:00:00Z, SHORT)}} and {{TIME(...)}} are
 * replaced by the renderer in TextBlocks AND TextRuns, so a name could render as a date. A zero-width
 * space between the braces keeps the text as typed while the pattern no longer matches.
 */
const TEXT_FUNCTION_OPENING = /\{\{/g;

/**
 * ASCII punctuation that is backslash-escaped in Markdown-capable fields. CommonMark lets every ASCII
 * punctuation character be escaped and then shows it literally, so we escape all of them (a
 * superset of \ * _ [ ] ( ) # + - ` ! > ~ | and "1." list markers) except two:
 *  - the extra characters matter: `<` opens autolinks (<https://x>), `=` makes setext headings, `{`
 *    starts text functions, and escaping `.` `:` `/` `@` splits bare URLs and addresses so hosts that
 *    linkify text (markdown-it's linkify, Teams) find no link in "https://evil.example";
 *  - `'` and `,` are left alone: they have no Markdown meaning once brackets and parentheses are
 *    escaped (they matter only in link titles), and they are the punctuation real names carry
 *    (O'Neil; Bowen, Megan). Some Teams mobile clients show escape backslashes instead of hiding
 *    them, so every character we do not escape keeps names cleaner there.
 */
const MARKDOWN_PUNCTUATION = /[!"#$%&()*+\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * For a user string placed in a field that hosts run through Markdown: TextBlock.text, Fact.title,
 * Fact.value. In Teams these render Markdown, links included, so "[click](https://evil.example)" in
 * a display name would become a link. Escaped, it shows exactly as typed.
 *
 * The project's rule (see also plainText): a user string goes either into a TextRun through
 * plainText, or into a Markdown field through escapeText. Never raw into a Markdown field.
 */
export function escapeText(s: string): string {
  return withoutInvisibleControls(s).replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/**
 * For a user string placed in a TextRun (inside a RichTextBlock). The Adaptive Cards schema gives
 * TextRun no Markdown, and renderers set it as plain text (the JS renderer uses innerText), so nothing
 * needs escaping and the string shows exactly as typed on every client, with no stray backslashes on
 * clients that do not hide them. Only the invisible controls and the {{DATE(...)}} text functions,
 * which TextRuns do process, are neutralised.
 *
 * This is why the cards put names, notes and reasons in TextRuns wherever the layout allows, and use
 * escapeText only where Adaptive Cards offers no TextRun (FactSet values).
 */
export function plainText(s: string): string {
  return withoutInvisibleControls(s).replace(TEXT_FUNCTION_OPENING, '{\u200B{');
}

/** Removes what INVISIBLE_CONTROLS names: for plain-text messages, where text functions do not apply. */
export function withoutInvisibleControls(s: string): string {
  return s.replace(INVISIBLE_CONTROLS, '');
}
