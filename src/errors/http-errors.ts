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
