/** X.509 v2 CRLs (RFC 5280 §5) of the issuing CA. */
import * as pkijs from 'pkijs';
import type { CertificateAuthority } from './certificate-authority.js';
import { serialIntegerFromHex } from './serial-number.js';
import { authorityKeyIdentifier, crlNumber, crlReason, x509Time } from './x509-extensions.js';

export interface CrlEntry {
  serial: string;
  revokedAt: Date;
  /** Left out for `unspecified`, as RFC 5280 §5.3.1 asks. */
  reasonCode?: number;
}

export interface CrlContent {
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: CrlEntry[];
}

/** The signed CRL, DER. */
export async function buildCrl(ca: CertificateAuthority, content: CrlContent): Promise<Buffer> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = ca.subject;
  crl.thisUpdate = x509Time(content.thisUpdate);
  crl.nextUpdate = x509Time(content.nextUpdate);
  if (content.entries.length > 0) {
    crl.revokedCertificates = content.entries.map(
      (entry) =>
        new pkijs.RevokedCertificate({
          userCertificate: serialIntegerFromHex(entry.serial),
          revocationDate: x509Time(entry.revokedAt),
          ...(entry.reasonCode
            ? { crlEntryExtensions: new pkijs.Extensions({ extensions: [crlReason(entry.reasonCode)] }) }
            : {}),
        }),
    );
  }
  crl.crlExtensions = new pkijs.Extensions({ extensions: [authorityKeyIdentifier(ca.keyId), crlNumber(content.number)] });
  await ca.sign(crl);
  return Buffer.from(crl.toSchema().toBER(false));
}
