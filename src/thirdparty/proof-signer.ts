/**
 * Signs verification proofs: compact JWS (`typ: osia-verification+jwt`) with the server's proof key, whose public
 * half is published at `GET /thirdparty/jwks.json` under its JWK thumbprint (`kid`), so that anyone can check a
 * proof a relying party kept as evidence.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK, SignJWT } from 'jose';
import { type Config, publicUrlOf } from '../config/config-options.js';
import { ConfigError } from '../config/config-options.js';
import { loadOrCreateSecret } from '../identity/key-files.js';

export const PROOF_TYPE = 'osia-verification+jwt';

export interface ProofSigner {
  /** The public key set to publish. */
  jwks(): { keys: JWK[] };
  sign(claims: Record<string, unknown>): Promise<string>;
}

function algorithmOf(key: KeyObject): string {
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = key;
  if (type === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (type === 'ec' && details?.namedCurve === 'secp384r1') return 'ES384';
  if (type === 'rsa' || type === 'rsa-pss') return 'PS256';
  if (type === 'ed25519') return 'EdDSA';
  throw new ConfigError(`OSIA_PROOF_KEY: unsupported key type ${type}${details?.namedCurve ? ` (${details.namedCurve})` : ''}`);
}

export async function openProofSigner(options: { dataDir: string; proofKey: string | undefined; issuer: string }): Promise<ProofSigner> {
  const pem = await loadOrCreateSecret(
    { file: options.proofKey, option: 'OSIA_PROOF_KEY' },
    {
      dataDir: options.dataDir,
      name: 'proof-key.pem',
      generate: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  );
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new ConfigError(`OSIA_PROOF_KEY: not a PEM private key (${(err as Error).message})`);
  }
  const alg = algorithmOf(privateKey);
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid, alg, use: 'sig' };
  return {
    jwks: () => ({ keys: [published] }),
    sign: (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid, typ: PROOF_TYPE })
        .setIssuer(options.issuer)
        .setIssuedAt()
        .sign(privateKey),
  };
}

/** The app's one proof signer, shared by the verify handler and the JWKS route. */
export function proofSignerOf(config: Config): Promise<ProofSigner> {
  return openProofSigner({
    dataDir: config.dataDir,
    proofKey: config.proofKey,
    issuer: publicUrlOf(config),
  });
}
