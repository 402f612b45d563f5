/**
 * The CMS collections: credential requests (`cms_requests`) and credentials (`cms_credentials`). Free-form member
 * names are stored key-encoded (src/registry/stored-keys.ts) and decoded on the way out; the large binaries of a
 * request's biometricData live in the blob store (src/registry/binary-fields.ts).
 */
import { encodeKeys, decodeKeys } from '../registry/stored-keys.js';
import {
  type Collection,
  DuplicateKeyError,
  type Filter,
  type Storage,
  type StoredDocument,
  type WriteOp,
} from '../storage/document-store.port.js';
import type { StoredCredential, StoredRequest } from './credential-records.js';

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
    const stored = await this.requests.get(id);
    return stored && fromDocument<StoredRequest>(stored);
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
    const stored = await this.credentials.get(id);
    return stored && fromDocument<StoredCredential>(stored);
  }

  /** `filter` addresses stored (key-encoded) paths. */
  async findCredentials(filter: Filter): Promise<StoredCredential[]> {
    return (await this.credentials.find(filter)).map((record) => fromDocument<StoredCredential>(record));
  }

  /** Writes a request and the credentials made for it, all or nothing, with the blob claims and releases given. */
  async save(request: StoredRequest | undefined, credentials: readonly StoredCredential[] = [], blobOps: WriteOp[] = []): Promise<void> {
    const ops: WriteOp[] = [
      ...(request ? [{ collection: REQUESTS, op: 'put' as const, doc: toDocument(request) }] : []),
      ...credentials.map((doc) => ({ collection: CREDENTIALS, op: 'put' as const, doc: toDocument(doc) })),
      ...blobOps,
    ];
    if (ops.length === 1) {
      const [op] = ops as [Extract<WriteOp, { op: 'put' }>];
      await (op.collection === REQUESTS ? this.requests : this.credentials).put(op.doc);
    } else {
      await this.storage.documents.applyAtomically(ops);
    }
  }
}
