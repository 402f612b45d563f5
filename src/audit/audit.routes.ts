/** The access report (`openapi/audit.yaml`, mounted at `/audit`). */
import type { operations } from '../../generated/audit.js';
import type { HandlerMap } from '../http/operation-types.js';
import type { AuditLog } from './audit-log.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';

function createAuditHandlers(log: AuditLog): HandlerMap<operations> {
  return {
    readPersonAccesses: async ({ path, query }) => ({
      status: 200,
      body: await log.accessesOf(path.personId, query.offset ?? 0, query.limit ?? 100),
    }),
  };
}

export const auditInterface: InterfaceModule<AuditLog> = { name: 'audit', createHandlers: createAuditHandlers, audit: auditPathIds('personId') };
