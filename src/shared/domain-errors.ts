/**
 * What the domain says went wrong, in its own words. Services throw these and know nothing of HTTP; the one error
 * middleware (src/http/error-middleware.ts) maps each kind to a status and the OSIA Error object.
 */
export type ErrorKind = 'invalid' | 'notAllowed' | 'notFound' | 'conflict' | 'unsupported' | 'unavailable' | 'upstream';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request's content is refused: malformed, inconsistent, or naming what does not fit. */
export class InvalidError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

/** The caller may not do this (a forbidden transition, an unreadable attribute). */
export class NotAllowedError extends DomainError {
  constructor(message: string) {
    super('notAllowed', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('notFound', message);
  }
}

/** The current state refuses the change (it exists already, it is final, it changed meanwhile). */
export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Asked for in a form this server cannot give. */
export class UnsupportedError extends DomainError {
  constructor(message: string) {
    super('unsupported', message);
  }
}

/** Could not be done now; the same call may succeed later. */
export class UnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', message);
  }
}
