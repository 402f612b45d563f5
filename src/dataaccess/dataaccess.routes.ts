/**
 * The Data Access interface (`openapi/dataaccess.yaml`, mounted at `/dataaccess` and under `/pr`): one handler per
 * operationId, answering from the Population Registry's reference identities through the attribute dictionary.
 */
import type { operations } from '../../generated/dataaccess.js';
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { HandlerMap } from '../http/operation-types.js';
import type { CompatibilitySettings } from '../profile/profile-settings.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import type { AttributeDictionary } from './attribute-dictionary.js';
import { matchAttributes, verifyExpressions } from './attribute-check-service.js';
import { readDocument } from './document-service.js';
import { queryPersons } from './person-query-service.js';
import { loadReference, readAttributes } from './reference-attributes.js';
import { auditPathIds, type InterfaceModule } from '../http/interface-module.js';

export interface DataAccessParts {
  registry: PopulationRegistry;
  dictionary: AttributeDictionary;
  /** What queryPersonList answers when no person matches (country profile). */
  noMatch: CompatibilitySettings['queryPersonListNoMatch'];
}

function createDataAccessHandlers({ registry, dictionary, noMatch }: DataAccessParts): HandlerMap<operations> {
  return {
    queryPersonList: async ({ query, context }) => {
      const found = await queryPersons(registry, dictionary, query, context);
      // OSIA 7.1 answers 404 "No record found"; clients of the reference implementation expect 200 [] (profile).
      if (found.length === 0 && noMatch === 'notFound') throw new NotFoundError('no person matches the search attributes');
      return { status: 200, body: found };
    },
    readPersonAttributes: async ({ path, query }) => {
      const reference = await loadReference(registry, path.uin);
      return { status: 200, body: readAttributes(dictionary, reference, query.attributeNames) };
    },
    matchPersonAttributes: async ({ path, body, context }) => {
      // An empty comparison would answer "everything matched" about nothing.
      if (!body || Object.keys(body).length === 0) throw new InvalidError('give at least one attribute to compare');
      context.touchAttributes(Object.keys(body));
      return { status: 200, body: await matchAttributes(registry, dictionary, path.uin, body) };
    },
    verifyPersonAttributes: async ({ path, body, context }) => {
      // `true` for no expression at all would vouch for nothing.
      if (!body || body.length === 0) throw new InvalidError('give at least one expression to verify');
      context.touchAttributes(body.map((expression) => expression.attributeName));
      return { status: 200, body: await verifyExpressions(registry, dictionary, path.uin, body) };
    },
    readDocument: async ({ path, query }) => {
      const { contentType, body } = await readDocument(registry, { uin: path.uin, ...query });
      // The declared media type carries no parameters; the boundary is one.
      return { status: 200, contentType: contentType as 'multipart/mixed', body };
    },
  };
}

const uinInPath = auditPathIds('uin');

/**
 * Under the PR's prefix, `GET /v1/persons/{id}` is readPersonAttributes only when it names `attributeNames` (the PR's
 * readPerson otherwise): civil-registry clients call both interfaces on one base URL.
 */
export const dataAccessInterface: InterfaceModule<DataAccessParts> = {
  name: 'dataaccess',
  createHandlers: createDataAccessHandlers,
  // readPersonAttributes names the attributes it reads in its query; the other reads report theirs from the body.
  audit: (input) => ({ ...uinInPath(input), attributes: [input.query.attributeNames ?? []].flat().map(String) }),
  takesShared: (operationId, query) => operationId !== 'readPersonAttributes' || 'attributeNames' in query,
};
