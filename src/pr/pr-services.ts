import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import { sharedRegistry } from '../registry/shared-registry.js';
import { GalleryService } from './gallery-service.js';
import { IdentityService } from './identity-service.js';
import { IdentityStatusRules } from './identity-status.js';
import { PersonService } from './person-service.js';

/**
 * The PR domain services of one app, shared by the PR interface and the issuance workflow so that both apply the
 * same rules under the same registry lock. `deps.document` is the PR document (after the country profile).
 */
export function sharedPrServices(deps: Pick<InterfaceDependencies, 'shared' | 'storage' | 'config' | 'document' | 'settings'>) {
  return deps.shared.get('pr-services', async () => {
    const registry = await sharedRegistry(deps);
    const { document } = deps.document;
    const identityFields = new Set(Object.keys(document.components?.schemas?.Identity?.properties ?? {}));
    const persons = new PersonService(registry, identityFields);
    const statusRules = new IdentityStatusRules(deps.settings.identityStatusTransitions);
    const identities = new IdentityService(registry, persons, createSchemaValidator(document), statusRules);
    return { registry, persons, identities, galleries: new GalleryService(registry) };
  });
}
