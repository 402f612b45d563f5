/**
 * identify's search: the request's AttributeSet as equality criteria on reference identities (biographic members,
 * nested objects by dotted path; contact members under CONTACT_PATH), credential numbers resolved to their
 * holders through the CMS records (credentials in force only), and biometrics resolved to the persons the ABIS
 * finds in the national gallery. Values compare exactly (the store's equality).
 */
import type { components } from '../../generated/thirdparty.js';
import type { CredentialDirectory } from '../credentials/credential-directory.port.js';
import { InvalidError } from '../shared/domain-errors.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import type { Criterion } from '../registry/search-filter.js';
import { CONTACT_PATH, valueAt } from './attribute-output.js';
import { credentialState } from './credential-validity.js';
import type { IdentifyQuery } from './identify-tasks.js';

type AttributeSet = components['schemas']['AttributeSet'];

function equalities(values: Record<string, unknown>, root: string): Criterion[] {
  return Object.entries(values).flatMap(([name, value]): Criterion[] => {
    const path = `${root}.${name}`;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [{ path, operator: '=', value }];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return equalities(value as Record<string, unknown>, path);
    throw new InvalidError(`identify cannot search on ${path}: only text, numbers, booleans and objects of them`);
  });
}

/** The persons (UINs) the ABIS finds for a probe, best first (none is given when the server has no ABIS). */
export type BiometricSearch = (biometricData: Record<string, unknown>[]) => Promise<string[]>;

export async function identifyQuery(
  attributeSet: AttributeSet,
  credentials: CredentialDirectory,
  now: Date,
  biometricSearch: BiometricSearch | undefined,
): Promise<IdentifyQuery> {
  if (attributeSet.encryption) throw new InvalidError('Encrypted attribute sets are not supported by identify');
  let biometricCandidates: string[] | undefined;
  if (attributeSet.biometricData?.length) {
    if (!biometricSearch) throw new InvalidError('Biometric identification is not supported: this server has no ABIS');
    // Searched now, once: the task keeps the persons found, never the images.
    biometricCandidates = await biometricSearch(attributeSet.biometricData);
  }
  const criteria = [
    ...equalities(attributeSet.biographicData ?? {}, 'biographicData'),
    ...equalities(attributeSet.contactData ?? {}, CONTACT_PATH),
  ];
  let credentialHolders: string[] | undefined;
  for (const item of attributeSet.credentialData ?? []) {
    if (!item.credentialNumber) throw new InvalidError('identify looks credentials up by credentialNumber: each credentialData item needs one');
    const holders = (await credentials.findByNumber(item.credentialNumber))
      .filter((credential) => credentialState(credential, now) === 'IN_FORCE')
      .map((credential) => credential.personId);
    credentialHolders = credentialHolders ? credentialHolders.filter((id) => holders.includes(id)) : [...new Set(holders)];
  }
  if (criteria.length === 0 && credentialHolders === undefined && biometricCandidates === undefined) {
    throw new InvalidError('identify needs at least one attribute to search with');
  }
  return { criteria, ...(credentialHolders ? { credentialHolders } : {}), ...(biometricCandidates ? { biometricCandidates } : {}) };
}

/** The persons the credentials and the biometrics allow (in the ABIS's ranking when it searched); undefined: any. */
function candidatesOf({ credentialHolders, biometricCandidates }: IdentifyQuery): string[] | undefined {
  if (!biometricCandidates || !credentialHolders) return biometricCandidates ?? credentialHolders;
  return biometricCandidates.filter((personId) => credentialHolders.includes(personId));
}

/**
 * Persons whose reference identity matches, in order of creation of that identity (in the ABIS's ranking, or the
 * credential holders' order, when the request names biometrics or credentials); at most `limit` when given.
 */
export async function searchPersons(registry: PopulationRegistry, query: IdentifyQuery, limit?: number): Promise<string[]> {
  const { criteria } = query;
  const candidates = candidatesOf(query);
  if (candidates === undefined) return registry.findPersonIds(criteria, { referenceOnly: true, limit });
  const found: string[] = [];
  for (const personId of candidates) {
    if (limit !== undefined && found.length >= limit) break;
    const identity = (await registry.readReference(personId))?.identity;
    if (identity && criteria.every(({ path, value }) => valueAt(identity, path) === value)) found.push(personId);
  }
  return found;
}
