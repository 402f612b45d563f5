/**
 * `GET /jwks.json`: the public key set of verification proofs. Public (no token), like any JWKS; mounted under
 * `/thirdparty` ahead of the Third Party interface router.
 */
import { type Request, type Response, Router } from 'express';
import type { ProofSigner } from './proof-signer.js';

export function createJwksRouter(signer: ProofSigner): Router {
  const router = Router();
  router.get('/jwks.json', (_req: Request, res: Response) => {
    res.type('application/jwk-set+json').set('Cache-Control', 'public, max-age=300').send(JSON.stringify(signer.jwks()));
  });
  return router;
}
