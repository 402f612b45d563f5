/**
 * Security headers (helmet), with a Content Security Policy that Swagger UI can live with: its scripts are served
 * from here, its page carries inline styles and data: images.
 */
import helmet from 'helmet';

export function securityHeaders() {
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
    // An API answered to other origins' tools (Swagger UI elsewhere, integrators' scripts) must not be isolated.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
}
