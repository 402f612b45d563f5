/**
 * A call to another system (a card bureau, a vendor's ABIS) that did not succeed. By default an upstream failure
 * (502): the system could not be reached, timed out, failed (5xx), answered something unreadable, or refused our own
 * credentials (401/403: a configuration fault our caller cannot fix). A caller that reads the other system's refusal
 * as a verdict on the request gives another kind.
 */
import { DomainError, type ErrorKind } from './domain-errors.js';

/** Upstream messages are shown to our clients and kept in reasons: bounded, on one line. */
const MAX_UPSTREAM_MESSAGE = 200;

export function upstreamMessage(text: unknown): string {
  if (typeof text !== 'string') return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_UPSTREAM_MESSAGE ? `${line.slice(0, MAX_UPSTREAM_MESSAGE)}…` : line;
}

export class UpstreamError extends DomainError {
  constructor(
    /** The other system's HTTP status; absent when no answer came (network failure, timeout). */
    readonly upstreamStatus: number | undefined,
    message: string,
    kind: ErrorKind = 'upstream',
  ) {
    super(kind, message);
  }

  /** Worth trying again later: no answer, a 5xx, or an unreadable answer. */
  get transient(): boolean {
    return this.upstreamStatus === undefined || this.upstreamStatus >= 500 || this.upstreamStatus < 400;
  }
}

/**
 * Why a request got no answer, without the URL or headers: a timeout, or the network error's code (ECONNREFUSED …),
 * whether node:http raised it or fetch wrapped it as its `cause`.
 */
export function networkCause(err: unknown, timeoutMs: number): string {
  const error = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (error.name === 'TimeoutError' || error.cause?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return error.cause?.code ?? error.code ?? error.name ?? 'network failure';
}
