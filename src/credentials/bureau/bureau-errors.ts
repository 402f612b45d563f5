/**
 * A call to an upstream bureau that did not succeed. It is a domain error so that, when it refuses a local change
 * (status change, cancellation), the client gets a clear answer: a conflict (409) when the bureau refused (it
 * answered 4xx), an upstream failure (502) when the bureau could not be reached, timed out, failed (5xx) or answered
 * something unreadable, or rejected our own token (401/403: a configuration fault the client cannot fix).
 */
import { DomainError } from '../../shared/domain-errors.js';

/** Upstream messages are shown to our clients and kept in reasons: bounded, on one line. */
const MAX_UPSTREAM_MESSAGE = 200;

export function upstreamMessage(text: unknown): string {
  if (typeof text !== 'string') return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_UPSTREAM_MESSAGE ? `${line.slice(0, MAX_UPSTREAM_MESSAGE)}…` : line;
}

export class UpstreamBureauError extends DomainError {
  constructor(
    readonly bureau: string,
    /** The bureau's HTTP status; absent when no answer came (network failure, timeout). */
    readonly upstreamStatus: number | undefined,
    message: string,
  ) {
    super(refusedByBureau(upstreamStatus) ? 'conflict' : 'upstream', message);
  }

  /** Worth trying again later: no answer, a 5xx, or an unreadable answer. */
  get transient(): boolean {
    return this.upstreamStatus === undefined || this.upstreamStatus >= 500 || this.upstreamStatus < 400;
  }
}

function refusedByBureau(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}
