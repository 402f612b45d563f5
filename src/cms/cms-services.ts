/**
 * The CMS domain services of one app, shared by the CMS interface and the issuance workflow (which creates credential
 * requests in-process with the same rules as createCredentialRequest).
 */
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { Credentials } from '../credentials/open-credentials.js';
import type { LoadedDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
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

/** Builds the services from their parts (the composition root; tests with their own clock or producers). */
export function openCmsServices(parts: CmsServiceParts): CmsServices {
  const { credentials, document, clock, timeoutSeconds, logger } = parts;
  const validator = createSchemaValidator(document.document);
  return {
    requests: new CredentialRequestService({ credentials, validator, clock, timeoutSeconds, logger }),
    credentials: new CredentialService(credentials, clock),
    profiles: new ProfileService(credentials.catalogue),
  };
}
