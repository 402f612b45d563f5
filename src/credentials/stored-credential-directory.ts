/** The CredentialDirectory of Third Party Services, read from the CMS records; credentialType comes from the profile. */
import type { CredentialDirectory, CredentialSummary } from './credential-directory.port.js';
import { CREDENTIAL_FIELDS, type CredentialData, osiaView, type StoredCredential } from './credential-records.js';
import type { IssuedCredentials } from './credential-store.js';
import type { ProfileCatalogue } from './profile-catalogue.js';

export class StoredCredentialDirectory implements CredentialDirectory {
  constructor(
    private readonly issued: IssuedCredentials,
    private readonly catalogue: ProfileCatalogue,
  ) {}

  async findByNumber(credentialNumber: string): Promise<CredentialSummary[]> {
    return (await this.issued.find({ credentialNumber })).map((record) => this.#summary(record));
  }

  async listForPerson(personId: string): Promise<CredentialSummary[]> {
    return (await this.issued.find({ personId })).map((record) => this.#summary(record));
  }

  #summary(record: StoredCredential): CredentialSummary {
    const { credentialNumber, numberOfPages: _n, credentialProfileVersion: _v, credentialProfileSubtype: _s, ...rest } =
      osiaView<CredentialData>(record, CREDENTIAL_FIELDS);
    const credentialType = this.catalogue.get(record.credentialProfileId)?.credentialType;
    return { ...rest, ...(credentialNumber ? { credentialNumber } : {}), ...(credentialType ? { credentialType } : {}) };
  }
}
