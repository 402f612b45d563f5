/**
 * Finds the person an identifier designates, and their reference identity. `identifierType`: `uin` (default),
 * `credentialNumber` (through the CMS records) or `token` (a sector token issued to the caller's sector).
 */
import type { CredentialDirectory, CredentialSummary } from '../credentials/credential-directory.port.js';
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { PersonView, PopulationRegistry } from '../registry/population-registry.js';
import { representative } from './credential-validity.js';
import type { SectorTokens } from '../identity/sector-tokens.js';

export const IDENTIFIER_TYPES = ['uin', 'credentialNumber', 'token'] as const;

export interface ResolvedPerson {
  uin: string;
  person: PersonView;
  identity: Record<string, unknown>;
  /** The credential named by a `credentialNumber` identifier. */
  credential?: CredentialSummary;
}

export class PersonResolver {
  constructor(
    private readonly registry: PopulationRegistry,
    private readonly credentials: CredentialDirectory,
    private readonly tokens: SectorTokens,
    private readonly clock: () => Date,
  ) {}

  async resolve(identifier: string, identifierType = 'uin', sector: string | undefined): Promise<ResolvedPerson> {
    const { uin, credential } = await this.#uinOf(identifier, identifierType, sector);
    const found = uin === undefined ? undefined : await this.registry.readReference(uin);
    if (!uin || !found) throw new NotFoundError(`No person with this ${identifierType}`);
    if (!found.identity) throw new NotFoundError('The person has no reference identity');
    return { uin, person: found.person, identity: found.identity, ...(credential ? { credential } : {}) };
  }

  async #uinOf(identifier: string, identifierType: string, sector: string | undefined) {
    switch (identifierType) {
      case 'uin':
        return { uin: identifier };
      case 'token':
        if (!sector) throw new InvalidError('identifierType=token needs a sector, and this client has none (see OSIA_SECTORS)');
        return { uin: await this.tokens.resolve(sector, identifier) };
      case 'credentialNumber': {
        // A replaced card may share its number with its successor: the one in force speaks for it.
        const credential = representative(await this.credentials.findByNumber(identifier), this.clock());
        return { uin: credential?.personId, credential };
      }
      default:
        throw new InvalidError(`identifierType must be one of ${IDENTIFIER_TYPES.join(', ')}, got "${identifierType}"`);
    }
  }
}
