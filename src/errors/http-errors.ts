/**
 * The error vocabulary of the server. Domain services throw these; one middleware (`error-middleware.ts`) turns
 * any of them into the OSIA Error object `{code, message}`. `code` is the HTTP status unless a more specific
 * OSIA code applies (for instance Data Access per-attribute codes).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number = status,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, code?: number) {
    super(400, message, code);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string, code?: number) {
    super(404, message, code);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, code?: number) {
    super(409, message, code);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, message);
  }
}

export class NotImplementedError extends HttpError {
  constructor(operationId: string) {
    super(501, `${operationId} is not implemented yet by this server`);
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(message: string) {
    super(503, message);
  }
}

/** No token, or a token that fails verification (RFC 6750 §3: the challenge says why). */
export class UnauthorizedError extends HttpError {
  constructor(message: string, invalidToken: boolean) {
    const challenge = invalidToken ? `Bearer realm="osia", error="invalid_token"` : 'Bearer realm="osia"';
    super(401, message, 401, { 'WWW-Authenticate': challenge });
  }
}

/** A valid token without the scope the operation needs. */
export class ForbiddenError extends HttpError {
  constructor(message: string, scope?: string) {
    const headers: Record<string, string> = scope
      ? { 'WWW-Authenticate': `Bearer realm="osia", error="insufficient_scope", scope="${scope}"` }
      : {};
    super(403, message, 403, headers);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(message: string) {
    super(429, message);
  }
}
