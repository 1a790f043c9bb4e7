/**
 * Building OData query values safely. The Graph client puts $filter and path segments into the URL
 * exactly as given, so two things are on us: quotes inside a string literal are doubled (OData's
 * escape; without it "o'brien@…" ends the literal early, or worse, changes the filter), and the whole
 * expression is percent-encoded (a "#" would start a URL fragment, "&" a new parameter, "+" a space).
 */

/** An OData string literal: 'value' with every single quote doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A $filter expression ready for the URL. */
export function encodedFilter(expression: string): string {
  return encodeURIComponent(expression);
}

/** A path segment ready for the URL ("joni_partner.example#EXT#@example.com" keeps its #). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

/** Entra object ids are GUIDs; anything else never goes into a Graph path as an id. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}
