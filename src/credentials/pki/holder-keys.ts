/**
 * The holder's key pairs: public keys generated on the card or phone and sent in
 * `requestData.others.publicKeys`, or, when none are sent, pairs generated here, as a card bureau with on-host
 * key generation would do. See docs/behaviour/pki.md for the personalisation hand-off of generated private keys.
 */
import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { InvalidError } from '../../shared/domain-errors.js';
import type { CertificateUsage } from './holder-certificate.js';

export interface HolderKey {
  /** SubjectPublicKeyInfo, DER. */
  publicKey: Buffer;
  /** PKCS#8 DER, for server-generated pairs only. */
  privateKey?: Buffer;
}

const generate = promisify(generateKeyPair);
const ACCEPTED_TYPES = new Set(['ec', 'rsa', 'ed25519', 'ed448']);
const MIN_RSA_BITS = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPublicKey(value: unknown, usage: string): KeyObject {
  let key: KeyObject | undefined;
  try {
    key = typeof value === 'string' && value.includes('-----BEGIN PUBLIC KEY-----') ? createPublicKey(value) : undefined;
  } catch {
    key = undefined;
  }
  if (!key) throw new InvalidError(`requestData.others.publicKeys.${usage} must be a PEM SubjectPublicKeyInfo (BEGIN PUBLIC KEY)`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? MIN_RSA_BITS;
  if (!ACCEPTED_TYPES.has(key.asymmetricKeyType ?? '') || bits < MIN_RSA_BITS) {
    throw new InvalidError(`requestData.others.publicKeys.${usage}: EC, Ed25519, Ed448 or RSA (≥ ${MIN_RSA_BITS} bits) keys only`);
  }
  return key;
}

/**
 * The public keys sent by the client, one per usage of the profile, or undefined when it sent none. A partial
 * set is refused rather than completed here: mixing card-held and server-generated keys would hide a client bug.
 */
export function suppliedPublicKeys(others: unknown, usages: readonly CertificateUsage[]): Map<CertificateUsage, HolderKey> | undefined {
  const supplied = isRecord(others) ? others.publicKeys : undefined;
  if (supplied === undefined) return undefined;
  if (!isRecord(supplied)) throw new InvalidError('requestData.others.publicKeys must be an object keyed by certificate usage');
  const unexpected = Object.keys(supplied).filter((usage) => !(usages as readonly string[]).includes(usage));
  const missing = usages.filter((usage) => supplied[usage] === undefined);
  if (unexpected.length > 0 || missing.length > 0) {
    throw new InvalidError(`requestData.others.publicKeys must hold exactly the keys for ${usages.join(', ')} of this profile`);
  }
  return new Map(
    usages.map((usage) => [usage, { publicKey: readPublicKey(supplied[usage], usage).export({ type: 'spki', format: 'der' }) }]),
  );
}

export async function generateHolderKey(): Promise<HolderKey> {
  const { publicKey, privateKey } = await generate('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { publicKey, privateKey };
}
