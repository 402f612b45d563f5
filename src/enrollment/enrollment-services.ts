import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { LoadedDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { Storage } from '../storage/document-store.port.js';
import { BufferService } from './buffer-service.js';
import { EnrollmentService } from './enrollment-service.js';

export interface EnrollmentServices {
  enrollments: EnrollmentService;
  buffers: BufferService;
}

/**
 * The enrolment services of one app, shared by the Enrollment interface and the issuance workflow (which reads
 * finalised enrolments and records its progress on them). `loaded` is the Enrollment document.
 */
export async function openEnrollmentServices(
  storage: Storage,
  loaded: LoadedDocument,
  events: EventBus,
  clock: Clock,
): Promise<EnrollmentServices> {
  const { document } = loaded;
  const contentFields = new Set(Object.keys(document.components?.schemas?.Enrollment?.properties ?? {}));
  const enrollments = await EnrollmentService.open(storage, createSchemaValidator(document), events, contentFields, clock);
  return { enrollments, buffers: new BufferService(storage.blobs, enrollments, clock) };
}
