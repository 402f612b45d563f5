import type { Clock } from '../shared/clock.js';
import type { LoadedDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { Store } from '../storage/store.js';
import { BufferService } from './buffer-service.js';
import { EnrollmentService } from './enrollment-service.js';
import { FinalizedOutbox, type FinalizedOutboxOptions } from './finalized-outbox.js';

export interface EnrollmentServices {
  enrollments: EnrollmentService;
  buffers: BufferService;
  /** `enrollmentFinalized`, durable: the issuance workflow reacts to it; the composition root relays it periodically. */
  finalized: FinalizedOutbox;
}

/**
 * The enrolment services of one app, shared by the Enrollment interface and the issuance workflow (which reads
 * finalised enrolments and records its progress on them). `loaded` is the Enrollment document.
 */
export async function openEnrollmentServices(
  store: Store,
  loaded: LoadedDocument,
  options: Omit<FinalizedOutboxOptions, 'now'> & { clock: Clock },
): Promise<EnrollmentServices> {
  const { document } = loaded;
  const { clock } = options;
  const contentFields = new Set(Object.keys(document.components?.schemas?.Enrollment?.properties ?? {}));
  const finalized = await FinalizedOutbox.open(store, { ...options, now: () => clock().getTime() });
  const enrollments = await EnrollmentService.open(store, createSchemaValidator(document), finalized, contentFields, clock);
  return { enrollments, buffers: new BufferService(enrollments, clock), finalized };
}
