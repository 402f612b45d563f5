/**
 * The `attributes` filter of reads (Enrollment, CMS): each name is a top-level property (`biographicData`) or a
 * dotted path to a member within one (`biographicData.lastName`); the answer keeps the selected members with their
 * nesting, plus the properties the schema always requires, in the order of the source. Names that select nothing
 * are simply absent.
 */
type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `source` limited to `names` plus `always`; unchanged when no names are given (`undefined`). */
export function selectAttributes<T extends object>(source: T, names: readonly string[] | undefined, always: readonly string[]): T {
  if (names === undefined) return source;
  const from: Json = Object.fromEntries(Object.entries(source));
  const selected: Json = {};
  for (const key of always) if (key in from) selected[key] = from[key];
  for (const name of names) {
    const path = name.split('.');
    let value: unknown = from;
    for (const segment of path) value = isObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
    if (value === undefined) continue;
    let into = selected;
    for (const segment of path.slice(0, -1)) {
      if (!isObject(into[segment])) into[segment] = {};
      into = into[segment] as Json;
    }
    into[path[path.length - 1] as string] = value;
  }
  // The selection is a part of `source`: its members keep their types.
  return Object.fromEntries(Object.keys(from).flatMap((key) => (key in selected ? [[key, selected[key]]] : []))) as T;
}
