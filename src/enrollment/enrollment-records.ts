/**
 * How enrolments and their buffers are stored. The enrolment's content (everything but its id, status included) sits
 * under `enrollment`, member names encoded and large binaries in the blob store (the spec says which); buffers are
 * records of their own whose bytes the store keeps as a blob.
 */
import type { components } from '../../generated/enrollment.js';
import { identityBinaries, type RecordSpec } from '../storage/record-spec.js';

export type Enrollment = components['schemas']['Enrollment'];
export type EnrollmentStatus = Enrollment['status'];

export interface EnrollmentRecord {
  _id: string;
  enrollment: Record<string, unknown> & { status: EnrollmentStatus };
  createdDate: string;
  updatedDate: string;
  lastTransactionId: string;
}

export interface BufferRecord {
  _id: string;
  enrollmentId: string;
  data: Buffer;
  contentType: string;
  size: number;
  /** SHA-256 of the bytes, base64: the `Digest` answered on reads. */
  sha256: string;
  createdDate: string;
}

export const ENROLLMENTS: RecordSpec<EnrollmentRecord> = {
  name: 'enrollments',
  indexes: [{ fields: ['enrollment.status'] }, { fields: ['enrollment.enrollmentType'] }],
  encodedKeys: true,
  binaries: identityBinaries('enrollment'),
};

export const BUFFERS: RecordSpec<BufferRecord> = {
  name: 'enrollment_buffers',
  indexes: [{ fields: ['enrollmentId'] }],
  binaries: ['data'],
  // Buffers stored before the unit of work named their blob in `blobId`.
  formerBlobIds: { blobId: 'data' },
};
