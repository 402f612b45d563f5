/**
 * What any failure is answered with: its status and the OSIA Error object `{code, message}`, the same whether it
 * goes back to the caller at once (the error middleware) or later to a callback (the ABIS task layer). Internals
 * (stack traces, driver messages) never reach the message.
 */
import { DomainError, type ErrorKind } from '../shared/domain-errors.js';
import { StoreConflictError } from '../storage/document-store.port.js';
import { HttpError } from './http-errors.js';

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
  return osiaErrorOf(err).status;
}

/** The status, the Error object and the headers (an authentication challenge…) a failure is answered with. */
export function osiaErrorOf(err: unknown): { status: number; body: OsiaError; headers: Record<string, string> } {
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
