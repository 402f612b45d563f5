/**
 * Security headers. Swagger UI's pages get helmet's full set, with a Content Security Policy it can live with (its
 * scripts are served from here, its page carries inline styles and data: images). API responses are JSON, CSV or
 * binary, never rendered as pages: they get the short list OWASP recommends for REST APIs (a CSP that forbids
 * everything, no MIME sniffing, no framing, no caching of personal data), from a list made once.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const PAGE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
};

/**
 * Swagger UI's pages, or the citizen's: those have no form-action, since Chrome applies it to every redirect after a
 * form post, and the consent form ends on the client's redirect URI (oidc-provider adds the hash of its form_post
 * script to script-src itself).
 */
function pageSecurityHeaders(citizen: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: citizen ? PAGE_DIRECTIVES : { ...PAGE_DIRECTIVES, formAction: ["'self'"] } },
    // Integrators' tools on other origins read the documents; they must not be isolated.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
}

const API_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

function apiSecurityHeaders(https: boolean): RequestHandler {
  const headers = Object.entries(https ? { ...API_HEADERS, 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : API_HEADERS);
  // Plain setHeader: Express's res.set would check and coerce each constant value again on every request.
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

const PAGES = /^\/(docs|openapi)(\/|$)/;

/** Page headers for Swagger UI and the documents, and under `citizenPrefixes` (the OpenID provider); API headers for everything else. */
export function securityHeaders(https: boolean, citizenPrefixes: readonly string[] = []): RequestHandler {
  const page = pageSecurityHeaders(false);
  const citizen = pageSecurityHeaders(true);
  const api = apiSecurityHeaders(https);
  const isCitizen = (path: string) => citizenPrefixes.some((prefix) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`));
  return (req, res, next) => {
    if (PAGES.test(req.path)) return page(req, res, next);
    return isCitizen(req.path) ? citizen(req, res, next) : api(req, res, next);
  };
}
