/** The access report (`openapi/audit.yaml`, mounted at `/audit`). */
import type { operations } from '../../generated/audit.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';
import { AuditLog } from './audit-log.js';

export async function createAuditHandlers(deps: InterfaceDependencies): Promise<HandlerMap<operations>> {
  const log = await AuditLog.open(deps.storage);
  return {
    readPersonAccesses: async ({ path, query }) => ({
      status: 200,
      body: await log.accessesOf(path.personId, query.offset ?? 0, query.limit ?? 100),
    }),
  };
}
