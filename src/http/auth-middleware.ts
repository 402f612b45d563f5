/** Express middleware: `authenticate` verifies the bearer token; `authorize` checks the operation's scopes. */
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors/http-errors.js';
import type { Principal } from '../auth/principal.js';
import type { ScopeRequirement } from '../auth/scope-requirement.js';
import type { TokenVerifier } from '../auth/token-verifier.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified caller, kept on the request for authorisation, logs and audit. */
    principal?: Principal;
  }
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;

export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (!header) throw new UnauthorizedError('This operation needs a bearer token (Authorization: Bearer <JWT>)', false);
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new UnauthorizedError('The Authorization header must be "Bearer <JWT>"', true);
    req.principal = await verifier.verify(token);
    next();
  };
}

/**
 * Checks the scopes of the operation a request addresses, before its body is read: an unauthorised caller learns
 * nothing of how to shape the request. `requirementOf` answers undefined for a request that matches no operation
 * (the validator then answers 404 or 405).
 */
export function authorize(
  requirementOf: (req: Request) => { requirement: ScopeRequirement; params: Record<string, string> } | undefined,
): RequestHandler {
  return (req, _res, next) => {
    const found = requirementOf(req);
    const alternatives = found ? found.requirement(found.params) : [];
    const granted = req.principal?.scopes ?? new Set<string>();
    if (alternatives.length === 0 || alternatives.some((scopes) => scopes.every((scope) => granted.has(scope)))) {
      next();
      return;
    }
    const needed = alternatives.map((scopes) => scopes.join(' ')).join('" or "');
    throw new ForbiddenError(`This operation needs the scope "${needed}"`, alternatives[0]?.join(' '));
  };
}
