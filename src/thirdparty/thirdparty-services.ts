/**
 * What the Third Party handlers work with, opened once per app: the population registry and the CMS credential
 * records (read only), sector tokens, the proof signer, the attribute sets and the background identify tasks.
 */
import { sharedCredentialDirectory } from '../credentials/shared-credentials.js';
import type { CredentialDirectory } from '../credentials/credential-directory.port.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { CallContext } from '../http/operation-types.js';
import type { SharedInstances } from '../http/shared-instances.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { sharedRegistry } from '../registry/shared-registry.js';
import { buildAttributeSet, type OutputSchemaFields, type OutputSpec } from './attribute-output.js';
import { type AttributeSets, loadAttributeSets } from './attribute-sets.js';
import { searchPersons } from './identify-query.js';
import { IDENTIFY_TASKS, IdentifyTasks } from './identify-tasks.js';
import { PersonResolver } from './person-resolver.js';
import { type ProofSigner, sharedProofSigner } from './proof-signer.js';
import { loadSectorMap, SectorTokens } from './sector-tokens.js';

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
  resolver: PersonResolver;
  signer: ProofSigner;
  sets: AttributeSets;
  tasks: IdentifyTasks;
  identifySyncLimit: number;
  /** Third Party's time source (credential validity, identify task expiry); tests move it instead of waiting. */
  clock: () => Date;
  callerOf(context: CallContext): Caller;
  /** The answered AttributeSet about one person; `identifier` attributes give the caller's sector token, else the UIN. */
  attributesOf(spec: OutputSpec, uin: string, identity: Record<string, unknown>, caller: Caller): ReturnType<typeof buildAttributeSet>;
}

function propertyNames(deps: InterfaceDependencies, schema: string): string[] {
  return Object.keys((deps.document.document.components?.schemas?.[schema]?.properties as object | undefined) ?? {});
}

const THIRDPARTY_SERVICES = 'thirdparty-services';

/** The services of an app, once its Third Party interface opened them (tests move their clock). */
export function thirdPartyServicesOf(shared: SharedInstances): Promise<ThirdPartyServices> | undefined {
  return shared.opened<ThirdPartyServices>(THIRDPARTY_SERVICES);
}

export function sharedThirdPartyServices(deps: InterfaceDependencies): Promise<ThirdPartyServices> {
  return deps.shared.get(THIRDPARTY_SERVICES, () => openThirdPartyServices(deps));
}

async function openThirdPartyServices(deps: InterfaceDependencies): Promise<ThirdPartyServices> {
  const { config, storage } = deps;
  const registry = await sharedRegistry(deps);
  const credentials = await sharedCredentialDirectory(deps);
  const tokens = await SectorTokens.open(storage, {
    dataDir: config.dataDir,
    tokenSecret: config.tokenSecret,
    sectors: await loadSectorMap(config.sectors),
  });
  const fields: OutputSchemaFields = { biometric: propertyNames(deps, 'BiometricData'), credential: propertyNames(deps, 'CredentialData') };
  // Every part reads the time through `services.clock`, so that moving it moves it for all of them.
  const now = () => services.clock();
  const services: ThirdPartyServices = {
    registry,
    credentials,
    resolver: new PersonResolver(registry, credentials, tokens, now),
    signer: await sharedProofSigner(deps),
    sets: await loadAttributeSets(config.attributeSets),
    tasks: await deps.shared.get(IDENTIFY_TASKS, () =>
      IdentifyTasks.open(storage, {
        search: (query) => searchPersons(registry, query),
        ttlSeconds: config.identifyTaskTtl,
        clock: now,
        logger: deps.logger,
      }),
    ),
    identifySyncLimit: config.identifySyncLimit,
    clock: () => new Date(),
    callerOf: ({ principal }) => {
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
  return services;
}
