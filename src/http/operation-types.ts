/**
 * Types that bind a handler to an operation of a generated OpenAPI `operations` interface, so that a missing,
 * misspelt or mistyped handler fails the typecheck.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';

type AnyOperation = {
  parameters: { query?: unknown; header?: unknown; path?: unknown };
  requestBody?: unknown;
  responses: object;
};

/** `never` (the generator's "no such thing") becomes an empty object. */
type Present<T> = [NonNullable<T>] extends [never] ? Record<string, never> : NonNullable<T>;

/** JSON media types keep their schema type; binary and text bodies arrive and leave as Buffer or string. */
type MediaBody<C, K extends keyof C> = K extends `${string}json` ? C[K] : Buffer | string;

type RequestBodyOf<O> = O extends { requestBody?: { content: infer C } }
  ? { [K in keyof C]: MediaBody<C, K> }[keyof C] | (undefined extends O['requestBody'] ? undefined : never)
  : undefined;

/** Cross-cutting facts about the call that every handler may need. */
export interface CallContext {
  requestId: string;
  operationId: string;
  /** The raw `Accept` header, for operations offering several representations. */
  accept: string | undefined;
  /** The media type the body was sent with, when there was a body. */
  contentType: string | undefined;
  log: Logger;
  /** The verified caller; absent when authentication is off. */
  principal?: Principal;
  /** The raw `Prefer` header (RFC 7240), for operations that may answer asynchronously on request. */
  prefer: string | undefined;
  /** Reports persons the operation touched beyond those in its path (search results), for the audit trail. */
  touchPersons(personIds: Iterable<string>): void;
  /** Reports the attribute names the operation read or checked beyond its query (its body, an attribute set), for the audit trail. */
  touchAttributes(names: Iterable<string>): void;
  /**
   * The raw exchange, for the few handlers that hand it to a library (oidc-provider reads its own cookies) or read
   * the TLS peer certificate. Handlers still answer by their result, never by writing to `res`.
   */
  exchange: { req: IncomingMessage; res: ServerResponse };
}

export interface OperationRequest<O extends AnyOperation> {
  path: Present<O['parameters']['path']>;
  query: Present<O['parameters']['query']>;
  headers: Present<O['parameters']['header']>;
  body: RequestBodyOf<O>;
  context: CallContext;
}

/** 2xx, and the 3xx redirects of the citizen's pages (to the login, to a clean URL). */
type SuccessStatus<R> = { [S in keyof R]: `${S & number}` extends `2${string}` | `3${string}` ? S : never }[keyof R];

type ResultFor<S, R> = R extends { content: infer C }
  ? {
      [K in keyof C]: {
        status: S;
        body: MediaBody<C, K>;
        contentType?: K;
        headers?: Record<string, string>;
      };
    }[keyof C]
  : { status: S; headers?: Record<string, string> };

/** What a handler returns: one of the operation's declared 2xx (or 3xx) responses. Errors are thrown (see `src/errors`). */
export type OperationResult<O extends AnyOperation> = {
  [S in SuccessStatus<O['responses']>]: ResultFor<S, O['responses'][S]>;
}[SuccessStatus<O['responses']>];

export type Handler<O extends AnyOperation> = (request: OperationRequest<O>) => Promise<OperationResult<O>>;

/** One handler per operationId of an interface: the compiler insists on all of them. */
export type HandlerMap<Operations> = {
  [K in keyof Operations]: Operations[K] extends AnyOperation ? Handler<Operations[K]> : never;
};
