/**
 * Builds the Express router of one interface from its OpenAPI document. It takes only the requests whose path
 * belongs to its document (so that routers on nested prefixes coexist), matched once: the operation found then is
 * the one whose scopes are checked, whose body is parsed, and whose handler, bound by operationId, answers once the
 * OpenAPI validator built from the same document has checked the request.
 */
import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenAPIV3 } from 'express-openapi-validator/dist/framework/types.js';
import { authenticate, authorize } from './auth-middleware.js';
import { answeredStatus } from '../errors/osia-error.js';
import { type ScopeRequirement, scopeRequirement } from '../auth/scope-requirement.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { LoadedDocument, OperationEntry, SchemaObject } from '../openapi/documents.js';
import { listOperations, servedByLibrary } from '../openapi/documents.js';
import { freeFormQuery, type QueryRegrouping } from './free-form-query.js';
import type { DocumentName } from '../openapi/interfaces.js';
import type { Admission, InterfaceTraits } from './interface-module.js';
import { checkJsonLimits, type JsonLimits } from './json-limits.js';
import { OperationMatcher } from './operation-matcher.js';
import { type QueryNumberCheck, queryNumberCheck } from './query-numbers.js';
import { validatorDocument } from './validator-document.js';
import type { CallContext } from './operation-types.js';

/** The runtime shape of a handler; `HandlerMap` gives each one its precise type at the definition site. */
export type RuntimeHandler = (request: {
  path: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
  context: CallContext;
}) => Promise<{ status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }>;

export interface InterfaceRouterOptions extends Pick<InterfaceTraits, 'audit' | 'formats' | 'takesShared'> {
  loaded: LoadedDocument;
  admit?: Admission;
  /** Verifies bearer tokens; absent when authentication is off. */
  verifier?: TokenVerifier;
  /** Stores the audit record of each answered operation, for an interface that declares its `audit`. */
  recordAudit?: AuditRecorder;
  /** Middleware run once the caller is known (rate limiting). */
  afterAuthentication?: RequestHandler[];
  /** Where the router is mounted; the validator matches request URLs below it. */
  basePath: string;
  /** Mounted on another interface's prefix: takes only its own operations, as `takesShared` decides. */
  shared?: boolean;
  handlers: object;
  validateResponses: boolean;
  bodyLimit: string;
  jsonLimits: JsonLimits;
}

const isJson = (type: string) => /^application\/([\w.-]+\+)?json\b/i.test(type);
const isForm = (type: string) => /^application\/x-www-form-urlencoded\b/i.test(type);
/** The most fields a form of the citizen's pages may carry: a consent form lists a client's claims. */
const FORM_FIELDS = 100;

/** A schema that admits a JSON value other than an object or an array: no type nor members, or a scalar type. */
function mayBeBare(schema: SchemaObject | undefined): boolean {
  if (schema === undefined || schema.$ref !== undefined) return false;
  return schema.type === undefined ? schema.properties === undefined : !['object', 'array'].includes(String(schema.type));
}

/** What the router knows of an operation from start-up on: matched once per request, before any body is read. */
interface PreparedOperation {
  entry: OperationEntry;
  /** The body is binary only (createBuffer takes any `application/*`): raw bytes whatever the media type. */
  binaryBody: boolean;
  /** A JSON body may be a bare value (the string "OK" of an ABIS callback), not only an object or an array. */
  bareJsonBody: boolean;
  /** `security: []`: no token is asked for (the CA certificate, the event callbacks). */
  isPublic: boolean;
  requirement: ScopeRequirement;
  checkQueryNumbers?: QueryNumberCheck;
  regroupQuery?: QueryRegrouping;
  /** Runs the operation's handler and answers (bound at start-up). */
  respond: (req: Request, res: Response) => Promise<void>;
}

const PREPARED = Symbol('osia.operation');
/** Where our patch of express-openapi-validator takes the route matched here instead of looking it up (ADR 0131). */
const VALIDATOR_ROUTE = Symbol.for('express-openapi-validator.route');
type PreparedRequest = IncomingMessage & {
  [PREPARED]?: { operation: PreparedOperation; params: Record<string, string> };
  [VALIDATOR_ROUTE]?: { path: string; values: string[] };
};

const preparedOf = (req: IncomingMessage) => (req as PreparedRequest)[PREPARED];

function prepare(name: DocumentName, entry: OperationEntry, handler: RuntimeHandler | undefined, options: InterfaceRouterOptions): PreparedOperation {
  if (!handler) throw new Error(`${name}: no handler for operation ${entry.operationId}`);
  const content = (entry.operation.requestBody as { content?: object } | undefined)?.content;
  return {
    entry,
    binaryBody: content !== undefined && !Object.keys(content).some(isJson),
    bareJsonBody: Object.entries(content ?? {}).some(([type, media]) => isJson(type) && mayBeBare((media as { schema?: SchemaObject }).schema)),
    isPublic: entry.operation.security?.length === 0,
    requirement: scopeRequirement(name, entry),
    checkQueryNumbers: queryNumberCheck(entry),
    regroupQuery: freeFormQuery(entry),
    respond: bind(entry, handler, options),
  };
}

/**
 * Takes the requests whose path is its document's (any method: the validator answers 405 to the others), or, when
 * shared, its operations that the interface takes; the one match is kept on the request for every later step.
 */
function gate(operations: readonly PreparedOperation[], options: InterfaceRouterOptions, router: RequestHandler): RequestHandler {
  const matcher = new OperationMatcher(operations.map(({ entry }) => entry));
  const byEntry = new Map(operations.map((operation) => [operation.entry, operation]));
  const { shared = false, takesShared } = options;
  return (req, res, next) => {
    const found = matcher.lookup(req.method, req.path);
    const matched = found?.matched;
    const operation = matched && byEntry.get(matched.entry);
    const takes = shared ? operation !== undefined && (takesShared?.(operation.entry.operationId, req.query) ?? true) : found !== undefined;
    if (!takes) {
      next();
      return;
    }
    if (matched && operation) {
      (req as PreparedRequest)[PREPARED] = { operation, params: matched.params };
      (req as PreparedRequest)[VALIDATOR_ROUTE] = { path: matched.entry.path, values: matched.values };
    }
    return router(req, res, next);
  };
}

/**
 * Bodies are parsed only for operations that take one: a body sent with a GET (or with a body-less POST/PUT such as
 * mergePerson) is ignored, even when it is not valid JSON. Operations whose body is binary only receive raw bytes
 * whatever the media type, JSON included. JSON bodies past the shape limits are refused before they are parsed.
 */
function bodyParsers(limit: string, jsonLimits: JsonLimits) {
  const withBody = (req: IncomingMessage) => {
    const operation = preparedOf(req)?.operation;
    return operation?.entry.operation.requestBody ? operation : undefined;
  };
  const contentType = (req: IncomingMessage) => req.headers['content-type'] ?? '';
  return [
    // Strict (objects and arrays only) unless the operation's schema admits a bare value; the validator checks it then.
    ...[true, false].map((strict) =>
      express.json({
        limit,
        strict,
        type: (req) => {
          const operation = withBody(req);
          return isJson(contentType(req)) && operation?.binaryBody === false && operation.bareJsonBody !== strict;
        },
        verify: (_req, _res, body) => checkJsonLimits(body, jsonLimits),
      }),
    ),
    express.text({ limit, type: (req) => /^(text\/|plain\/text)/i.test(contentType(req)) && withBody(req) !== undefined }),
    // HTML forms (the citizen's pages): flat fields only, so no nesting to limit.
    express.urlencoded({ limit, extended: false, parameterLimit: FORM_FIELDS, type: (req) => isForm(contentType(req)) && withBody(req) !== undefined }),
    express.raw({
      limit,
      type: (req) => {
        const operation = withBody(req);
        const type = contentType(req);
        return /^(image|application)\//i.test(type) && (operation?.binaryBody === true || (operation !== undefined && !isJson(type) && !isForm(type)));
      },
    }),
  ];
}

function headerValues(declared: readonly string[], req: Request): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const name of declared) values[name] = req.get(name);
  return values;
}

function send(res: Response, result: Awaited<ReturnType<RuntimeHandler>>): void {
  res.status(result.status);
  if (result.headers) res.set(result.headers);
  if (result.body === undefined) {
    res.end();
  } else if (result.contentType && Buffer.isBuffer(result.body)) {
    // Bytes leave as they are, under the exact media type they were stored with (readBuffer), JSON included.
    res.setHeader('Content-Type', result.contentType);
    res.send(result.body);
  } else if (result.contentType) {
    // JSON under a media type of its own (`application/jwk-set+json`) is serialised here: res.json would replace it.
    res.type(result.contentType).send(isJson(result.contentType) ? JSON.stringify(result.body) : result.body);
  } else {
    res.json(result.body);
  }
}

/** The handler gets the validated input; the audit record of the answer is stored before it leaves. */
function bind(entry: OperationEntry, handler: RuntimeHandler, { audit, recordAudit }: InterfaceRouterOptions) {
  const declaredHeaders = (entry.operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
  return async (req: Request, res: Response) => {
    const touchedPersons: string[] = [];
    const touchedAttributes: string[] = [];
    const context: CallContext = {
      requestId: String(req.id),
      operationId: entry.operationId,
      accept: req.get('accept'),
      contentType: req.get('content-type'),
      log: req.log,
      ...(req.principal ? { principal: req.principal } : {}),
      prefer: req.get('prefer'),
      touchPersons: (ids) => touchedPersons.push(...ids),
      touchAttributes: (names) => touchedAttributes.push(...names),
      exchange: { req, res },
    };
    const input = { path: req.params as Record<string, string>, query: req.query as Record<string, unknown> };
    const { transactionId } = input.query;
    const record = async (status: number) => {
      const ids = recordAudit && audit?.(input);
      if (!ids) return;
      const personIds = [...new Set([...ids.personIds, ...touchedPersons])];
      const attributes = [...new Set([...(ids.attributes ?? []), ...touchedAttributes])];
      const answered = { operationId: entry.operationId, status, principal: req.principal, personIds, recordIds: ids.recordIds };
      await recordAudit?.({
        ...answered,
        transactionId: typeof transactionId === 'string' ? transactionId : undefined,
        attributes: attributes.length > 0 ? attributes : undefined,
      });
    };
    let result: Awaited<ReturnType<RuntimeHandler>>;
    try {
      result = await handler({ ...input, headers: headerValues(declaredHeaders, req), body: entry.operation.requestBody ? req.body : undefined, context });
    } catch (err) {
      await record(answeredStatus(err));
      throw err;
    }
    // No answer leaves before its audit record is stored: if storing fails, the caller gets a 500 instead.
    await record(result.status);
    send(res, result);
  };
}

export function createInterfaceRouter(options: InterfaceRouterOptions): RequestHandler {
  const { loaded, validateResponses, bodyLimit, jsonLimits, basePath, verifier, afterAuthentication = [], admit, formats } = options;
  const handlers = options.handlers as Record<string, RuntimeHandler | undefined>;
  // Operations a library answers before this router (oidc-provider's endpoints) are described only.
  const ours = listOperations(loaded.document).filter((entry) => !servedByLibrary(entry));
  const operations = ours.map((entry) => prepare(loaded.name, entry, handlers[entry.operationId], options));
  const router = express.Router();
  // Authenticate, then check the scopes of the operation the URL names, before any body is parsed or validated:
  // an anonymous or unauthorised request neither makes us read a large body nor learns how to shape one.
  if (verifier) {
    const check = authenticate(verifier);
    router.use((req, res, next) => (preparedOf(req)?.operation.isPublic ? next() : check(req, res, next)));
  }
  if (afterAuthentication.length > 0) router.use(afterAuthentication);
  if (verifier) {
    router.use(authorize((req) => {
      const found = preparedOf(req);
      return found && { requirement: found.operation.requirement, params: found.params };
    }));
  }
  router.use(async (req, res, next) => {
    const found = preparedOf(req);
    if (found) await admit?.(found.operation.entry.operationId, found.params, { req, res });
    found?.operation.checkQueryNumbers?.(req.query as Record<string, unknown>);
    found?.operation.regroupQuery?.(req);
    next();
  });
  router.use(bodyParsers(bodyLimit, jsonLimits));
  router.use(
    OpenApiValidator.middleware({
      apiSpec: validatorDocument(loaded.document, basePath) as unknown as OpenAPIV3.DocumentV3,
      validateRequests: true,
      // Successful responses must match the document. Error responses always carry the OSIA Error object, even
      // where OSIA declares a 401/403/404/409 without a body, so the validator's objections to those are ignored.
      validateResponses: validateResponses && {
        onError: (err: Error, _body: unknown, req: Request) => {
          if ((req.res?.statusCode ?? 500) < 400) throw err;
        },
      },
      // Bearer tokens and scopes are checked above, before the body is read.
      validateSecurity: false,
      ...(formats ? { formats } : {}),
      validateApiSpec: true,
      ignoreUndocumented: false,
    }),
  );
  // The operation was matched before the body was read: its handler runs from there, instead of Express trying
  // one route per operation again. Path parameters are the matcher's, percent-decoded as Express would.
  router.use((req, res, next) => {
    const found = preparedOf(req);
    if (!found) {
      next();
      return;
    }
    req.params = found.params;
    return found.operation.respond(req, res);
  });
  return gate(operations, options, router);
}
