/**
 * The CMS aggregates and their repositories. A credential request (`cms_requests`) is written together with the
 * credentials its settlement issues (`cms_credentials`); a credential changes alone (its fields, its status with
 * history). Member names are key-encoded and a request's large binaries live in the blob store: the unit of work
 * does both (src/storage/store.ts). A change is `change(id, mutate)`: the record read at its version, mutated, written
 * in one commit, and all of it again on fresh data when another writer got there first (`Store.change`).
 */
import { NotFoundError } from '../shared/domain-errors.js';
import { type Filter, StoreConflictError, type StoredRecord } from '../storage/document-store.port.js';
import { identityBinaries, type RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Operation, Store } from '../storage/store.js';
import type { CredentialStatus } from './credential-producer.port.js';
import type { StoredCredential, StoredRequest } from './credential-records.js';

const REQUESTS: RecordSpec<StoredRequest> = {
  name: 'cms_requests',
  indexes: [{ fields: ['status'] }, { fields: ['personId'] }],
  encodedKeys: true,
  binaries: identityBinaries(),
};

const CREDENTIALS: RecordSpec<StoredCredential> = {
  name: 'cms_credentials',
  indexes: [{ fields: ['personId'] }, { fields: ['credentialNumber'] }, { fields: ['status'] }, { fields: ['credentialRequestId'] }],
  encodedKeys: true,
};

/** What a change of a request writes: its next state, and the credentials issued with it (new records). */
export interface RequestChange {
  request: StoredRequest;
  issued?: readonly StoredCredential[];
}

/** A status change of a credential, as it commits. */
export interface CredentialStatusChange {
  credentialId: string;
  personId: string;
  from: CredentialStatus;
  to: CredentialStatus;
}

/**
 * Writes to add to the commit of every status change of a credential (an outbox): what they record commits with the
 * change, or not at all.
 */
export type CredentialStatusRecorder = (change: CredentialStatusChange) => Operation[];

export interface CredentialStore {
  requests: CredentialRequests;
  credentials: IssuedCredentials;
}

export async function openCredentialStore(store: Store, recordStatusChange?: CredentialStatusRecorder): Promise<CredentialStore> {
  const [requests, credentials] = await Promise.all([store.records(REQUESTS), store.records(CREDENTIALS)]);
  return {
    requests: new CredentialRequests(store, requests, credentials),
    credentials: new IssuedCredentials(store, credentials, recordStatusChange),
  };
}

export class CredentialRequests {
  constructor(
    private readonly store: Store,
    private readonly requests: Records<StoredRequest>,
    private readonly credentials: Records<StoredCredential>,
  ) {}

  get(id: string): Promise<StoredRequest | undefined> {
    return this.requests.get(id);
  }

  async load(id: string): Promise<StoredRequest> {
    return found(await this.get(id), requestNotFound(id));
  }

  async pendingIds(): Promise<string[]> {
    return (await this.requests.select({ status: 'PENDING' }, ['_id'])).map(({ _id }) => _id);
  }

  /** Inserts a new request; resolves false when its id is taken (the store's key decides, across processes). */
  async insert(request: StoredRequest): Promise<boolean> {
    try {
      await this.store.commit([this.requests.insert(request)]);
      return true;
    } catch (err) {
      if (err instanceof StoreConflictError) return false;
      throw err;
    }
  }

  /** Changes the request as `mutate` says (undefined: no write); resolves the request as it stands afterwards. */
  change(id: string, mutate: (current: StoredRequest) => Promise<RequestChange | undefined>): Promise<StoredRequest> {
    return changeAt(this.store, this.requests, requestNotFound(id), id, async (current) => {
      const change = await mutate(current);
      return change && { next: change.request, with: (change.issued ?? []).map((credential) => this.credentials.insert(credential)) };
    });
  }
}

export class IssuedCredentials {
  constructor(
    private readonly store: Store,
    private readonly credentials: Records<StoredCredential>,
    private readonly recordStatusChange?: CredentialStatusRecorder,
  ) {}

  get(id: string): Promise<StoredCredential | undefined> {
    return this.credentials.get(id);
  }

  async load(id: string): Promise<StoredCredential> {
    return found(await this.get(id), credentialNotFound(id));
  }

  /** `filter` addresses stored (key-encoded) paths. */
  find(filter: Filter): Promise<StoredCredential[]> {
    return this.credentials.find(filter);
  }

  /**
   * Changes the credential as `mutate` says (undefined: no write), with what the recorder adds for a status change;
   * resolves it as it stands afterwards.
   */
  change(id: string, mutate: (current: StoredCredential) => Promise<StoredCredential | undefined>): Promise<StoredCredential> {
    return changeAt(this.store, this.credentials, credentialNotFound(id), id, async (current) => {
      const next = await mutate(current);
      if (!next) return undefined;
      const { personId, status: from } = current;
      const recorded = next.status === from ? [] : (this.recordStatusChange?.({ credentialId: id, personId, from, to: next.status }) ?? []);
      return { next, with: recorded };
    });
  }
}

const requestNotFound = (id: string) => `Credential request ${id} not found`;
const credentialNotFound = (id: string) => `Credential ${id} not found`;

function found<T>(record: T | undefined, notFound: string): T {
  if (!record) throw new NotFoundError(notFound);
  return record;
}

/** Reads `id` at its version, lets `mutate` decide, and commits the record with the operations that go with it. */
function changeAt<T extends StoredRecord>(
  store: Store,
  records: Records<T>,
  notFound: string,
  id: string,
  mutate: (current: T) => Promise<{ next: T; with: Operation[] } | undefined>,
): Promise<T> {
  return store.change(async () => {
    const read = found(await records.getVersioned(id), notFound);
    const change = await mutate(read.record);
    if (!change) return read.record;
    await store.commit([records.put(change.next, read), ...change.with]);
    return change.next;
  });
}
