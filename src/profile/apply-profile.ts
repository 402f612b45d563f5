/**
 * Rewrites one document with the profile's schemas. The YAML is edited in place, so the served text keeps the
 * published layout and comments, gains a leading comment naming the profile, and the parsed document is read back
 * from that same text: what Swagger UI shows is exactly what requests are validated against.
 */
import path from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import type { LoadedDocument, OpenApiDocument } from '../openapi/documents.js';
import { type CountryProfile, componentsFor } from './country-profile.js';

// The style our openapi/*.yaml files are written in: unchanged parts of a document are served byte for byte.
const STYLE = { indentSeq: false, lineWidth: 0 };

export function applyProfile(loaded: LoadedDocument, profile: CountryProfile): LoadedDocument {
  const components = componentsFor(profile, loaded);
  const names = Object.keys(components);
  if (names.length === 0) return loaded;
  const yaml = parseDocument(loaded.yaml);
  for (const [name, schema] of Object.entries(components)) {
    yaml.setIn(['components', 'schemas', name], yaml.createNode(structuredClone(schema), { aliasDuplicateObjects: false }));
  }
  // The base name only: the served document must not reveal the server's file layout.
  const note = `Country profile ${path.basename(profile.file)} (OSIA_PROFILE) applied to: ${names.join(', ')}.`;
  yaml.commentBefore = [` ${note}`, yaml.commentBefore].filter(Boolean).join('\n');
  const description = yaml.getIn(['info', 'description'], true);
  if (isScalar(description)) description.value = `${String(description.value).trimEnd()}\n\n${note}\n`;
  const text = yaml.toString(STYLE);
  return { name: loaded.name, document: parseDocument(text).toJS() as OpenApiDocument, yaml: text };
}
