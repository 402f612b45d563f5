/**
 * Free-form bags (biographicData, contextualData) may use any member name, but stores refuse names with a `.` or a
 * leading `$` (both are query syntax), and `__proto__` does not survive a plain JavaScript copy. Such names are
 * stored percent-encoded (`%` itself included, so decoding is exact) and decoded on the way out; search paths are
 * encoded the same way, segment by segment.
 */

function encodeKey(key: string): string {
  if (key === '__proto__') return '%5F_proto__';
  return key.replace(/[%.]|^\$/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeKey(key: string): string {
  return key.includes('%') ? key.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : key;
}

function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties, so a `__proto__` member stays a member.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), mapKeys(item, rename)]));
}

export function encodeKeys<T>(value: T): T {
  return mapKeys(value, encodeKey) as T;
}

export function decodeKeys<T>(value: T): T {
  return mapKeys(value, decodeKey) as T;
}

/** A dotted path within a stored identity, with each segment encoded like the member names it reaches. */
export function encodePath(path: string): string {
  return path.split('.').map(encodeKey).join('.');
}
