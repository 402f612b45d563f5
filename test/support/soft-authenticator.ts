/**
 * A software WebAuthn authenticator for Node tests: one P-256 key per credential, attestation "none", flags UP and
 * UV (BE/BS for a synced passkey), a signature counter it keeps itself. It answers the JSON options of the server
 * the way a browser's `PublicKeyCredential.toJSON()` would, so tests post what a page's script posts.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

interface SoftCredential {
  id: Buffer;
  key: KeyObject;
  userHandle: string;
  counter: number;
}

export interface CeremonyContext {
  /** The origin the browser would put in clientDataJSON. */
  origin: string;
  /** The relying party id to hash (the options' by default). */
  rpId?: string;
}

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

function coseKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const map = new Map<number, CBORType>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, Buffer.from(jwk.x ?? '', 'base64url')],
    [-3, Buffer.from(jwk.y ?? '', 'base64url')],
  ]);
  return encodeCBOR(map);
}

function authenticatorData(rpId: string, flags: number, counter: number, attested = Buffer.alloc(0)): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested]);
}

/** What `PublicKeyCredential.toJSON()` gives around the authenticator's `response`. */
function credentialJSON<R>(credential: SoftCredential, response: R) {
  const id = b64u(credential.id);
  return { id, rawId: id, type: 'public-key' as const, clientExtensionResults: {}, authenticatorAttachment: 'platform' as const, response };
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  /** `synced`: a backed-up passkey (flags BE and BS), as a password manager's. */
  constructor(private readonly options: { synced?: boolean; startCounter?: number } = {}) {}

  get #flags(): number {
    return FLAG_UP | FLAG_UV | (this.options.synced ? FLAG_BE | FLAG_BS : 0);
  }

  /** `navigator.credentials.create(options)`, as RegistrationResponseJSON. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, context: CeremonyContext) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: SoftCredential = { id: randomBytes(16), key: privateKey, userHandle: options.user.id, counter: this.options.startCounter ?? 0 };
    this.credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, credential.id, coseKey(publicKey)]);
    const authData = authenticatorData(context.rpId ?? options.rp.id ?? '', this.#flags | FLAG_AT, credential.counter, attested);
    const attestationObject = encodeCBOR(new Map<string, CBORType>([
      ['fmt', 'none'],
      ['attStmt', new Map<string, CBORType>()],
      ['authData', authData],
    ]));
    return credentialJSON(credential, {
      clientDataJSON: b64u(clientData('webauthn.create', options.challenge, context.origin)),
      attestationObject: b64u(attestationObject),
      transports: ['internal' as const],
    });
  }

  /** `navigator.credentials.get(options)` with its first (or the given) credential, as AuthenticationResponseJSON. */
  get(options: { challenge: string; rpId?: string }, context: CeremonyContext, credential = this.credentials[0]) {
    if (!credential) throw new Error('the soft authenticator holds no credential');
    credential.counter += 1;
    const authData = authenticatorData(context.rpId ?? options.rpId ?? '', this.#flags, credential.counter);
    const data = clientData('webauthn.get', options.challenge, context.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), credential.key);
    return credentialJSON(credential, { clientDataJSON: b64u(data), authenticatorData: b64u(authData), signature: b64u(signature), userHandle: credential.userHandle });
  }

  /** A credential the server never saw, signing correctly. */
  stranger(): SoftCredential {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { id: randomBytes(16), key: privateKey, userHandle: b64u(randomBytes(32)), counter: 0 };
  }
}
