/**
 * The CMS domain services of one app, shared by the CMS interface and the issuance workflow (which creates credential
 * requests in-process with the same rules as createCredentialRequest).
 */
import type { Logger } from 'pino';
import type { Clock } from '../credentials/credential-dates.js';
import { type Credentials, type CredentialsDependencies, sharedCredentials } from '../credentials/shared-credentials.js';
import { PeriodicJob } from '../http/background-jobs.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { LoadedDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import { loadServedDocuments } from '../profile/served-documents.js';
import { CredentialRequestService } from './credential-request-service.js';
import { CredentialService } from './credential-service.js';
import { ProfileService } from './profile-service.js';

export interface CmsServices {
  requests: CredentialRequestService;
  credentials: CredentialService;
  profiles: ProfileService;
}

export interface CmsServiceParts {
  credentials: Credentials;
  /** The CMS document (after the country profile), for in-process validation. */
  document: LoadedDocument;
  clock: Clock;
  timeoutSeconds: number;
  logger: Logger;
}

/** Builds the services from their parts (tests use it with their own clock or producers). */
export function openCmsServices(parts: CmsServiceParts): CmsServices {
  const { credentials, document, clock, timeoutSeconds, logger } = parts;
  const validator = createSchemaValidator(document.document);
  return {
    requests: new CredentialRequestService({ credentials, validator, clock, timeoutSeconds, logger }),
    credentials: new CredentialService(credentials, clock),
    profiles: new ProfileService(credentials.catalogue),
  };
}

export type CmsDependencies = CredentialsDependencies & Pick<InterfaceDependencies, 'document' | 'jobs'>;

/**
 * The app's CMS services; the first caller registers the periodic sweep of PENDING requests (bureau progress,
 * timeout; tests call `runPending()` directly). `deps.document` is used
 * when it is the CMS document; other callers (the workflow) get the served CMS document loaded afresh.
 */
export function sharedCmsServices(deps: CmsDependencies): Promise<CmsServices> {
  return deps.shared.get('cms-services', async () => {
    const { config, logger } = deps;
    const credentials = await sharedCredentials(deps);
    const [document] = deps.document.name === 'cms' ? [deps.document] : await loadServedDocuments(['cms'], config.profile);
    const services = openCmsServices({
      credentials,
      document: document as LoadedDocument,
      clock: credentials.clock,
      timeoutSeconds: config.credentialTimeout,
      logger,
    });
    if (config.credentialPollInterval > 0) {
      const sweep = () => services.requests.runPending();
      deps.jobs.add(new PeriodicJob('credential request sweep', config.credentialPollInterval * 1000, sweep, logger));
    }
    return services;
  });
}

/** The credential request service, for the issuance workflow: `create(credentialRequestId, request, transactionId)`. */
export async function sharedCredentialRequestService(deps: CmsDependencies): Promise<CredentialRequestService> {
  return (await sharedCmsServices(deps)).requests;
}
