/**
 * The `attributes` filter of readEnrollment: each name is a top-level Enrollment property (`biographicData`) or a
 * dotted path to a member within one (`biographicData.lastName`); the answer keeps the selected members with their
 * nesting, plus the properties the schema always requires. Names that select nothing are simply absent.
 */
type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function selectAttributes(source: Json, names: readonly string[], always: readonly string[]): Json {
  const selected: Json = {};
  for (const key of always) if (key in source) selected[key] = source[key];
  for (const name of names) {
    const path = name.split('.');
    let value: unknown = source;
    for (const segment of path) value = isObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
    if (value === undefined) continue;
    let into = selected;
    for (const segment of path.slice(0, -1)) {
      if (!isObject(into[segment])) into[segment] = {};
      into = into[segment] as Json;
    }
    into[path[path.length - 1] as string] = value;
  }
  return selected;
}
