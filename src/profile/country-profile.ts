/** A checked country profile, and which of its schemas replace which components of a given document. */
import type { LoadedDocument, SchemaObject } from '../openapi/documents.js';
import { freeFormComponents } from './free-form-components.js';

export interface CountryProfile {
  /** The file as named in the configuration. */
  file: string;
  /** Top-level schemas: they replace the component of that name in every document where it is free-form. */
  shared: Record<string, SchemaObject>;
  /** Document sections (`abis: { BiographicData: … }`): schemas for that document only, winning over `shared`. */
  byDocument: Record<string, Record<string, SchemaObject>>;
}

/** The replacement schemas for one document (checked against the document as published, before any profile). */
export function componentsFor(profile: CountryProfile, loaded: LoadedDocument): Record<string, SchemaObject> {
  const freeForm = freeFormComponents(loaded.document);
  const shared = Object.entries(profile.shared).filter(([name]) => freeForm.includes(name));
  return { ...Object.fromEntries(shared), ...profile.byDocument[loaded.name] };
}
