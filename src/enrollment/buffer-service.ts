/**
 * Buffers: raw files (images, PDFs …) uploaded for an enrolment before or instead of embedding them. The store keeps
 * the bytes as a blob; a record keeps the owner, the media type and the SHA-256 answered as `Digest` on reads.
 */
import { randomUUID } from 'node:crypto';
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { checkDigest, sha256Base64 } from './digest-header.js';
import { checkInProgress, type EnrollmentService } from './enrollment-service.js';
import type { Clock } from '../shared/clock.js';

export interface StoredBuffer {
  contentType: string;
  data: Buffer;
  sha256: string;
}

export class BufferService {
  constructor(
    private readonly enrollments: EnrollmentService,
    private readonly clock: Clock,
  ) {}

  async create(enrollmentId: string, data: unknown, contentType: string | undefined, digest: string | undefined) {
    if (!Buffer.isBuffer(data) || data.length === 0 || !contentType) {
      throw new InvalidError('createBuffer takes the raw bytes as the body, with their image/* or application/* Content-Type');
    }
    // Checked before the bytes are stored, then again at the enrolment's version when the buffer is filed.
    checkInProgress(enrollmentId, await this.enrollments.status(enrollmentId), 'createBuffer');
    checkDigest(digest, data);
    const bufferId = randomUUID();
    const createdDate = this.clock().toISOString();
    await this.enrollments.attachBuffer({ _id: bufferId, enrollmentId, data, contentType, size: data.length, sha256: sha256Base64(data), createdDate });
    return bufferId;
  }

  /** The bytes exactly as uploaded; 404 for a buffer of another enrolment too. */
  async read(enrollmentId: string, bufferId: string): Promise<StoredBuffer> {
    const record = await this.enrollments.buffer(enrollmentId, bufferId);
    if (!record) throw new NotFoundError(`Enrollment ${enrollmentId} has no buffer ${bufferId}`);
    return { contentType: record.contentType, data: record.data, sha256: record.sha256 };
  }
}
