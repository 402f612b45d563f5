import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { LoadedDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { Store } from '../storage/store.js';
import { BufferService } from './buffer-service.js';
import { EnrollmentService } from './enrollment-service.js';
import { FinalizedOutbox } from './finalized-outbox.js';

export interface EnrollmentServices {
  enrollments: EnrollmentService;
  buffers: BufferService;
  /** `enrollmentFinalized`, durable: the issuance workflow reacts to it; the composition root relays it periodically. */
  finalized: FinalizedOutbox;
}

export interface EnrollmentOptions {
  clock: Clock;
  logger: Logger;
  /** How long a claimed `enrollmentFinalized` is held: longer than the reaction runs. */
  leaseMs: number;
  /** False when this process leaves `enrollmentFinalized` to others (OSIA_OUTBOX_INTERVAL=0). */
  relays: boolean;
}

/** A failed reaction to `enrollmentFinalized` is tried again after this long. */
const RETRY_MS = 60_000;

/**
 * The enrolment services of one app, shared by the Enrollment interface and the issuance workflow (which reads
 * finalised enrolments and records its progress on them). `loaded` is the Enrollment document.
 */
export async function openEnrollmentServices(store: Store, loaded: LoadedDocument, options: EnrollmentOptions): Promise<EnrollmentServices> {
  const { document } = loaded;
  const { clock, logger, leaseMs, relays } = options;
  const contentFields = new Set(Object.keys(document.components?.schemas?.Enrollment?.properties ?? {}));
  const now = () => clock().getTime();
  const finalized = await FinalizedOutbox.open(store, { now, leaseMs, retryMs: RETRY_MS, relays, logger });
  const enrollments = await EnrollmentService.open(store, createSchemaValidator(document), finalized, contentFields, clock);
  return { enrollments, buffers: new BufferService(enrollments, clock), finalized };
}
