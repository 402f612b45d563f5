/**
 * Errors of the HTTP edge itself (authentication, authorisation, rate limits, operations not implemented); the
 * domain has its own (src/shared/domain-errors.ts). The error middleware turns both into the OSIA Error object.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No token, or a token that fails verification (RFC 6750 §3: the challenge says why). */
export class UnauthorizedError extends HttpError {
  constructor(message: string, invalidToken: boolean) {
    const challenge = invalidToken ? `Bearer realm="osia", error="invalid_token"` : 'Bearer realm="osia"';
    super(401, message, { 'WWW-Authenticate': challenge });
  }
}

/** A valid token without the scope the operation needs. */
export class ForbiddenError extends HttpError {
  constructor(message: string, scope?: string) {
    const headers: Record<string, string> = scope
      ? { 'WWW-Authenticate': `Bearer realm="osia", error="insufficient_scope", scope="${scope}"` }
      : {};
    super(403, message, headers);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(message: string) {
    super(429, message);
  }
}
