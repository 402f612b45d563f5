/**
 * Buffers: raw files (images, PDFs …) uploaded for an enrolment before or instead of embedding them. The bytes go to
 * the blob store; a record keeps the owner, the media type and the SHA-256 answered as `Digest` on reads.
 */
import { randomUUID } from 'node:crypto';
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { Blob, BlobStore } from '../storage/document-store.port.js';
import { checkDigest, sha256Base64 } from './digest-header.js';
import { checkInProgress, type EnrollmentService } from './enrollment-service.js';
import type { Clock } from '../shared/clock.js';

export interface StoredBuffer extends Blob {
  sha256: string;
}

export class BufferService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly enrollments: EnrollmentService,
    private readonly clock: Clock,
  ) {}

  async create(enrollmentId: string, data: unknown, contentType: string | undefined, digest: string | undefined) {
    if (!Buffer.isBuffer(data) || data.length === 0 || !contentType) {
      throw new InvalidError('createBuffer takes the raw bytes as the body, with their image/* or application/* Content-Type');
    }
    // Checked before the bytes are stored, then again under the enrolment's lock when the buffer is filed.
    checkInProgress(enrollmentId, await this.enrollments.existing(enrollmentId), 'createBuffer');
    checkDigest(digest, data);
    const blobId = await this.blobs.put({ contentType, data });
    const bufferId = randomUUID();
    const record = { _id: bufferId, enrollmentId, blobId, contentType, size: data.length, sha256: sha256Base64(data) };
    try {
      await this.enrollments.attachBuffer({ ...record, createdDate: this.clock().toISOString() });
    } catch (err) {
      await this.blobs.delete(blobId);
      throw err;
    }
    return bufferId;
  }

  /** The bytes exactly as uploaded; 404 for a buffer of another enrolment too. */
  async read(enrollmentId: string, bufferId: string): Promise<StoredBuffer> {
    const record = await this.enrollments.buffer(enrollmentId, bufferId);
    const blob = record ? await this.blobs.get(record.blobId) : undefined;
    if (!record || !blob) throw new NotFoundError(`Enrollment ${enrollmentId} has no buffer ${bufferId}`);
    return { contentType: record.contentType, data: blob.data, sha256: record.sha256 };
  }
}
