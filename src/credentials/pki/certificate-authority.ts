/**
 * The issuing CA: its certificate and signing key. Created under `<dataDir>/pki/` on first start (ECDSA P-384,
 * self-signed) and loaded from there afterwards, or imported from OSIA_CA_CERT and OSIA_CA_KEY.
 */
import { createPrivateKey, type KeyObject, type webcrypto, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { ConfigError } from '../../config/config-options.js';
import { parseDistinguishedName } from './distinguished-name.js';
import { toPem } from './pem.js';
import { randomSerialNumber } from './serial-number.js';
import {
  basicConstraintsCa,
  KEY_USAGE,
  keyIdentifier,
  keyUsage,
  keyUsageBits,
  subjectKeyIdentifier,
  x509Time,
} from './x509-extensions.js';

const CA_LIFETIME_YEARS = 20;
const GENERATED_KEY = { name: 'ECDSA', namedCurve: 'P-384' } as const;
const CURVES: Record<string, { namedCurve: string; hash: string }> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
  secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
};

export interface CertificateAuthorityOptions {
  /** Where a generated CA is kept (`<dataDir>/pki`). */
  dir: string;
  /** An imported CA: PEM files, both or neither. */
  certFile?: string;
  keyFile?: string;
  /** Subject of a generated CA (RFC 4514 string). */
  subject: string;
  now: () => Date;
}

interface Source {
  cert: string;
  key: string;
}

export class CertificateAuthority {
  /** Use `open`; the constructor takes a CA already checked by `load`. */
  constructor(
    readonly certificate: pkijs.Certificate,
    readonly certificatePem: string,
    /** Subject key identifier, repeated as authorityKeyIdentifier in what the CA signs. */
    readonly keyId: ArrayBuffer,
    readonly hash: string,
    private readonly signingKey: webcrypto.CryptoKey,
  ) {}

  static async open(options: CertificateAuthorityOptions): Promise<CertificateAuthority> {
    if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
      throw new ConfigError('OSIA_CA_CERT and OSIA_CA_KEY must be set together');
    }
    if (options.certFile && options.keyFile) {
      const names = { cert: 'OSIA_CA_CERT', key: 'OSIA_CA_KEY' };
      return load({ cert: options.certFile, key: options.keyFile }, names, options.now());
    }
    const files = { cert: path.join(options.dir, 'ca-cert.pem'), key: path.join(options.dir, 'ca-key.pem') };
    const present = await Promise.all([exists(files.cert), exists(files.key)]);
    if (present[0] !== present[1]) {
      throw new ConfigError(`incomplete CA in ${options.dir}: restore both ca-cert.pem and ca-key.pem, or remove both`);
    }
    if (!present[0]) await create(files, options);
    return load(files, files, options.now());
  }

  get subject(): pkijs.RelativeDistinguishedNames {
    return this.certificate.subject;
  }

  get notAfter(): Date {
    return this.certificate.notAfter.value;
  }

  /** Signs a certificate or CRL whose fields (issuer, validity, extensions) are set. */
  async sign(target: pkijs.Certificate | pkijs.CertificateRevocationList): Promise<void> {
    await target.sign(this.signingKey, this.hash);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function readPem(file: string, name: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${name}: cannot read ${file} (${error.code ?? error.message})`);
  });
}

function signatureParameters(key: KeyObject, name: string) {
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ec' && curve) return { algorithm: { name: 'ECDSA', namedCurve: curve.namedCurve }, hash: curve.hash };
  if (key.asymmetricKeyType === 'rsa') return { algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, hash: 'SHA-256' };
  throw new ConfigError(`${name} must be an ECDSA (P-256, P-384, P-521) or RSA key`);
}

async function load(files: Source, names: Source, now: Date): Promise<CertificateAuthority> {
  const [certPem, keyPem] = await Promise.all([readPem(files.cert, names.cert), readPem(files.key, names.key)]);
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    throw new ConfigError(`${names.cert} (${files.cert}) is not a PEM certificate`);
  }
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    throw new ConfigError(`${names.key} (${files.key}) is not an unencrypted PEM private key`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(`${names.key} does not match ${names.cert}: the private key is not the certificate's`);
  }
  const parsed = pkijs.Certificate.fromBER(certificate.raw);
  const usage = keyUsageBits(parsed);
  if (!certificate.ca || (usage && !(usage.has(KEY_USAGE.keyCertSign) && usage.has(KEY_USAGE.cRLSign)))) {
    throw new ConfigError(`${names.cert} is not a CA certificate allowed to sign certificates and CRLs`);
  }
  if (parsed.notAfter.value <= now) throw new ConfigError(`${names.cert} expired on ${parsed.notAfter.value.toISOString()}`);
  const { algorithm, hash } = signatureParameters(privateKey, names.key);
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const signingKey = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  const ski = parsed.extensions?.find((ext) => ext.extnID === '2.5.29.14')?.parsedValue as { valueBlock: { valueHexView: Uint8Array } } | undefined;
  const keyId = ski ? ski.valueBlock.valueHexView.slice().buffer : keyIdentifier(parsed.subjectPublicKeyInfo);
  return new CertificateAuthority(parsed, toPem('CERTIFICATE', certificate.raw), keyId as ArrayBuffer, hash, signingKey);
}

async function create(files: Source, options: CertificateAuthorityOptions): Promise<void> {
  const subject = parseDistinguishedName(options.subject, 'OSIA_CA_SUBJECT');
  const keys = (await crypto.subtle.generateKey(GENERATED_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  const notBefore = options.now();
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_LIFETIME_YEARS);
  certificate.version = 2;
  certificate.serialNumber = randomSerialNumber().integer;
  certificate.issuer = subject;
  certificate.subject = subject;
  certificate.notBefore = x509Time(notBefore);
  certificate.notAfter = x509Time(notAfter);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  certificate.extensions = [
    basicConstraintsCa(),
    keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
    subjectKeyIdentifier(keyIdentifier(certificate.subjectPublicKeyInfo)),
  ];
  await certificate.sign(keys.privateKey, 'SHA-384');
  const key = toPem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  // Key first, certificate last: a crash in between leaves an "incomplete CA" that start-up reports.
  await writeAtomically(files.key, key, 0o600);
  await writeAtomically(files.cert, toPem('CERTIFICATE', certificate.toSchema().toBER(false)), 0o644);
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, content, { mode, flush: true });
  await rename(temporary, file);
}
