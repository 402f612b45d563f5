import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import { BufferService } from './buffer-service.js';
import { EnrollmentService } from './enrollment-service.js';

/**
 * The enrolment services of one app, shared by the Enrollment interface and the issuance workflow (which reads
 * finalised enrolments and records its progress on them). `deps.document` is the Enrollment document.
 */
export function sharedEnrollments(deps: Pick<InterfaceDependencies, 'shared' | 'storage' | 'document' | 'events'>) {
  return deps.shared.get('enrollments', async () => {
    const { document } = deps.document;
    const contentFields = new Set(Object.keys(document.components?.schemas?.Enrollment?.properties ?? {}));
    const enrollments = await EnrollmentService.open(deps.storage, createSchemaValidator(document), deps.events, contentFields);
    return { enrollments, buffers: new BufferService(deps.storage.blobs, enrollments) };
  });
}
