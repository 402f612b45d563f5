import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';

/**
 * A random 16-byte positive certificate serial (RFC 5280 §4.1.2.2 allows 20 bytes; CA/B Forum wants ≥ 64 random
 * bits). The top bits are 01 so that the DER INTEGER is always exactly 16 bytes: positive, no leading zero byte.
 */
export function randomSerialNumber(): { integer: asn1js.Integer; hex: string } {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x3f) | 0x40;
  return { integer: new asn1js.Integer({ valueHex: bytes }), hex: bytes.toString('hex').toUpperCase() };
}

export function serialIntegerFromHex(hex: string): asn1js.Integer {
  return new asn1js.Integer({ valueHex: Buffer.from(hex, 'hex') });
}
