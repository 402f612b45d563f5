/** End-entity certificates of credential holders, signed by the issuing CA. */
import * as pkijs from 'pkijs';
import type { CERTIFICATE_KINDS } from '../profile-catalogue.js';
import type { CertificateAuthority } from './certificate-authority.js';
import { arrayBuffer, toPem } from './pem.js';
import { randomSerialNumber } from './serial-number.js';
import {
  authorityKeyIdentifier,
  clientAuthUsage,
  crlDistributionPoint,
  KEY_USAGE,
  keyIdentifier,
  keyUsage,
  subjectKeyIdentifier,
  x509Time,
} from './x509-extensions.js';

/** What a certificate is for, as profiles name it in `certificates:`. */
export type CertificateUsage = (typeof CERTIFICATE_KINDS)[number];

export interface HolderCertificateRequest {
  usage: CertificateUsage;
  subject: pkijs.RelativeDistinguishedNames;
  /** SubjectPublicKeyInfo, DER. */
  publicKey: Buffer;
  notBefore: Date;
  notAfter: Date;
  crlUrl: string;
}

export interface HolderCertificate {
  /** Upper-case hex, as OpenSSL prints it. */
  serial: string;
  pem: string;
}

function usageExtensions(usage: CertificateUsage): pkijs.Extension[] {
  return usage === 'authentication'
    ? [keyUsage([KEY_USAGE.digitalSignature]), clientAuthUsage()]
    : [keyUsage([KEY_USAGE.digitalSignature, KEY_USAGE.nonRepudiation])];
}

export async function issueHolderCertificate(ca: CertificateAuthority, request: HolderCertificateRequest): Promise<HolderCertificate> {
  const serial = randomSerialNumber();
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = serial.integer;
  certificate.issuer = ca.subject;
  certificate.subject = request.subject;
  certificate.notBefore = x509Time(request.notBefore);
  certificate.notAfter = x509Time(request.notAfter);
  certificate.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(arrayBuffer(request.publicKey));
  certificate.extensions = [
    ...usageExtensions(request.usage),
    subjectKeyIdentifier(keyIdentifier(certificate.subjectPublicKeyInfo)),
    authorityKeyIdentifier(ca.keyId),
    crlDistributionPoint(request.crlUrl),
  ];
  await ca.sign(certificate);
  return { serial: serial.hex, pem: toPem('CERTIFICATE', certificate.toSchema().toBER(false)) };
}
