/**
 * OSIA failures as one typed shape. Every OSIA document declares the Error object `{code, message}` for 400 and
 * 500, but 401/403/404/409 carry no body schema and other vendors send what they like there: the middleware below
 * turns any failure body into an OSIA Error, so that `error` is always `{code, message}` at run time as in its type.
 */
import type { Middleware } from 'openapi-fetch';

export interface OsiaError {
  code: number;
  message: string;
}

function isOsiaError(value: unknown): value is OsiaError {
  if (value === null || typeof value !== 'object') return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'number' && typeof message === 'string';
}

export const normaliseErrors: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isOsiaError(body)) return undefined;
    const message = text.trim().slice(0, 200) || response.statusText || `HTTP ${response.status}`;
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    const error: OsiaError = { code: response.status, message };
    return new Response(JSON.stringify(error), { status: response.status, statusText: response.statusText, headers });
  },
};

/** A failed call, thrown by `unwrap`: the HTTP status and the OSIA Error the server sent. */
export class OsiaRequestError extends Error implements OsiaError {
  readonly code: number;
  constructor(
    readonly status: number,
    error: OsiaError,
  ) {
    super(error.message);
    this.name = 'OsiaRequestError';
    this.code = error.code;
  }
}

interface Result {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The data type of the successful member of an openapi-fetch result. */
type DataOf<R> = R extends { data: infer D; error?: never } ? D : never;

/** The answer's data, or an OsiaRequestError: for callers who prefer exceptions to `{data, error}`. */
export async function unwrap<R extends Result>(call: Promise<R>): Promise<DataOf<R>> {
  const result = await call;
  if (result.response.ok) return result.data as DataOf<R>;
  const error = isOsiaError(result.error) ? result.error : { code: result.response.status, message: result.response.statusText };
  throw new OsiaRequestError(result.response.status, error);
}
