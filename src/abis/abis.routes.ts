/** The Biometrics (ABIS) interface (`openapi/abis.yaml`, mounted at `/abis`): one handler per operationId. */
import type { operations } from '../../generated/abis.js';
import { notImplemented } from '../http/not-implemented.js';
import type { HandlerMap } from '../http/operation-types.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';

function createAbisHandlers(): HandlerMap<operations> {
  return {
    createEncounterNoIds: notImplemented('createEncounterNoIds'),
    createEncounterNoId: notImplemented('createEncounterNoId'),
    readAllEncounters: notImplemented('readAllEncounters'),
    createEncounter: notImplemented('createEncounter'),
    readEncounter: notImplemented('readEncounter'),
    updateEncounter: notImplemented('updateEncounter'),
    deleteEncounter: notImplemented('deleteEncounter'),
    mergeEncounter: notImplemented('mergeEncounter'),
    moveEncounter: notImplemented('moveEncounter'),
    updateEncounterStatus: notImplemented('updateEncounterStatus'),
    updateEncounterGalleries: notImplemented('updateEncounterGalleries'),
    readTemplate: notImplemented('readTemplate'),
    deleteAll: notImplemented('deleteAll'),
    identify: notImplemented('identify'),
    identifyFromId: notImplemented('identifyFromId'),
    identifyFromEncounterId: notImplemented('identifyFromEncounterId'),
    verifyFromId: notImplemented('verifyFromId'),
    verifyFromBio: notImplemented('verifyFromBio'),
    readGalleries: notImplemented('readGalleries'),
    readGalleryContent: notImplemented('readGalleryContent'),
    readTaskStatus: notImplemented('readTaskStatus'),
    redeliverTaskResult: notImplemented('redeliverTaskResult'),
  };
}

export const abisInterface: InterfaceModule<void> = { name: 'abis', createHandlers: createAbisHandlers, audit: auditPathIds('personId', 'personIdTarget', 'personIdSource') };
