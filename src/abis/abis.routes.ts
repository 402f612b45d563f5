/**
 * The Biometrics (ABIS) interface (`openapi/abis.yaml`, mounted at `/abis`). Every operation but the two task ones
 * is the same move: without `callback`, the engine runs the call and the answer goes back at once; with it, the call
 * becomes a task and the answer is 202 `{taskId}`, even when the result would be ready at once (abis.yaml).
 */
import type { operations } from '../../generated/abis.js';
import type { AbisCall, AbisOperationId } from '../biometrics/abis-engine.port.js';
import type { CallContext, HandlerMap } from '../http/operation-types.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';
import { galleryCsv, prefersCsv } from '../shared/gallery-csv.js';
import { NO_CONTENT } from './abis-operations.js';
import type { AbisServices } from './abis-services.js';

const ENGINE_OPERATIONS: readonly AbisOperationId[] = [
  'createEncounterNoIds',
  'createEncounterNoId',
  'createEncounter',
  'readAllEncounters',
  'readEncounter',
  'updateEncounter',
  'deleteEncounter',
  'deleteAll',
  'mergeEncounter',
  'moveEncounter',
  'updateEncounterStatus',
  'updateEncounterGalleries',
  'readTemplate',
  'identify',
  'identifyFromId',
  'identifyFromEncounterId',
  'verifyFromId',
  'verifyFromBio',
  'readGalleries',
  'readGalleryContent',
];

interface EngineRequest {
  path: Record<string, string>;
  query: { transactionId: string; callback?: string; priority?: number } & Record<string, unknown>;
  body?: unknown;
  context: CallContext;
}

type Rows = { personId: string; encounterId: string }[];

function engineHandler(services: AbisServices, operationId: AbisOperationId) {
  return async ({ path, query, body, context }: EngineRequest) => {
    const { transactionId, callback, priority, ...rest } = query;
    const call: AbisCall = { operationId, transactionId, path, query: rest, body };
    if (callback !== undefined) {
      const { subject, client } = context.principal ?? {};
      return { status: 202, body: { taskId: await services.tasks.accept(call, callback, priority, { subject, client }) } };
    }
    const { body: answer } = await services.engine.run(call);
    if (NO_CONTENT.has(operationId)) return { status: 204 };
    // Searches and gallery listings name persons beyond the path: the audit trail records them.
    if (Array.isArray(answer)) context.touchPersons(answer.flatMap((item) => (typeof item?.personId === 'string' ? [item.personId] : [])));
    if (operationId === 'readGalleryContent' && prefersCsv(context.accept)) {
      return { status: 200, body: galleryCsv(answer as Rows, 'encounterId'), contentType: 'text/csv' };
    }
    return { status: 200, body: answer };
  };
}

function createAbisHandlers(services: AbisServices): HandlerMap<operations> {
  const engine = Object.fromEntries(ENGINE_OPERATIONS.map((operationId) => [operationId, engineHandler(services, operationId)]));
  const handlers = {
    ...engine,
    readTaskStatus: async ({ path }: { path: { taskId: string } }) => ({ status: 200, body: await services.tasks.status(path.taskId) }),
    redeliverTaskResult: async ({ path }: { path: { taskId: string } }) => {
      await services.tasks.redeliver(path.taskId);
      return { status: 204 };
    },
  };
  // The table above names every engine operation once; the compiler checks the shapes of the two task handlers.
  return handlers as unknown as HandlerMap<operations>;
}

export const abisInterface: InterfaceModule<AbisServices> = {
  name: 'abis',
  createHandlers: createAbisHandlers,
  audit: auditPathIds('personId', 'personIdTarget', 'personIdSource'),
};
