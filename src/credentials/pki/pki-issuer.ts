/**
 * The built-in PKI issuer: the CA, the holder certificates it issued (collection `pki_certificates`) and the CRL
 * that follows their status (state in `pki_state`, the signed DER in the blob store, cached in memory).
 * Several server processes may share the store: certificates and the CRL state are written at the version read,
 * and a change that lost the race runs again on fresh data (all of it is pure: reading, signing, writing).
 */
import path from 'node:path';
import { type Clock, systemClock } from '../../shared/clock.js';
import { openCollection } from '../../storage/typed-collection.js';
import type { CredentialChange } from '../credential-producer.port.js';
import { ConflictError, InvalidError } from '../../shared/domain-errors.js';
import {
  type Collection,
  DuplicateKeyError,
  type Storage,
  type StoredDocument,
  VersionConflictError,
  type WriteOp,
} from '../../storage/document-store.port.js';
import { retryOnConflict } from '../../storage/optimistic.js';
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

type CertificateRecord = StoredDocument & {
  /** The serial, upper-case hex. */
  _id: string;
  credentialId: string;
  usage: CertificateUsage;
  status: CertificateStatus;
  keyOrigin: 'client' | 'server';
  /** Server-generated keys only: the PKCS#8 private key in the blob store, until revocation. */
  privateKeyBlobId?: string;
  notAfter: string;
  /** The CA that signed it (hex key identifier): a CRL lists only its own CA's certificates. */
  issuerKeyId: string;
  revokedAt?: string;
  reasonCode?: number;
  pem: string;
};

type CrlState = StoredDocument & { number: number; thisUpdate: string; nextUpdate: string; issuerKeyId: string; blobId: string };

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

export class PkiIssuer {
  #cached?: { number: number; der: Buffer };

  private constructor(
    private readonly ca: CertificateAuthority,
    private readonly storage: Storage,
    private readonly certificates: Collection<CertificateRecord>,
    private readonly state: Collection<CrlState>,
    private readonly options: PkiIssuerOptions & { now: Clock },
  ) {}

  static async open(storage: Storage, options: PkiIssuerOptions): Promise<PkiIssuer> {
    const now = options.now ?? systemClock;
    const ca = await CertificateAuthority.open({
      dir: path.join(options.dataDir, 'pki'),
      certFile: options.caCert,
      keyFile: options.caKey,
      subject: options.caSubject,
      now,
    });
    const certificates = await openCollection<CertificateRecord>(storage.documents, 'pki_certificates', [{ fields: ['credentialId'] }, { fields: ['status'] }]);
    const state = await openCollection<CrlState>(storage.documents, 'pki_state');
    const issuer = new PkiIssuer(ca, storage, certificates, state, { ...options, now });
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

  /** Issues one certificate per usage and records them; the validity never outlasts the CA's. */
  async issue(request: IssueRequest): Promise<IssuedCertificate[]> {
    const notBefore = request.notBefore ?? this.options.now();
    const notAfter = new Date(Math.min((request.notAfter ?? this.ca.notAfter).getTime(), this.ca.notAfter.getTime()));
    if (notAfter <= notBefore) throw new InvalidError('the credential expires before it is issued: no certificate can be made');
    const subject = holderName(request.biographicData, request.credentialNumber);
    const records: CertificateRecord[] = [];
    const keyBlobs: string[] = [];
    try {
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
        const privateKeyBlobId = key.privateKey
          ? await this.storage.blobs.put({ contentType: 'application/pkcs8', data: key.privateKey })
          : undefined;
        if (privateKeyBlobId) keyBlobs.push(privateKeyBlobId);
        records.push({
          _id: certificate.serial,
          credentialId: request.credentialId,
          usage,
          status: 'ACTIVE',
          keyOrigin: key.privateKey ? 'server' : 'client',
          ...(privateKeyBlobId ? { privateKeyBlobId } : {}),
          notAfter: notAfter.toISOString(),
          issuerKeyId: this.#issuerKeyId,
          pem: certificate.pem,
        });
      }
      await this.storage.documents.applyAtomically([
        ...records.map((doc) => ({ collection: 'pki_certificates', op: 'put' as const, doc })),
        ...this.storage.blobs.claim(keyBlobs),
      ]);
    } catch (error) {
      await Promise.all(keyBlobs.map((id) => this.storage.blobs.delete(id)));
      throw error;
    }
    return records.map((record) => ({ usage: record.usage, serial: record._id, pem: record.pem, keyOrigin: record.keyOrigin }));
  }

  /**
   * Puts the credential's certificates on hold, takes them off hold or revokes them, then publishes a new CRL.
   * Revocation is final: a revoked credential's certificates are never reinstated.
   */
  async changeStatus(change: CredentialChange): Promise<void> {
    const records = await retryOnConflict(() => this.#changeCertificates(change));
    if (records.length === 0) return;
    await Promise.all(unusedKeys(records, change).map((id) => this.storage.blobs.delete(id)));
    await retryOnConflict(() => this.#publishCrl(), CRL_ATTEMPTS);
  }

  /**
   * Writes the credential's certificates that change, at the versions read, releasing the keys revocation makes
   * useless. Resolves them all as read, or none when nothing changed.
   */
  async #changeCertificates(change: CredentialChange): Promise<CertificateRecord[]> {
    const found = await this.certificates.find({ credentialId: change.credentialId });
    const read = (await Promise.all(found.map(({ _id }) => this.certificates.getVersioned(_id)))).filter((item) => item !== undefined);
    const versions = new Map(read.map(({ doc, version }) => [doc._id, version]));
    const records = read.map(({ doc }) => doc);
    const changed = this.#apply(records, change);
    if (changed.length === 0) return [];
    await this.storage.documents.applyAtomically([
      ...changed.map((doc) => ({ collection: 'pki_certificates', op: 'put' as const, doc, expectedVersion: versions.get(doc._id) })),
      ...this.storage.blobs.release(unusedKeys(records, change)),
    ]);
    return records;
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
          .map(({ privateKeyBlobId: _key, ...record }) => ({
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
    return retryOnConflict(async () => (await this.#storedCrl()) ?? this.#publishCrl(), CRL_ATTEMPTS);
  }

  /**
   * The stored CRL while it is fresh. Another process sharing the store may have published a newer one: the
   * memory cache follows the stored number.
   */
  async #storedCrl(): Promise<Buffer | undefined> {
    const state = await this.state.get(CRL_STATE_ID);
    if (!state || state.issuerKeyId !== this.#issuerKeyId) return undefined;
    const thisUpdate = Date.parse(state.thisUpdate);
    const refreshAt = thisUpdate + (Date.parse(state.nextUpdate) - thisUpdate) / 2;
    if (this.options.now().getTime() >= refreshAt) return undefined;
    if (this.#cached?.number === state.number) return this.#cached.der;
    const blob = await this.storage.blobs.get(state.blobId);
    if (blob) this.#cached = { number: state.number, der: blob.data };
    return blob?.data;
  }

  /**
   * Signs and stores the next CRL. The state is read before the certificates are listed and written back at that
   * version (inserted for the first CRL): of two processes publishing at once one gets the number, the other a
   * VersionConflictError, and signs again with the next number and every certificate change made meanwhile.
   */
  async #publishCrl(): Promise<Buffer> {
    const read = await this.state.getVersioned(CRL_STATE_ID);
    const previous = read?.doc;
    const thisUpdate = this.options.now();
    const nextUpdate = new Date(thisUpdate.getTime() + this.options.crlValidityDays * DAY_MS);
    const listed = await this.certificates.find(
      { status: { $in: ['HELD', 'REVOKED'] }, issuerKeyId: this.#issuerKeyId, notAfter: { $gt: thisUpdate.toISOString() } },
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
    const blobId = await this.storage.blobs.put({ contentType: 'application/pkix-crl', data: der });
    const state: CrlState = {
      _id: CRL_STATE_ID,
      number,
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate.toISOString(),
      issuerKeyId: this.#issuerKeyId,
      blobId,
    };
    try {
      await this.#writeState(state, read?.version, previous?.blobId);
    } catch (error) {
      await this.storage.blobs.delete(blobId);
      throw error;
    }
    if (previous) await this.storage.blobs.delete(previous.blobId);
    this.#cached = { number, der };
    return der;
  }

  /**
   * Writes the CRL state over the version read, or inserts the first one: either way, a rival write is a conflict.
   * The new CRL's blob is claimed and the one it replaces released in the same batch.
   */
  async #writeState(state: CrlState, version: number | undefined, previousBlobId: string | undefined): Promise<void> {
    const op: WriteOp =
      version === undefined
        ? { collection: 'pki_state', op: 'insert', doc: state }
        : { collection: 'pki_state', op: 'put', doc: state, expectedVersion: version };
    const { blobs } = this.storage;
    try {
      await this.storage.documents.applyAtomically([op, ...blobs.claim([state.blobId]), ...blobs.release(previousBlobId ? [previousBlobId] : [])]);
    } catch (error) {
      throw error instanceof DuplicateKeyError ? new VersionConflictError(error.collection, error.id) : error;
    }
  }
}

/** A revoked certificate's private key has no further use: the server-held copy goes. */
function unusedKeys(records: readonly CertificateRecord[], change: CredentialChange): string[] {
  return change.to === 'REVOKED' ? records.flatMap((record) => record.privateKeyBlobId ?? []) : [];
}
