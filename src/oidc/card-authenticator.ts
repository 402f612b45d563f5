/**
 * Login with the ID card: the holder's authentication certificate, presented as a TLS client certificate on the card
 * listener (the card's middleware asks for the PIN before the handshake). The certificate must chain to our issuing
 * CA (Node's handshake check, and ours of issuer and signature), be valid on our clock, be one we issued for
 * authentication and still ACTIVE (a HELD or REVOKED one is on the CRL); its credential and its holder must stand
 * (AccountStanding). Every refusal is a LoginRefused saying why; the level is `high`, by smart card and PIN (RFC 8176).
 */
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { CertificateState } from '../credentials/pki/pki-issuer.js';
import type { Clock } from '../shared/clock.js';
import type { AccountStanding } from './account-standing.js';
import { type CardPeer, LoginRefused, type LoginResult } from './login-methods.js';

export interface CardAuthenticatorParts {
  /** The CMS issuing CA that signs the holders' certificates. */
  caCertificatePem: string;
  /** The issuer's record of a certificate, by serial (upper-case hex). */
  certificate(serial: string): Promise<CertificateState | undefined>;
  standing: Pick<AccountStanding, 'holderOf'>;
  clock: Clock;
}

/** Node's handshake judges validity on the system's time: those verdicts are left to our clock. */
const TIME_VERDICTS = new Set(['CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED']);

export class CardAuthenticator {
  readonly #ca: X509Certificate;

  constructor(private readonly parts: CardAuthenticatorParts) {
    this.#ca = new X509Certificate(parts.caCertificatePem);
  }

  async authenticateCard(peer: CardPeer): Promise<LoginResult> {
    const serial = this.#checked(peer).serialNumber.toUpperCase();
    const recorded = await this.parts.certificate(serial);
    if (!recorded) throw new LoginRefused({ refusal: 'notIssued' });
    if (recorded.status === 'REVOKED') throw new LoginRefused({ refusal: 'certificateRevoked' });
    if (recorded.status === 'HELD') throw new LoginRefused({ refusal: 'certificateSuspended' });
    if (recorded.usage !== 'authentication') {
      throw new LoginRefused({ refusal: 'signatureCertificate' });
    }
    const { credentialId } = recorded;
    const holder = await this.parts.standing.holderOf(credentialId);
    if (!holder) throw new LoginRefused({ refusal: 'unknownCard' });
    if (holder.reason !== undefined) throw new LoginRefused(holder.reason);
    return { personId: holder.personId, acr: 'high', amr: ['sc', 'pin'], credentialId };
  }

  /** The presented certificate once it chains to our CA and is valid now. */
  #checked(peer: CardPeer): X509Certificate {
    if (!peer.certificate || peer.certificate.length === 0) {
      throw new LoginRefused({ refusal: 'noCertificate' });
    }
    if (!peer.authorized && !TIME_VERDICTS.has(peer.authorizationError ?? '')) throw new LoginRefused({ refusal: 'notOurs' });
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(peer.certificate);
    } catch {
      throw new LoginRefused({ refusal: 'unreadable' });
    }
    if (!certificate.checkIssued(this.#ca) || !certificate.verify(this.#ca.publicKey)) throw new LoginRefused({ refusal: 'notOurs' });
    const now = this.parts.clock().getTime();
    if (now < Date.parse(certificate.validFrom)) throw new LoginRefused({ refusal: 'notYetValid' });
    if (now > Date.parse(certificate.validTo)) throw new LoginRefused({ refusal: 'certificateExpired' });
    return certificate;
  }
}

/** The card peer of a request's socket: no certificate on a plain connection or when the client sent none. */
export function cardPeerOf(socket: Socket): CardPeer {
  if (!(socket instanceof TLSSocket)) return { authorized: false };
  const { raw } = socket.getPeerCertificate(true) as { raw?: Buffer };
  // Typed as an Error, set as the OpenSSL verdict's code (a string).
  const verdict = socket.authorizationError as unknown as string | undefined;
  return { authorized: socket.authorized, ...(raw ? { certificate: raw } : {}), ...(verdict ? { authorizationError: String(verdict) } : {}) };
}
