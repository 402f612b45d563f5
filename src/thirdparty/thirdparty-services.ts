/**
 * What the Third Party handlers work with: the population registry and the CMS credential records (read only),
 * the ABIS when served, sector tokens, the proof signer, the attribute sets and the background identify tasks.
 */
import type { Logger } from 'pino';
import type { AbisClient } from '../biometrics/abis-client.js';
import type { Config } from '../config/config-options.js';
import type { Clock } from '../shared/clock.js';
import type { CredentialDirectory } from '../credentials/credential-directory.port.js';
import type { Principal } from '../auth/principal.js';
import type { LoadedDocument } from '../openapi/documents.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import type { Store } from '../storage/store.js';
import { buildAttributeSet, type OutputSchemaFields, type OutputSpec } from './attribute-output.js';
import { type AttributeSets, loadAttributeSets } from './attribute-sets.js';
import { searchPersons } from './identify-query.js';
import { IdentifyTasks } from './identify-tasks.js';
import { PersonResolver } from './person-resolver.js';
import type { ProofSigner } from './proof-signer.js';
import { loadSectorMap, SectorTokens } from '../identity/sector-tokens.js';

/** Who calls, as far as Third Party Services cares. */
export interface Caller {
  clientId?: string;
  sector?: string;
  /** The token's scopes; undefined when authentication is off. */
  scopes?: ReadonlySet<string>;
}

export interface ThirdPartyServices {
  registry: PopulationRegistry;
  credentials: CredentialDirectory;
  /** The ABIS (the national gallery: personId = UIN) for biometric verify and identify; undefined when not served. */
  biometrics: AbisClient | undefined;
  resolver: PersonResolver;
  signer: ProofSigner;
  sets: AttributeSets;
  tasks: IdentifyTasks;
  identifySyncLimit: number;
  /** Third Party's time source (credential validity, identify task expiry): the app's clock. */
  readonly clock: Clock;
  /** The caller of a request: its verified principal (undefined when authentication is off). */
  callerOf(principal: Principal | undefined): Caller;
  /** The answered AttributeSet about one person; `identifier` attributes give the caller's sector token, else the UIN. */
  attributesOf(spec: OutputSpec, uin: string, identity: Record<string, unknown>, caller: Caller): ReturnType<typeof buildAttributeSet>;
}

export interface ThirdPartyParts {
  registry: PopulationRegistry;
  credentials: CredentialDirectory;
  biometrics: AbisClient | undefined;
  signer: ProofSigner;
  /** The Third Party document (after the country profile). */
  document: LoadedDocument;
  store: Store;
  config: Config;
  readonly clock: Clock;
  logger: Logger;
}

function propertyNames(document: LoadedDocument, schema: string): string[] {
  return Object.keys((document.document.components?.schemas?.[schema]?.properties as object | undefined) ?? {});
}

export async function openThirdPartyServices(parts: ThirdPartyParts): Promise<ThirdPartyServices> {
  const { registry, credentials, signer, document, store, config, clock } = parts;
  const tokens = await SectorTokens.open(store, {
    dataDir: config.dataDir,
    tokenSecret: config.tokenSecret,
    sectors: await loadSectorMap(config.sectors),
  });
  const fields: OutputSchemaFields = { biometric: propertyNames(document, 'BiometricData'), credential: propertyNames(document, 'CredentialData') };
  return {
    registry,
    credentials,
    biometrics: parts.biometrics,
    resolver: new PersonResolver(registry, credentials, tokens, clock),
    signer,
    sets: await loadAttributeSets(config.attributeSets),
    tasks: await IdentifyTasks.open(store, {
      search: (query) => searchPersons(registry, query),
      ttlSeconds: config.identifyTaskTtl,
      clock,
      logger: parts.logger,
    }),
    identifySyncLimit: config.identifySyncLimit,
    clock,
    callerOf: (principal) => {
      const clientId = principal?.client;
      const sector = tokens.sectorOf(clientId);
      return { ...(clientId ? { clientId } : {}), ...(sector ? { sector } : {}), ...(principal ? { scopes: principal.scopes } : {}) };
    },
    attributesOf: (spec, uin, identity, caller) =>
      buildAttributeSet(
        spec,
        {
          identity,
          identifier: async () => (caller.sector ? tokens.issue(caller.sector, uin) : uin),
          credentials: () => credentials.listForPerson(uin),
        },
        fields,
      ),
  };
}
