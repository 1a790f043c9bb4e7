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
  const card = expandDirectly(template, data) ?? expandWithLibrary(template, data);
  if (!isAdaptiveCard(card)) throw new Error('The template did not expand to an AdaptiveCard with a body.');
  // `$schema` lets editors check the .json template; on the wire it is an unused URL, and cards that
  // must never carry a URL (channel, status) are easier to verify without one.
  delete card.$schema;
  return card;
}

/** The library's expansion, refusing missing data (see renderTemplate). */
export function expandWithLibrary(template: object, data: object): unknown {
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

// ---------------------------------------------------------------------------------------------------
// The direct expansion. Even with its template parsed once, adaptivecards-templating evaluates every
// `${…}` through adaptive-expressions with a new memory and options object each time: for the 25
// rows of a `requests` list that was about half of building the card, and a good share of a turn's
// garbage (bench/README.md, "Where a turn's time goes"). Our templates use only a small part of the
// language, so a template that uses nothing else is expanded here, by the library's rules:
//  - a string that is one `${a.b}` becomes the value found, of whatever type (strings from the data
//    are copied as they are, never evaluated); a string without `${` stays as it is;
//  - a name is looked up as adaptive-expressions does: the first own key equal to it ignoring case;
//  - `$data: "${list}"` repeats the object once per item, each item the scope of its expressions
//    (an object instead of a list is the one scope); `$when: "${flag}"` or `"${!flag}"` keeps the
//    object only when the flag is true (false);
//  - an object that comes out zero times is null (dropped from an array), once is the object, more
//    often an array, whose items are spliced into the array around it.
// Anything else in a template (functions, operators, text around `${…}`, `$index`, `$root`), and
// any data the rules above do not cover (a value missing or null, a flag that is not a boolean, a
// list item that is not an object), makes the whole expansion fall back to the library, which then
// also reports missing data. test/cards/adaptiveCard.test.ts compares the two on every template.

/** How the direct expansion gives up: the library expands the template instead. */
const NOT_DIRECT = Symbol('not expanded directly');

type Plan =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'lookup'; readonly path: readonly string[] }
  | { readonly kind: 'array'; readonly items: readonly Plan[] }
  | {
      readonly kind: 'object';
      readonly entries: readonly (readonly [string, Plan])[];
      readonly data?: readonly string[];
      readonly when?: { readonly path: readonly string[]; readonly negated: boolean };
    };

/** One `${name.name}` (or `${!name}`); names are kept lower-cased, as they are compared. */
const LOOKUP = /^\$\{(!?)([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}$/;
/** Names that adaptive-expressions reads as constants, not as lookups. */
const CONSTANT_NAMES = new Set(['true', 'false', 'null', 'undefined']);
/** Fields the library never copies into the output; of these, only $data and $when are handled here. */
const RESERVED_FIELDS = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/** Plans by template; null: the template uses more than the direct expansion handles. */
const PLANS = new WeakMap<object, Plan | null>();

/** The card by the direct expansion, or undefined where only the library can expand it. */
export function expandDirectly(template: object, data: object): unknown {
  let plan = PLANS.get(template);
  if (plan === undefined) {
    plan = planOf(template);
    PLANS.set(template, plan);
  }
  if (plan === null) return undefined;
  try {
    return expandPlan(plan, data);
  } catch (error) {
    if (error === NOT_DIRECT) return undefined;
    throw error;
  }
}

function lookupOf(text: string, negation: 'allowed' | 'refused'): { path: string[]; negated: boolean } | null {
  const match = LOOKUP.exec(text);
  if (!match || (match[1] && negation === 'refused')) return null;
  const path = match[2]!.toLowerCase().split('.');
  if (path.some((name) => CONSTANT_NAMES.has(name))) return null;
  return { path, negated: match[1] === '!' };
}

function planOf(node: unknown): Plan | null {
  if (typeof node === 'string') {
    if (!node.includes('${')) return { kind: 'value', value: node };
    const lookup = lookupOf(node, 'refused');
    return lookup && { kind: 'lookup', path: lookup.path };
  }
  if (Array.isArray(node)) {
    const items: Plan[] = [];
    for (const item of node) {
      const plan = planOf(item);
      if (!plan) return null;
      items.push(plan);
    }
    return { kind: 'array', items };
  }
  if (typeof node !== 'object' || node === null) return { kind: 'value', value: node };
  const entries: (readonly [string, Plan])[] = [];
  let data: string[] | undefined;
  let when: { path: string[]; negated: boolean } | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$data') {
      const lookup = typeof value === 'string' ? lookupOf(value, 'refused') : null;
      if (!lookup) return null;
      data = lookup.path;
    } else if (key === '$when') {
      const lookup = typeof value === 'string' ? lookupOf(value, 'allowed') : null;
      if (!lookup) return null;
      when = lookup;
    } else if (RESERVED_FIELDS.has(key)) {
      return null;
    } else {
      const plan = planOf(value);
      if (!plan) return null;
      entries.push([key, plan]);
    }
  }
  return { kind: 'object', entries, ...(data ? { data } : {}), ...(when ? { when } : {}) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The value at `path` in `scope`: a string, number, boolean, plain object or array, else NOT_DIRECT is thrown. */
function valueAt(scope: unknown, path: readonly string[]): unknown {
  let value = scope;
  for (const name of path) {
    if (!isPlainObject(value)) throw NOT_DIRECT;
    const key = Object.keys(value).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : value[key];
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value) || isPlainObject(value)) return value;
  throw NOT_DIRECT;
}

function expandPlan(plan: Plan, scope: unknown): unknown {
  switch (plan.kind) {
    case 'value':
      return plan.value;
    case 'lookup':
      return valueAt(scope, plan.path);
    case 'array': {
      const items: unknown[] = [];
      for (const item of plan.items) {
        const expanded = expandPlan(item, scope);
        if (expanded === null) continue;
        if (Array.isArray(expanded)) items.push(...(expanded as unknown[]));
        else items.push(expanded);
      }
      return items;
    }
    case 'object': {
      let scopes: readonly unknown[] = [scope];
      if (plan.data) {
        const data = valueAt(scope, plan.data);
        scopes = Array.isArray(data) ? data : [data];
        for (const item of scopes) if (!isPlainObject(item)) throw NOT_DIRECT;
      }
      const out: Record<string, unknown>[] = [];
      for (const itemScope of scopes) {
        if (plan.when) {
          const flag = valueAt(itemScope, plan.when.path);
          if (typeof flag !== 'boolean') throw NOT_DIRECT;
          if (flag === plan.when.negated) continue;
        }
        const object: Record<string, unknown> = {};
        for (const [key, value] of plan.entries) object[key] = expandPlan(value, itemScope);
        out.push(object);
      }
      return out.length === 0 ? null : out.length === 1 ? out[0] : out;
    }
  }
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
