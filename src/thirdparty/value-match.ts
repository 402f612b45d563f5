/**
 * How verify compares a supplied value with the recorded one. Text ignores case, accents and extra spaces
 * ("ÉLODIE  du Pont" = "elodie du pont"); dates (`YYYY-MM-DD…`) and numbers compare exactly; an object matches when
 * every member supplied matches; arrays match element by element. A value that is not recorded never matches.
 */
const DATE = /^\d{4}-\d{2}-\d{2}/;

function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function valueMatches(supplied: unknown, recorded: unknown): boolean {
  if (recorded === undefined || recorded === null) return false;
  if (typeof supplied === 'string') {
    if (typeof recorded !== 'string') return false;
    return DATE.test(supplied) ? supplied === recorded : normalise(supplied) === normalise(recorded);
  }
  if (Array.isArray(supplied)) {
    return (
      Array.isArray(recorded) && recorded.length === supplied.length && supplied.every((item, i) => valueMatches(item, recorded[i]))
    );
  }
  if (supplied !== null && typeof supplied === 'object') {
    if (typeof recorded !== 'object' || Array.isArray(recorded)) return false;
    const members = Object.entries(supplied);
    return members.length > 0 && members.every(([name, value]) => valueMatches(value, (recorded as Record<string, unknown>)[name]));
  }
  return supplied === recorded;
}

/** Date-times (credential dates) compare as instants, so `…T12:00:00Z` matches `…T13:00:00+01:00`. */
export function instantMatches(supplied: unknown, recorded: unknown): boolean {
  if (typeof supplied !== 'string' || typeof recorded !== 'string') return false;
  const [a, b] = [Date.parse(supplied), Date.parse(recorded)];
  return !Number.isNaN(a) && a === b;
}
