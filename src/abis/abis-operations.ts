/** What the ABIS operations differ in, for both the synchronous answer and the task layer's callback. */
import type { AbisOperationId } from '../biometrics/abis-engine.port.js';

/** The operations answering 204 (their callback receives the JSON string "OK"). */
export const NO_CONTENT: ReadonlySet<AbisOperationId> = new Set([
  'deleteEncounter',
  'deleteAll',
  'mergeEncounter',
  'moveEncounter',
  'updateEncounterStatus',
  'updateEncounterGalleries',
]);
