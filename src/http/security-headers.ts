/**
 * Security headers. Swagger UI's pages get helmet's full set, with a Content Security Policy it can live with (its
 * scripts are served from here, its page carries inline styles and data: images). API responses are JSON, CSV or
 * binary, never rendered as pages: they get the short list OWASP recommends for REST APIs (a CSP that forbids
 * everything, no MIME sniffing, no framing, no caching of personal data), from a list made once.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

function pageSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
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

/** Page headers for Swagger UI and the documents, API headers for everything else. */
export function securityHeaders(https: boolean): RequestHandler {
  const page = pageSecurityHeaders();
  const api = apiSecurityHeaders(https);
  return (req, res, next) => (PAGES.test(req.path) ? page(req, res, next) : api(req, res, next));
}
