/** The Population Registry interface (`openapi/pr.yaml`, mounted at `/pr`): one handler per operationId. */
import type { operations } from '../../generated/pr.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createPrHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    findPersons: notImplemented('findPersons'),
    createPerson: notImplemented('createPerson'),
    readPerson: notImplemented('readPerson'),
    updatePerson: notImplemented('updatePerson'),
    deletePerson: notImplemented('deletePerson'),
    mergePerson: notImplemented('mergePerson'),
    readIdentities: notImplemented('readIdentities'),
    createIdentity: notImplemented('createIdentity'),
    createIdentityWithId: notImplemented('createIdentityWithId'),
    readIdentity: notImplemented('readIdentity'),
    updateIdentity: notImplemented('updateIdentity'),
    partialUpdateIdentity: notImplemented('partialUpdateIdentity'),
    deleteIdentity: notImplemented('deleteIdentity'),
    moveIdentity: notImplemented('moveIdentity'),
    setIdentityStatus: notImplemented('setIdentityStatus'),
    defineReference: notImplemented('defineReference'),
    readReference: notImplemented('readReference'),
    readGalleries: notImplemented('readGalleries'),
    readGalleryContent: notImplemented('readGalleryContent'),
  };
}
