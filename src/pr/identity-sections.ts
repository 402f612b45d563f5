/**
 * Reads of an identity always carry its four sections, empty when it has none: clients in the field index
 * `biographicData`, `contextualData`, `biometricData` and `documentData` without checking. Missing sections are
 * added before the server's dates, which stay last; optional fields inside the sections stay absent.
 */
type Identity = Record<string, unknown>;

const SECTIONS: Readonly<Record<string, () => unknown>> = {
  biographicData: () => ({}),
  contextualData: () => ({}),
  biometricData: () => [],
  documentData: () => [],
};

export function withSections(identity: Identity): Identity {
  const missing = Object.keys(SECTIONS).filter((name) => identity[name] === undefined);
  if (missing.length === 0) return identity;
  const { createdDate, updatedDate, ...content } = identity;
  const added = Object.fromEntries(missing.map((name) => [name, SECTIONS[name]?.()]));
  return {
    ...content,
    ...added,
    ...(createdDate === undefined ? {} : { createdDate }),
    ...(updatedDate === undefined ? {} : { updatedDate }),
  };
}
