/**
 * The built-in PKI issuer: the CA, the holder certificates it issued (collection `pki_certificates`, a server-held
 * private key in the blob store) and the CRL that follows their status (state in `pki_state`, its signed DER in the
 * blob store, cached in memory). Several server processes may share the store: certificates and the CRL state are
 * written at the version read, and a change that lost the race runs again on fresh data (`Store.change`; all of it
 * is pure: reading, signing, writing).
 */
import path from 'node:path';
import { type Clock, systemClock } from '../../shared/clock.js';
import type { CredentialChange } from '../credential-producer.port.js';
import { ConflictError, InvalidError } from '../../shared/domain-errors.js';
import type { RecordSpec } from '../../storage/record-spec.js';
import type { Records } from '../../storage/records.js';
import type { Store } from '../../storage/store.js';
import { CertificateAuthority } from './certificate-authority.js';
import { holderName } from './distinguished-name.js';
import { type CertificateUsage, issueHolderCertificate } from './holder-certificate.js';
import { generateHolderKey, type HolderKey } from './holder-keys.js';
import { buildCrl } from './revocation-list.js';
import { CERTIFICATE_HOLD, revocationReason } from './revocation-reasons.js';

const DAY_MS = 86_400_000;
const CRL_STATE_ID = 'crl';
/**
 * Of the processes publishing a CRL at once, each round one wins: the budget bounds how many publish together. A
 * publication that still fails leaves the certificates changed and the CRL behind until the next one.
 */
const CRL_ATTEMPTS = 64;

export interface PkiIssuerOptions {
  dataDir: string;
  caCert?: string;
  caKey?: string;
  caSubject: string;
  /** Base URL relying parties reach this server at; the CRL is published at `<publicUrl>/cms/crl`. */
  publicUrl: string;
  crlValidityDays: number;
  now?: Clock;
}

/** ACTIVE, on hold (suspended credential) or REVOKED; HELD and REVOKED certificates are listed on the CRL. */
type CertificateStatus = 'ACTIVE' | 'HELD' | 'REVOKED';

interface CertificateRecord {
  /** The serial, upper-case hex. */
  _id: string;
  credentialId: string;
  usage: CertificateUsage;
  status: CertificateStatus;
  keyOrigin: 'client' | 'server';
  /** Server-generated keys only: the PKCS#8 private key (DER), until revocation. */
  privateKey?: Buffer;
  notAfter: string;
  /** The CA that signed it (hex key identifier): a CRL lists only its own CA's certificates. */
  issuerKeyId: string;
  revokedAt?: string;
  reasonCode?: number;
  pem: string;
}

/** The last CRL published. */
interface CrlState {
  _id: string;
  number: number;
  thisUpdate: string;
  nextUpdate: string;
  issuerKeyId: string;
  der: Buffer;
}

// Older stores named the key and the DER by bare blob ids: still read, and stored as binaries at the next write.
const CERTIFICATES: RecordSpec<CertificateRecord> = {
  name: 'pki_certificates',
  indexes: [{ fields: ['credentialId'] }, { fields: ['status'] }],
  binaries: ['privateKey'],
  formerBlobIds: { privateKeyBlobId: 'privateKey' },
};
const CRL_STATE: RecordSpec<CrlState> = { name: 'pki_state', binaries: ['der'], formerBlobIds: { blobId: 'der' } };

export interface IssueRequest {
  credentialId: string;
  credentialNumber: string;
  biographicData: Record<string, unknown>;
  usages: readonly CertificateUsage[];
  /** Keys generated on the card; generated here when absent. */
  suppliedKeys?: Map<CertificateUsage, HolderKey>;
  /** The credential's dates; now and the CA's end when the base producer gives none. */
  notBefore?: Date;
  notAfter?: Date;
}

export interface IssuedCertificate {
  usage: CertificateUsage;
  serial: string;
  pem: string;
  keyOrigin: 'client' | 'server';
}

/** A recorded certificate as the holder's login reads it: never its key. */
export interface CertificateState {
  serial: string;
  credentialId: string;
  usage: CertificateUsage;
  /** HELD and REVOKED are on the CRL. */
  status: CertificateStatus;
}

export class PkiIssuer {
  #cached?: { number: number; der: Buffer };

  private constructor(
    private readonly ca: CertificateAuthority,
    private readonly store: Store,
    private readonly certificates: Records<CertificateRecord>,
    private readonly state: Records<CrlState>,
    private readonly options: PkiIssuerOptions & { now: Clock },
  ) {}

  static async open(store: Store, options: PkiIssuerOptions): Promise<PkiIssuer> {
    const now = options.now ?? systemClock;
    const ca = await CertificateAuthority.open({
      dir: path.join(options.dataDir, 'pki'),
      certFile: options.caCert,
      keyFile: options.caKey,
      subject: options.caSubject,
      now,
    });
    const issuer = new PkiIssuer(ca, store, await store.records(CERTIFICATES), await store.records(CRL_STATE), { ...options, now });
    await issuer.crl(); // a missing, stale or other CA's CRL is replaced at start-up
    return issuer;
  }

  get crlUrl(): string {
    return `${this.options.publicUrl}/cms/crl`;
  }

  caCertificatePem(): string {
    return this.ca.certificatePem;
  }

  get #issuerKeyId(): string {
    return Buffer.from(this.ca.keyId).toString('hex');
  }

  /** The certificate of this serial (upper-case hex) as recorded, or undefined when none was issued here. */
  async certificate(serial: string): Promise<CertificateState | undefined> {
    const [record] = await this.certificates.select({ _id: serial }, ['_id', 'credentialId', 'usage', 'status']);
    return record && { serial: record._id, credentialId: record.credentialId, usage: record.usage, status: record.status };
  }

  /** Issues one certificate per usage and records them; the validity never outlasts the CA's. */
  async issue(request: IssueRequest): Promise<IssuedCertificate[]> {
    const notBefore = request.notBefore ?? this.options.now();
    const notAfter = new Date(Math.min((request.notAfter ?? this.ca.notAfter).getTime(), this.ca.notAfter.getTime()));
    if (notAfter <= notBefore) throw new InvalidError('the credential expires before it is issued: no certificate can be made');
    const subject = holderName(request.biographicData, request.credentialNumber);
    const records: CertificateRecord[] = [];
    for (const usage of request.usages) {
      const key = request.suppliedKeys?.get(usage) ?? (await generateHolderKey());
      const certificate = await issueHolderCertificate(this.ca, {
        usage,
        subject,
        publicKey: key.publicKey,
        notBefore,
        notAfter,
        crlUrl: this.crlUrl,
      });
      records.push({
        _id: certificate.serial,
        credentialId: request.credentialId,
        usage,
        status: 'ACTIVE',
        keyOrigin: key.privateKey ? 'server' : 'client',
        ...(key.privateKey ? { privateKey: key.privateKey } : {}),
        notAfter: notAfter.toISOString(),
        issuerKeyId: this.#issuerKeyId,
        pem: certificate.pem,
      });
    }
    await this.store.commit(records.map((record) => this.certificates.insert(record)));
    return records.map((record) => ({ usage: record.usage, serial: record._id, pem: record.pem, keyOrigin: record.keyOrigin }));
  }

  /**
   * Puts the credential's certificates on hold, takes them off hold or revokes them, then publishes a new CRL.
   * Revocation is final: a revoked credential's certificates are never reinstated.
   */
  async changeStatus(change: CredentialChange): Promise<void> {
    if (!(await this.store.change(() => this.#changeCertificates(change)))) return;
    await this.store.change(() => this.#publishCrl(), CRL_ATTEMPTS);
  }

  /**
   * Writes the credential's certificates that change, at the versions read (a revoked one loses its private key).
   * Resolves whether any changed.
   */
  async #changeCertificates(change: CredentialChange): Promise<boolean> {
    const read = await this.certificates.findVersioned({ credentialId: change.credentialId });
    const changed = this.#apply(read.map(({ record }) => record), change);
    const readOf = new Map(read.map((versioned) => [versioned.record._id, versioned]));
    await this.store.commit(changed.map((record) => this.certificates.put(record, readOf.get(record._id))));
    return changed.length > 0;
  }

  #apply(records: CertificateRecord[], change: CredentialChange): CertificateRecord[] {
    if (records.some((record) => record.status === 'REVOKED') && (change.to === 'ACTIVE' || change.to === 'SUSPENDED')) {
      throw new ConflictError(`credential ${change.credentialId} has revoked certificates: it cannot become ${change.to} again`);
    }
    const revokedAt = this.options.now().toISOString();
    const withoutRevocation = ({ revokedAt: _at, reasonCode: _code, ...record }: CertificateRecord) => record;
    switch (change.to) {
      case 'SUSPENDED':
        return records
          .filter((record) => record.status === 'ACTIVE')
          .map((record) => ({ ...record, status: 'HELD', revokedAt, reasonCode: CERTIFICATE_HOLD.code }));
      case 'ACTIVE':
        return records.filter((record) => record.status === 'HELD').map((record) => ({ ...withoutRevocation(record), status: 'ACTIVE' }));
      case 'REVOKED': {
        const reason = revocationReason(change.reason);
        return records
          .filter((record) => record.status !== 'REVOKED')
          .map(({ privateKey: _key, ...record }) => ({
            ...withoutRevocation(record),
            status: 'REVOKED',
            revokedAt,
            ...(reason.code ? { reasonCode: reason.code } : {}),
          }));
      }
      default:
        return [];
    }
  }

  /**
   * The current CRL (DER), re-signed first when it is past half its validity, missing, or another CA's. A process
   * that lost the race to re-sign reads the winner's CRL.
   */
  async crl(): Promise<Buffer> {
    return this.store.change(async () => (await this.#storedCrl()) ?? this.#publishCrl(), CRL_ATTEMPTS);
  }

  /**
   * The stored CRL while it is fresh. Another process sharing the store may have published a newer one: the
   * memory cache follows the stored number, and the DER is read only when the number changed.
   */
  async #storedCrl(): Promise<Buffer | undefined> {
    const [state] = await this.state.select({ _id: CRL_STATE_ID }, ['number', 'thisUpdate', 'nextUpdate', 'issuerKeyId']);
    if (!state || state.issuerKeyId !== this.#issuerKeyId) return undefined;
    const thisUpdate = Date.parse(state.thisUpdate);
    const refreshAt = thisUpdate + (Date.parse(state.nextUpdate) - thisUpdate) / 2;
    if (this.options.now().getTime() >= refreshAt) return undefined;
    if (this.#cached?.number === state.number) return this.#cached.der;
    // The whole state, DER included, as one record: a newer number may have come meanwhile, it is as good.
    const stored = await this.state.get(CRL_STATE_ID);
    if (stored?.issuerKeyId !== this.#issuerKeyId) return undefined;
    this.#cached = { number: stored.number, der: stored.der };
    return stored.der;
  }

  /**
   * Signs and stores the next CRL. The state is read before the certificates are listed and written back at that
   * version (inserted for the first CRL): of two processes publishing at once one gets the number, the other a
   * conflict, and signs again with the next number and every certificate change made meanwhile.
   */
  async #publishCrl(): Promise<Buffer> {
    const read = await this.state.getVersioned(CRL_STATE_ID);
    const previous = read?.record;
    const thisUpdate = this.options.now();
    const nextUpdate = new Date(thisUpdate.getTime() + this.options.crlValidityDays * DAY_MS);
    const listed = await this.certificates.select(
      { status: { $in: ['HELD', 'REVOKED'] }, issuerKeyId: this.#issuerKeyId, notAfter: { $gt: thisUpdate.toISOString() } },
      ['_id', 'revokedAt', 'reasonCode'],
      { sort: { revokedAt: 1 } },
    );
    const number = (previous?.number ?? 0) + 1;
    const der = await buildCrl(this.ca, {
      number,
      thisUpdate,
      nextUpdate,
      entries: listed.map((record) => ({
        serial: record._id,
        revokedAt: new Date(record.revokedAt as string),
        ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
      })),
    });
    const state: CrlState = {
      _id: CRL_STATE_ID,
      number,
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate.toISOString(),
      issuerKeyId: this.#issuerKeyId,
      der,
    };
    // Over the version read, or the first one inserted: either way, a rival write is a conflict.
    await this.store.commit([read ? this.state.put(state, read) : this.state.insert(state)]);
    this.#cached = { number, der };
    return der;
  }
}
