/** The Enrollment interface (`openapi/enrollment.yaml`, mounted at `/enrollment`): one handler per operationId. */
import type { operations } from '../../generated/enrollment.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createEnrollmentHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    createEnrollment: notImplemented('createEnrollment'),
    readEnrollment: notImplemented('readEnrollment'),
    updateEnrollment: notImplemented('updateEnrollment'),
    partialUpdateEnrollment: notImplemented('partialUpdateEnrollment'),
    deleteEnrollment: notImplemented('deleteEnrollment'),
    finalizeEnrollment: notImplemented('finalizeEnrollment'),
    findEnrollments: notImplemented('findEnrollments'),
    createBuffer: notImplemented('createBuffer'),
    readBuffer: notImplemented('readBuffer'),
  };
}
