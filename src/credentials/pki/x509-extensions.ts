/** The certificate and CRL extensions the issuer writes (RFC 5280 §4.2 and §5.2), built with pkijs. */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const KEY_USAGE = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

function extension(extnID: string, critical: boolean, value: { toBER(sizeOnly?: boolean): ArrayBuffer }) {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: pkijs.PublicKeyInfo): ArrayBuffer {
  const digest = createHash('sha1').update(publicKey.subjectPublicKey.valueBlock.valueHexView).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
}

export function basicConstraintsCa(): pkijs.Extension {
  // pathLen 0: this CA issues end-entity certificates only.
  return extension('2.5.29.19', true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema());
}

/** A named bit list in DER: the bits set, trailing zero bits dropped. */
export function keyUsage(bits: number[]): pkijs.Extension {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)] = (bytes[Math.floor(bit / 8)] as number) | (0x80 >> bit % 8);
  const value = new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (highest % 8) });
  return extension('2.5.29.15', true, value);
}

export function clientAuthUsage(): pkijs.Extension {
  return extension('2.5.29.37', false, new pkijs.ExtKeyUsage({ keyPurposes: [CLIENT_AUTH] }).toSchema());
}

export function subjectKeyIdentifier(keyId: ArrayBuffer): pkijs.Extension {
  return extension('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId }));
}

export function authorityKeyIdentifier(keyId: ArrayBuffer): pkijs.Extension {
  const value = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: keyId }) });
  return extension('2.5.29.35', false, value.toSchema());
}

export function crlDistributionPoint(url: string): pkijs.Extension {
  const point = new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] });
  return extension('2.5.29.31', false, new pkijs.CRLDistributionPoints({ distributionPoints: [point] }).toSchema());
}

export function crlNumber(value: number): pkijs.Extension {
  return extension('2.5.29.20', false, new asn1js.Integer({ value }));
}

export function crlReason(code: number): pkijs.Extension {
  return extension('2.5.29.21', false, new asn1js.Enumerated({ value: code }));
}

/** The key usage bits of a certificate, or undefined when it has no keyUsage extension. */
export function keyUsageBits(certificate: pkijs.Certificate): Set<number> | undefined {
  const found = certificate.extensions?.find((ext) => ext.extnID === '2.5.29.15');
  if (!found) return undefined;
  const view = (found.parsedValue as asn1js.BitString).valueBlock.valueHexView;
  const bits = new Set<number>();
  view.forEach((byte, index) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) bits.add(index * 8 + bit);
  });
  return bits;
}

/** Dates up to 2049 as UTCTime, later ones as GeneralizedTime (RFC 5280 §4.1.2.5). */
export function x509Time(value: Date): pkijs.Time {
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime, value });
}
