/**
 * The relay of the ABIS gateway (`openapi/abis-relay.yaml`, beside the ABIS operations), without a bearer token: the
 * secret in the path is the credential, checked before the body is read; 404 alike when wrong. The vendor's result,
 * checked against abis.yaml, or its failure, as the OSIA Error our caller's callback will receive, settles the task.
 */
import type { operations } from '../../generated/abis-relay.js';
import { osiaErrorOf } from '../errors/osia-error.js';
import type { InterfaceModule } from '../http/interface-module.js';
import type { HandlerMap } from '../http/operation-types.js';
import { DomainError, NotFoundError } from '../shared/domain-errors.js';
import type { TaskOutcome, TaskSettler } from './abis-engine.port.js';
import type { GatewayAbis } from './gateway-abis.js';
import type { RelayAddresses } from './gateway-relay.js';

export interface AbisRelayServices {
  gateway: GatewayAbis;
  addresses: RelayAddresses;
  settler: TaskSettler;
}

function outcomeOf(gateway: GatewayAbis, operationId: string, mediaType: string, body: unknown): TaskOutcome {
  try {
    const payload = gateway.callbackPayload(operationId, mediaType, body);
    return payload === undefined ? { ok: true } : { ok: true, body: payload };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const { status, body: error } = osiaErrorOf(err);
    return { ok: false, status, error };
  }
}

function createRelayHandlers({ gateway, settler }: AbisRelayServices): HandlerMap<operations> {
  return {
    relayTaskResult: async ({ path: { taskId, operationId }, query, body, context }) => {
      const mediaType = (context.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const outcome = outcomeOf(gateway, operationId, mediaType, body);
      context.log.info({ taskId, operationId, vendorTaskId: query.taskId, ok: outcome.ok }, 'vendor ABIS result relayed');
      await settler.settle(taskId, outcome);
      return { status: 204 };
    },
  };
}

export const abisRelayInterface: InterfaceModule<AbisRelayServices> = {
  name: 'abis-relay',
  beside: 'abis',
  createHandlers: createRelayHandlers,
  createAdmission:
    ({ gateway, addresses }) =>
    async (_operationId, { taskId = '', operationId = '', secret = '' }) => {
      if (!(gateway.forwards(operationId) && addresses.accepts(taskId, operationId, secret))) throw new NotFoundError('No such relay address');
    },
};
