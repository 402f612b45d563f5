import type { Config } from '../../config/config-options.js';
import type { SharedInstances } from '../../http/shared-instances.js';
import type { Storage } from '../../storage/document-store.port.js';
import { PkiIssuer } from './pki-issuer.js';

/** The app's one PKI issuer, used by the CMS producer registry and by the `/cms/crl` and `/cms/ca.pem` routes. */
export function sharedPkiIssuer(deps: { shared: SharedInstances; storage: Storage; config: Config }): Promise<PkiIssuer> {
  const { config } = deps;
  return deps.shared.get('pki-issuer', () =>
    PkiIssuer.open(deps.storage, {
      dataDir: config.dataDir,
      caCert: config.caCert,
      caKey: config.caKey,
      caSubject: config.caSubject,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      crlValidityDays: config.crlValidityDays,
    }),
  );
}
