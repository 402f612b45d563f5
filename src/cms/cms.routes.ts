/** The Credential Management interface (`openapi/cms.yaml`, mounted at `/cms`): one handler per operationId. */
import type { operations } from '../../generated/cms.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createCmsHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    createCredentialRequest: notImplemented('createCredentialRequest'),
    readCredentialRequest: notImplemented('readCredentialRequest'),
    updateCredentialRequest: notImplemented('updateCredentialRequest'),
    cancelCredentialRequest: notImplemented('cancelCredentialRequest'),
    findCredentials: notImplemented('findCredentials'),
    readCredential: notImplemented('readCredential'),
    updateCredential: notImplemented('updateCredential'),
    suspendCredential: notImplemented('suspendCredential'),
    unsuspendCredential: notImplemented('unsuspendCredential'),
    revokeCredential: notImplemented('revokeCredential'),
    setCredentialStatus: notImplemented('setCredentialStatus'),
    findCredentialProfiles: notImplemented('findCredentialProfiles'),
  };
}
