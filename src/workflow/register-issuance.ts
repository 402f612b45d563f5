/**
 * Wires the issuance workflow (`OSIA_WORKFLOW=issuance`) to the app: the services of the enrolment, UIN, PR and CMS
 * interfaces, the ABIS when served, and the durable `enrollmentFinalized` outbox it reacts to.
 */
import type { AbisClient } from '../biometrics/abis-client.js';
import type { CmsServices } from '../cms/cms-services.js';
import { ConfigError } from '../config/config-options.js';
import type { Clock } from '../shared/clock.js';
import { bufferReferences } from '../enrollment/buffer-references.js';
import type { EnrollmentServices } from '../enrollment/enrollment-services.js';
import type { LoadedDocument } from '../openapi/documents.js';
import type { PrServices } from '../pr/pr-services.js';
import type { UinRegistry } from '../uin/uin-registry.js';
import { type EnrollmentSnapshot, IssuanceWorkflow } from './issuance-workflow.js';
import type { Logger } from 'pino';

/** The services of the four interfaces the workflow needs; undefined for an interface not served. */
export interface IssuanceServices {
  enrollment: EnrollmentServices | undefined;
  uin: UinRegistry | undefined;
  pr: PrServices | undefined;
  cms: { services: CmsServices; document: LoadedDocument } | undefined;
}

export interface IssuanceContext {
  /** The ABIS the Biometrics interface serves; undefined when it is not served (no deduplication). */
  biometrics: AbisClient | undefined;
  /** Publishes `duplicatePerson` through the PR's outbox; undefined when the PR publishes no such event. */
  announceDuplicate: ((uin: string, duplicates: string[]) => Promise<void>) | undefined;
  clock: Clock;
  logger: Logger;
}

export function registerIssuanceWorkflow(served: IssuanceServices, context: IssuanceContext): void {
  const { enrollment, uin, pr, cms } = served;
  if (!enrollment || !uin || !pr || !cms) {
    const missing = Object.entries(served).flatMap(([name, services]) => (services ? [] : [name]));
    throw new ConfigError(`OSIA_WORKFLOW=issuance needs ${missing.join(', ')} among OSIA_INTERFACES`);
  }
  const { enrollments } = enrollment;
  const requestData = cms.document.document.components?.schemas?.RequestData?.properties ?? {};
  const workflow = new IssuanceWorkflow({
    enrollments: {
      // A stored enrolment is what the validated requests carried plus the server's fields.
      read: async (enrollmentId) => (await enrollments.read(enrollmentId)) as EnrollmentSnapshot,
      changeIssuance: (enrollmentId, change) => enrollments.changeIssuance(enrollmentId, change),
      bufferAt: async (enrollmentId, imageRef) => {
        const [reference] = bufferReferences({ biometricData: [{ imageRef }] });
        if (reference?.enrollmentId !== enrollmentId) return undefined;
        return (await enrollments.buffer(enrollmentId, reference.bufferId))?.data;
      },
    },
    uins: uin,
    persons: pr.persons,
    identities: pr.identities,
    credentialRequests: cms.services.requests,
    biometrics: context.biometrics,
    announceDuplicate: context.announceDuplicate,
    requestDataFields: new Set(Object.keys(requestData)),
    clock: context.clock,
    log: context.logger.child({ workflow: 'issuance' }),
  });
  enrollment.finalized.react(async ({ enrollmentId, transactionId }) => {
    await workflow.run(enrollmentId, transactionId);
  });
}
