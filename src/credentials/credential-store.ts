/**
 * The CMS collections: credential requests (`cms_requests`) and credentials (`cms_credentials`). Free-form member
 * names are stored key-encoded (src/shared/stored-keys.ts) and decoded on the way out; the large binaries of a
 * request's biometricData live in the blob store (src/shared/binary-fields.ts).
 */
import { encodeKeys, decodeKeys } from '../storage/stored-keys.js';
import {
  type Collection,
  DuplicateKeyError,
  type Filter,
  type Storage,
  type StoredDocument,
  type VersionedDocument,
  type WriteOp,
} from '../storage/document-store.port.js';
import type { StoredCredential, StoredRequest } from './credential-records.js';

/** A record with the version it was read at (see `Collection.getVersioned`). */
export interface Versioned<T> {
  record: T;
  version: number;
}

/**
 * A record to write: `version` is the one it was read at (the batch fails with VersionConflictError when another
 * writer changed it meanwhile); a record without one is new and inserted (DuplicateKeyError when the id exists).
 */
export interface Write<T> {
  record: T;
  version?: number;
}

const REQUESTS = 'cms_requests';
const CREDENTIALS = 'cms_credentials';

const toDocument = (record: StoredRequest | StoredCredential) => encodeKeys(record) as unknown as StoredDocument;
const fromDocument = <T>(document: StoredDocument) => decodeKeys(document) as unknown as T;

export class CredentialStore {
  private constructor(
    readonly storage: Storage,
    private readonly requests: Collection,
    private readonly credentials: Collection,
  ) {}

  static async open(storage: Storage): Promise<CredentialStore> {
    const { documents } = storage;
    const requests = await documents.collection(REQUESTS, [{ fields: ['status'] }, { fields: ['personId'] }]);
    const credentials = await documents.collection(CREDENTIALS, [
      { fields: ['personId'] },
      { fields: ['credentialNumber'] },
      { fields: ['status'] },
      { fields: ['credentialRequestId'] },
    ]);
    return new CredentialStore(storage, requests, credentials);
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    return (await this.getRequestVersioned(id))?.record;
  }

  async getRequestVersioned(id: string): Promise<Versioned<StoredRequest> | undefined> {
    return versioned(await this.requests.getVersioned(id));
  }

  /** Resolves false when the id is taken. The request's blobs are claimed with it. */
  async insertRequest(request: StoredRequest): Promise<boolean> {
    try {
      await this.storage.documents.applyAtomically([
        { collection: REQUESTS, op: 'insert', doc: toDocument(request) },
        ...this.storage.blobs.claim(request.blobIds),
      ]);
      return true;
    } catch (err) {
      if (err instanceof DuplicateKeyError) return false;
      throw err;
    }
  }

  async pendingRequestIds(): Promise<string[]> {
    return (await this.requests.find({ status: 'PENDING' })).map((record) => record._id);
  }

  async getCredential(id: string): Promise<StoredCredential | undefined> {
    return (await this.getCredentialVersioned(id))?.record;
  }

  async getCredentialVersioned(id: string): Promise<Versioned<StoredCredential> | undefined> {
    return versioned(await this.credentials.getVersioned(id));
  }

  /** `filter` addresses stored (key-encoded) paths. */
  async findCredentials(filter: Filter): Promise<StoredCredential[]> {
    return (await this.credentials.find(filter)).map((record) => fromDocument<StoredCredential>(record));
  }

  /**
   * Writes a request and the credentials made for it, all or nothing, each at the version it was read at (new
   * records inserted), with the blob claims and releases given: a record another writer changed meanwhile fails
   * the whole batch with VersionConflictError.
   */
  async save(
    request: Write<StoredRequest> | undefined,
    credentials: readonly Write<StoredCredential>[] = [],
    blobOps: WriteOp[] = [],
  ): Promise<void> {
    await this.storage.documents.applyAtomically([
      ...(request ? [writeOp(REQUESTS, request)] : []),
      ...credentials.map((credential) => writeOp(CREDENTIALS, credential)),
      ...blobOps,
    ]);
  }
}

function versioned<T>(stored: VersionedDocument | undefined): Versioned<T> | undefined {
  return stored && { record: fromDocument<T>(stored.doc), version: stored.version };
}

function writeOp(collection: string, { record, version }: Write<StoredRequest | StoredCredential>): WriteOp {
  const doc = toDocument(record);
  return version === undefined ? { collection, op: 'insert', doc } : { collection, op: 'put', doc, expectedVersion: version };
}
