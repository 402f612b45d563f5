/** The Population Registry interface (`openapi/pr.yaml`, mounted at `/pr`): one handler per operationId. */
import type { components, operations } from '../../generated/pr.js';
import type { HandlerMap } from '../http/operation-types.js';
import { galleryCsv, prefersCsv } from '../shared/gallery-csv.js';
import type { PrServices } from './pr-services.js';
import { requiredBody } from '../http/request-checks.js';
import { paging } from '../shared/paging.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';

type Person = components['schemas']['Person'];

function createPrHandlers({ persons, identities, galleries }: PrServices): HandlerMap<operations> {
  return {
    findPersons: async ({ query, body, context }) => {
      const { group, reference, gallery } = query;
      const page = paging(query.offset, query.limit, 100);
      const rows = await persons.find(body ?? [], { group, referenceOnly: reference, gallery, ...page });
      context.touchPersons(rows.map((row) => row.personId));
      return { status: 200, body: rows };
    },
    createPerson: async ({ path, query, body }) => {
      await persons.create(path.personId, requiredBody(body, 'createPerson', 'Person'), query.transactionId);
      return { status: 201 };
    },
    readPerson: async ({ path }) => ({ status: 200, body: (await persons.read(path.personId)) as Person }),
    updatePerson: async ({ path, query, body }) => {
      await persons.update(path.personId, requiredBody(body, 'updatePerson', 'Person'), query.transactionId);
      return { status: 204 };
    },
    deletePerson: async ({ path, query }) => {
      await persons.delete(path.personId, query.transactionId);
      return { status: 204 };
    },
    mergePerson: async ({ path, query }) => {
      await persons.merge(path.personIdTarget, path.personIdSource, query.transactionId);
      return { status: 204 };
    },
    readIdentities: async ({ path }) => ({ status: 200, body: await identities.readAll(path.personId) }),
    createIdentity: async ({ path, query, body }) => {
      const identity = requiredBody(body, 'createIdentity', 'Identity');
      const identityId = await identities.create(path.personId, undefined, { ...identity }, query.transactionId);
      return { status: 200, body: { identityId } };
    },
    createIdentityWithId: async ({ path, query, body }) => {
      const identity = requiredBody(body, 'createIdentityWithId', 'Identity');
      await identities.create(path.personId, path.identityId, { ...identity }, query.transactionId);
      return { status: 201 };
    },
    readIdentity: async ({ path }) => ({ status: 200, body: await identities.read(path.personId, path.identityId) }),
    updateIdentity: async ({ path, query, body }) => {
      const identity = requiredBody(body, 'updateIdentity', 'Identity');
      await identities.replace(path.personId, path.identityId, { ...identity }, query.transactionId);
      return { status: 204 };
    },
    partialUpdateIdentity: async ({ path, query, body }) => {
      await identities.patch(path.personId, path.identityId, { ...body }, query.transactionId);
      return { status: 204 };
    },
    deleteIdentity: async ({ path, query }) => {
      await identities.delete(path.personId, path.identityId, query.transactionId);
      return { status: 204 };
    },
    moveIdentity: async ({ path, query }) => {
      await identities.move(path.personIdTarget, path.personIdSource, path.identityId, query.transactionId);
      return { status: 204 };
    },
    setIdentityStatus: async ({ path, query }) => {
      await identities.setStatus(path.personId, path.identityId, query.status, query.transactionId);
      return { status: 204 };
    },
    defineReference: async ({ path, query }) => {
      await identities.defineReference(path.personId, path.identityId, query.transactionId);
      return { status: 204 };
    },
    readReference: async ({ path }) => ({ status: 200, body: await identities.readReference(path.personId) }),
    readGalleries: async () => ({ status: 200, body: await galleries.list() }),
    readGalleryContent: async ({ path, query, context }) => {
      const { offset, limit } = paging(query.offset, query.limit, 1000);
      const rows = await galleries.content(path.galleryId, offset, limit);
      context.touchPersons(rows.map((row) => row.personId));
      return prefersCsv(context.accept)
        ? { status: 200, body: galleryCsv(rows, 'identityId'), contentType: 'text/csv' }
        : { status: 200, body: rows };
    },
  };
}

export const prInterface: InterfaceModule<PrServices> = { name: 'pr', createHandlers: createPrHandlers, audit: auditPathIds('personId', 'personIdTarget', 'personIdSource') };
