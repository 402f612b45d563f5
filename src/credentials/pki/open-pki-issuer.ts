import { type Config, publicUrlOf } from '../../config/config-options.js';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../../shared/clock.js';
import { PkiIssuer } from './pki-issuer.js';

/** The app's one PKI issuer, used by the CMS producer registry and by the `/cms/crl` and `/cms/ca.pem` routes. */
export function openPkiIssuer(store: Store, config: Config, clock: Clock): Promise<PkiIssuer> {
  return PkiIssuer.open(store, {
    dataDir: config.dataDir,
    caCert: config.caCert,
    caKey: config.caKey,
    caSubject: config.caSubject,
    publicUrl: publicUrlOf(config),
    crlValidityDays: config.crlValidityDays,
    now: clock,
  });
}
