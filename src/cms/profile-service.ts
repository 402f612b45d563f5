/** findCredentialProfiles: the catalogue's OSIA view, filtered by Expressions; no match is 200 with `[]`. */
import type { CredentialProfile } from '../credentials/credential-producer.port.js';
import { osiaProfile, type ProfileCatalogue } from '../credentials/profile-catalogue.js';
import { selectAttributes } from '../shared/select-attributes.js';
import { checkAttributes } from './attribute-selection.js';
import { type Expression, matchesAll } from './expressions.js';

export const PROFILE_FIELDS = [
  'credentialProfileId',
  'name',
  'description',
  'credentialType',
  'defaultLifetime',
  'credentialProfileVersion',
  'credentialProfileSubtype',
  'numberOfPages',
] as const satisfies readonly (keyof CredentialProfile)[];

const SEARCHABLE = new Set<string>(PROFILE_FIELDS);

export class ProfileService {
  constructor(private readonly catalogue: ProfileCatalogue) {}

  find(expressions: readonly Expression[], attributes?: readonly string[]): CredentialProfile[] {
    checkAttributes(attributes, PROFILE_FIELDS);
    return this.catalogue.profiles
      .map(osiaProfile)
      .filter((profile) => matchesAll(profile, expressions, SEARCHABLE))
      .map((profile) => selectAttributes(profile, attributes, []));
  }
}
