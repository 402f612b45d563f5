/**
 * The Credential Management interface (`openapi/cms.yaml`, mounted at `/cms`): one handler per operationId. CMS
 * paths name requests and credentials, not persons: each handler reports the person concerned to the audit trail.
 */
import type { operations } from '../../generated/cms.js';
import { statusTarget } from '../credentials/credential-status.js';
import type { CallContext, Handler, HandlerMap } from '../http/operation-types.js';
import type { CmsServices } from './cms-services.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';
import { lenientDateTimeFormat } from '../openapi/lenient-date-time.js';

/** Reports the persons of a value (an answer, a body, a list) to the audit trail and passes the value on. */
function touching<T extends object>(context: CallContext, value: T): T {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const ids = items.map((item) => (item as { personId?: unknown }).personId);
  context.touchPersons(ids.filter((id): id is string => typeof id === 'string'));
  return value;
}

function createCmsHandlers({ requests, credentials, profiles }: CmsServices): HandlerMap<operations> {
  const statusChange = (reason: string | undefined, transactionId: string) => ({ reason, transactionId });
  /** suspendCredential and revokeCredential: a move to one status, with the client's optional reason. */
  const moveTo =
    (status: 'SUSPENDED' | 'REVOKED'): Handler<operations['suspendCredential']> =>
    async ({ path, query, body, context }) => {
      touching(context, await credentials.changeStatus(path.credentialId, { status }, statusChange(body?.reason, query.transactionId)));
      return { status: 204 };
    };

  return {
    createCredentialRequest: async ({ path, query, body, context }) => {
      await requests.create(path.credentialRequestId, body, query.transactionId);
      touching(context, body ?? {});
      return { status: 201 };
    },
    readCredentialRequest: async ({ path, query, context }) => ({
      status: 200,
      body: touching(context, await requests.read(path.credentialRequestId, query.attributes, query.transactionId)),
    }),
    updateCredentialRequest: async ({ path, query, body, context }) => {
      await requests.update(path.credentialRequestId, body, query.transactionId);
      touching(context, body ?? {});
      return { status: 204 };
    },
    cancelCredentialRequest: async ({ path, query, context }) => {
      touching(context, await requests.cancel(path.credentialRequestId, query.transactionId));
      return { status: 204 };
    },
    findCredentials: async ({ query, body, context }) => ({
      status: 200,
      body: touching(context, await credentials.find(body ?? [], query.attributes)),
    }),
    readCredential: async ({ path, query, context }) => ({
      status: 200,
      body: touching(context, await credentials.read(path.credentialId, query.attributes)),
    }),
    updateCredential: async ({ path, query, body, context }) => {
      const update = body as Record<string, unknown> | undefined;
      touching(context, await credentials.update(path.credentialId, update, query.transactionId));
      return { status: 204 };
    },
    suspendCredential: moveTo('SUSPENDED'),
    unsuspendCredential: async ({ path, query, body, context }) => {
      const change = { ...statusChange(body?.reason, query.transactionId), onlyFrom: ['SUSPENDED'] as const, operation: 'unsuspendCredential' };
      touching(context, await credentials.changeStatus(path.credentialId, { status: 'ACTIVE' }, change));
      return { status: 204 };
    },
    revokeCredential: moveTo('REVOKED'),
    setCredentialStatus: async ({ path, query, body, context }) => {
      const { status, reason, requester, comment } = body ?? { status: '' };
      const change = { reason, requester, comment, transactionId: query.transactionId };
      touching(context, await credentials.changeStatus(path.credentialId, statusTarget(status), change));
      return { status: 204 };
    },
    findCredentialProfiles: async ({ query, body }) => ({ status: 200, body: profiles.find(body ?? [], query.attributes) }),
  };
}

/** It takes date-times without an offset, as OSIA's own CMS examples write them (normalised on the way in). */
export const cmsInterface: InterfaceModule<CmsServices> = { name: 'cms', createHandlers: createCmsHandlers, audit: auditPathIds(), formats: { 'date-time': lenientDateTimeFormat } };
