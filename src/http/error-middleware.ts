/**
 * The one place where failures become HTTP responses. Every 4xx/5xx leaves as the OSIA Error object
 * `{code, message}`; internals (stack traces, driver messages) are logged, never sent.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import pino from 'pino';
import { DomainError, type ErrorKind } from '../shared/domain-errors.js';
import { StoreConflictError } from '../storage/document-store.port.js';
import { HttpError } from '../errors/http-errors.js';

/** The status of each kind of domain error. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  notAllowed: 403,
  notFound: 404,
  conflict: 409,
  unsupported: 415,
  upstream: 502,
  unavailable: 503,
};

interface ValidatorErrorItem {
  path?: string;
  message?: string;
}

/** Errors raised by express-openapi-validator and body-parser carry a numeric status. */
interface StatusError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  errors?: ValidatorErrorItem[];
  headers?: Record<string, string>;
}

export interface OsiaError {
  code: number;
  message: string;
}

function describe(err: StatusError): string {
  if (err.type === 'entity.parse.failed') return 'The request body is not valid JSON';
  if (err.type === 'entity.too.large') return 'The request body exceeds the configured size limit';
  const items = err.errors ?? [];
  if (items.length > 0) {
    return items.map((item) => [item.path, item.message].filter(Boolean).join(' ')).join('; ');
  }
  return err.message ?? 'Request failed';
}

/** A response that violated the document (only checked in tests): saying why helps the developer who wrote it. */
function isResponseValidation(err: StatusError): boolean {
  return (err.errors ?? []).some((item) => item.path?.startsWith('/response') || item.path?.startsWith('.response'));
}

/** The status any failure is answered with (what the audit trail records of a failed operation). */
export function answeredStatus(err: unknown): number {
  return toResponse(err).status;
}

function toResponse(err: unknown): { status: number; body: OsiaError; headers: Record<string, string> } {
  if (err instanceof DomainError) {
    const status = STATUS[err.kind];
    return { status, body: { code: status, message: err.message }, headers: {} };
  }
  if (err instanceof HttpError) {
    return { status: err.status, body: { code: err.status, message: err.message }, headers: err.headers };
  }
  if (err instanceof StoreConflictError) {
    // A store constraint or version check still refused the write after the change ran again: others got there first.
    return { status: 409, body: { code: 409, message: 'The record was created or changed concurrently' }, headers: {} };
  }
  const candidate = (typeof err === 'object' && err !== null ? err : {}) as StatusError;
  const status = candidate.status ?? candidate.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 600) {
    // Validator messages name the offending field; 5xx messages stay generic outside of response validation.
    const exposed = status < 500 || isResponseValidation(candidate);
    const message = exposed ? describe(candidate) : 'Internal server error';
    return { status, body: { code: status, message }, headers: candidate.headers ?? {} };
  }
  return { status: 500, body: { code: 500, message: 'Internal server error' }, headers: {} };
}

export const errorMiddleware: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const { status, body, headers } = toResponse(err);
  // 501 is an answer, not a failure; anything else from 500 up deserves its stack in the log (never in the body).
  if (status >= 500 && status !== 501) req.log?.error({ failure: pino.stdSerializers.err(err as Error) }, 'request failed');
  res.status(status).set(headers).json(body);
};

/** The last handler of the app: anything that reached it matched no route. */
export const notFoundMiddleware: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No route for ${req.method} ${req.path}`));
};
