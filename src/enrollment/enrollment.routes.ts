/** The Enrollment interface (`openapi/enrollment.yaml`, mounted at `/enrollment`): one handler per operationId. */
import type { operations } from '../../generated/enrollment.js';
import type { HandlerMap } from '../http/operation-types.js';
import { requiredBody } from '../http/request-checks.js';
import { paging } from '../shared/paging.js';
import { digestHeader } from './digest-header.js';
import type { EnrollmentServices } from './enrollment-services.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';

type BinaryType = 'application/*' | 'image/*';

function createEnrollmentHandlers({ enrollments, buffers }: EnrollmentServices): HandlerMap<operations> {
  const change = (enrollmentId: string, query: { transactionId: string; finalize?: boolean }) => ({
    enrollmentId,
    transactionId: query.transactionId,
    finalize: query.finalize ?? false,
  });

  return {
    createEnrollment: async ({ path, query, body }) => {
      await enrollments.create(change(path.enrollmentId, query), { ...requiredBody(body, 'createEnrollment', 'Enrollment') });
      return { status: 204 };
    },
    readEnrollment: async ({ path, query }) => ({ status: 200, body: await enrollments.read(path.enrollmentId, query.attributes) }),
    updateEnrollment: async ({ path, query, body }) => {
      await enrollments.update(change(path.enrollmentId, query), { ...requiredBody(body, 'updateEnrollment', 'Enrollment') });
      return { status: 204 };
    },
    partialUpdateEnrollment: async ({ path, query, body }) => {
      await enrollments.patch(change(path.enrollmentId, query), { ...body });
      return { status: 204 };
    },
    deleteEnrollment: async ({ path }) => {
      await enrollments.delete(path.enrollmentId);
      return { status: 204 };
    },
    finalizeEnrollment: async ({ path, query }) => {
      await enrollments.finalize(change(path.enrollmentId, query));
      return { status: 204 };
    },
    findEnrollments: async ({ query, body }) => {
      const { offset, limit } = paging(query.offset, query.limit, 100);
      return { status: 200, body: await enrollments.find(body ?? [], offset, limit) };
    },
    createBuffer: async ({ path, headers, body, context }) => ({
      status: 201,
      body: { bufferId: await buffers.create(path.enrollmentId, body, context.contentType, headers.Digest) },
    }),
    readBuffer: async ({ path }) => {
      const buffer = await buffers.read(path.enrollmentId, path.bufferId);
      return {
        status: 200,
        body: buffer.data,
        contentType: buffer.contentType as BinaryType,
        headers: { Digest: digestHeader(buffer.sha256) },
      };
    },
  };
}

export const enrollmentInterface: InterfaceModule<EnrollmentServices> = { name: 'enrollment', createHandlers: createEnrollmentHandlers, audit: auditPathIds() };
