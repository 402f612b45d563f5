/** The issuing CA's certificate and DER CRL (`openapi/pki.yaml`, beside the CMS), public as RFC 5280 expects. */
import type { operations } from '../../../generated/pki.js';
import type { InterfaceModule } from '../../http/interface-module.js';
import type { HandlerMap } from '../../http/operation-types.js';
import type { PkiIssuer } from './pki-issuer.js';

function createPkiHandlers(issuer: PkiIssuer): HandlerMap<operations> {
  return {
    readCaCertificate: async () => ({ status: 200, body: issuer.caCertificatePem(), contentType: 'application/pem-certificate-chain' }),
    readCrl: async () => ({ status: 200, body: await issuer.crl(), contentType: 'application/pkix-crl', headers: { 'Cache-Control': 'no-cache' } }),
  };
}

export const pkiInterface: InterfaceModule<PkiIssuer> = { name: 'pki', createHandlers: createPkiHandlers, beside: 'cms' };
