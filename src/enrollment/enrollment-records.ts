/**
 * How enrolments and their buffers are stored. The enrolment's content (everything but its id, status included) sits
 * under `enrollment`, member names encoded (src/shared/stored-keys.ts) and large binaries moved to the blob store;
 * buffers are records of their own that point at a blob.
 */
export const ENROLLMENTS = 'enrollments';
export const BUFFERS = 'enrollment_buffers';

export type EnrollmentStatus = 'IN_PROGRESS' | 'FINALIZED';

export interface EnrollmentRecord {
  _id: string;
  enrollment: Record<string, unknown> & { status: EnrollmentStatus };
  /** Blobs holding the content's large binaries, deleted with the record or when replaced. */
  blobIds: string[];
  createdDate: string;
  updatedDate: string;
  lastTransactionId: string;
  [key: string]: unknown;
}

export interface BufferRecord {
  _id: string;
  enrollmentId: string;
  blobId: string;
  contentType: string;
  size: number;
  /** SHA-256 of the bytes, base64: the `Digest` answered on reads. */
  sha256: string;
  createdDate: string;
  [key: string]: unknown;
}
