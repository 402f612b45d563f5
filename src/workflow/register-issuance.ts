/**
 * Wires the issuance workflow (`OSIA_WORKFLOW=issuance`) to the app: the shared services of the enrolment, UIN, PR
 * and CMS interfaces, and the `enrollmentFinalized` event.
 */
import { sharedCmsServices } from '../cms/cms-services.js';
import { ConfigError } from '../config/config-options.js';
import { sharedEnrollments } from '../enrollment/shared-enrollments.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { DocumentName } from '../openapi/interfaces.js';
import { sharedPrServices } from '../pr/pr-services.js';
import { sharedUinRegistry } from '../uin/shared-uin-registry.js';
import { IssuanceWorkflow } from './issuance-workflow.js';

const NEEDED = ['enrollment', 'uin', 'pr', 'cms'] as const;

export async function registerIssuanceWorkflow(depsOf: ReadonlyMap<DocumentName, InterfaceDependencies>): Promise<void> {
  const missing = NEEDED.filter((name) => !depsOf.has(name));
  if (missing.length > 0) {
    throw new ConfigError(`OSIA_WORKFLOW=issuance needs ${missing.join(', ')} among OSIA_INTERFACES`);
  }
  const of = (name: (typeof NEEDED)[number]) => depsOf.get(name) as InterfaceDependencies;
  const [enrollment, uin, pr, cms] = [of('enrollment'), of('uin'), of('pr'), of('cms')];
  const { enrollments } = await sharedEnrollments(enrollment);
  const { persons, identities } = await sharedPrServices(pr);
  const { requests } = await sharedCmsServices(cms);
  const requestData = cms.document.document.components?.schemas?.RequestData?.properties ?? {};
  const workflow = new IssuanceWorkflow({
    enrollments: {
      read: async (enrollmentId) => (await enrollments.read(enrollmentId)) as never,
      changeIssuance: (enrollmentId, change) => enrollments.changeIssuance(enrollmentId, change),
    },
    uins: await sharedUinRegistry(uin),
    persons,
    identities,
    credentialRequests: requests,
    requestDataFields: new Set(Object.keys(requestData)),
    clock: enrollment.clock,
    log: enrollment.logger.child({ workflow: 'issuance' }),
  });
  enrollment.events.on('enrollmentFinalized', async ({ enrollmentId, transactionId }) => {
    await workflow.run(enrollmentId, transactionId);
  });
}
