/**
 * A call to an upstream bureau that did not succeed. It is a domain error so that, when it refuses a local change
 * (status change, cancellation), the client gets a clear answer: a conflict (409) when the bureau refused (it
 * answered 4xx), an upstream failure (502) when the bureau could not be reached, timed out, failed (5xx) or answered
 * something unreadable, or rejected our own token (401/403: a configuration fault the client cannot fix).
 */
import { UpstreamError } from '../../shared/upstream-error.js';

export class UpstreamBureauError extends UpstreamError {
  constructor(
    readonly bureau: string,
    upstreamStatus: number | undefined,
    message: string,
  ) {
    super(upstreamStatus, message, refusedByBureau(upstreamStatus) ? 'conflict' : 'upstream');
  }
}

function refusedByBureau(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}
