/**
 * The public face of the issuing CA: `GET /crl` (DER CRL) and `GET /ca.pem`. No authentication, as RFC 5280
 * relying parties fetch CRLs anonymously; mounted under `/cms` ahead of the CMS interface router.
 */
import { type Request, type Response, Router } from 'express';
import type { PkiIssuer } from './pki-issuer.js';

export function createPkiRouter(issuer: PkiIssuer): Router {
  const router = Router();
  router.get('/crl', async (_req: Request, res: Response) => {
    const der = await issuer.crl();
    res.type('application/pkix-crl').set('Cache-Control', 'no-cache').send(der);
  });
  router.get('/ca.pem', (_req: Request, res: Response) => {
    res.type('application/pem-certificate-chain').send(issuer.caCertificatePem());
  });
  return router;
}
