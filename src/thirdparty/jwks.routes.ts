/** The key set of verification proofs (`openapi/jwks.yaml`, beside the Third Party operations): public, like any JWKS. */
import type { operations } from '../../generated/jwks.js';
import type { InterfaceModule } from '../http/interface-module.js';
import type { HandlerMap } from '../http/operation-types.js';
import type { ProofSigner } from './proof-signer.js';

function createJwksHandlers(signer: ProofSigner): HandlerMap<operations> {
  return {
    readProofKeys: async () => ({ status: 200, body: signer.jwks(), contentType: 'application/jwk-set+json', headers: { 'Cache-Control': 'public, max-age=300' } }),
  };
}

export const jwksInterface: InterfaceModule<ProofSigner> = { name: 'jwks', createHandlers: createJwksHandlers, beside: 'thirdparty' };
