import type { DirectoryUser } from '../directory/directory';
import { Regime, REGIMES } from './regime';

/**
 * Which law a self-service request is offered under first (docs/decisions/0019): the tenant's default,
 * unless the person's location in the directory has its own. Only a default: the person chooses.
 */
export interface RegimeDefaults {
  readonly tenantDefault: Regime;
  /**
   * By location, as configured: a country ("US", ISO 3166-1 alpha-2) or a country and a region
   * ("US-CA", the region as the directory's `state` holds it), upper case.
   */
  readonly byLocation: ReadonlyMap<string, Regime>;
}

export const GDPR_EVERYWHERE: RegimeDefaults = { tenantDefault: Regime.Gdpr, byLocation: new Map() };

const COUNTRY_CODE = /^[A-Z]{2}$/;

export function isRegime(value: string): value is Regime {
  return (REGIMES as readonly string[]).includes(value);
}

/**
 * The law offered first to this person: their country and region's entry, else their country's, else
 * the tenant's. The country is the directory's usage location (always an ISO code when set), else its
 * country field when that is a code; the region is its state, compared without regard to case.
 */
export function defaultRegimeFor(user: Pick<DirectoryUser, 'usageLocation' | 'country' | 'state'>, defaults: RegimeDefaults): Regime {
  const country = [user.usageLocation, user.country].map((c) => c?.trim().toUpperCase()).find((c) => c !== undefined && COUNTRY_CODE.test(c));
  if (!country) return defaults.tenantDefault;
  const region = user.state?.trim().toUpperCase();
  return (region ? defaults.byLocation.get(`${country}-${region}`) : undefined) ?? defaults.byLocation.get(country) ?? defaults.tenantDefault;
}

/**
 * Reads a location map as configured: `US-CA:ccpa,US:ccpa` (commas or semicolons between entries).
 * Returns the problem in words for anything it cannot read, so a typo stops the start-up instead of
 * quietly filing under the wrong law.
 */
export function parseRegimeByLocation(text: string): { ok: true; byLocation: ReadonlyMap<string, Regime> } | { ok: false; problem: string } {
  const byLocation = new Map<string, Regime>();
  for (const entry of text
    .split(/[,;]/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z]{2})(?:-([^:]+?))?\s*:\s*(\S+)$/.exec(entry);
    if (!match) return { ok: false, problem: `"${entry}" is not LOCATION:law (for example US-CA:ccpa)` };
    const regime = match[3]!.toLowerCase();
    if (!isRegime(regime)) return { ok: false, problem: `"${match[3]}" in "${entry}" is not a known law (${REGIMES.join(', ')})` };
    const key = match[2] ? `${match[1]!.toUpperCase()}-${match[2].trim().toUpperCase()}` : match[1]!.toUpperCase();
    if (byLocation.has(key)) return { ok: false, problem: `${key} is listed twice` };
    byLocation.set(key, regime);
  }
  return { ok: true, byLocation };
}
