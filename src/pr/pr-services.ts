import type { LoadedDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { ProfileSettings } from '../profile/profile-settings.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { GalleryService } from './gallery-service.js';
import { IdentityService } from './identity-service.js';
import { IdentityStatusRules } from './identity-status.js';
import { PersonService } from './person-service.js';

export interface PrServices {
  registry: PopulationRegistry;
  persons: PersonService;
  identities: IdentityService;
  galleries: GalleryService;
}

/**
 * The PR domain services of one app, shared by the PR interface and the issuance workflow so that both apply the
 * same rules on the same registry. `loaded` is the PR document (after the country profile).
 */
export function openPrServices(registry: PopulationRegistry, loaded: LoadedDocument, settings: ProfileSettings): PrServices {
  const { document } = loaded;
  const identityFields = new Set(Object.keys(document.components?.schemas?.Identity?.properties ?? {}));
  const persons = new PersonService(registry, identityFields);
  const statusRules = new IdentityStatusRules(settings.identityStatusTransitions);
  const identities = new IdentityService(registry, createSchemaValidator(document), statusRules);
  return { registry, persons, identities, galleries: new GalleryService(registry) };
}
