/**
 * Issued credentials: search, read, update of the writable fields, and status changes through the credential
 * status machine. The producer follows every status change before it is recorded (certificates, upstream bureau);
 * each change leaves an entry in the record's history (never answered).
 */
import { formatDateTime, normalizeDateTime, parseDateTime } from '../credentials/credential-dates.js';
import type { Clock } from '../shared/clock.js';
import type { CredentialStatus } from '../credentials/credential-producer.port.js';
import {
  CREDENTIAL_FIELDS,
  type CredentialData,
  osiaView,
  type StatusChange,
  type StoredCredential,
  WRITABLE_CREDENTIAL_FIELDS,
} from '../credentials/credential-records.js';
import type { Credentials } from '../credentials/open-credentials.js';
import { checkTransition, type StatusTarget, statusName } from '../credentials/credential-status.js';
import { ConflictError, InvalidError } from '../shared/domain-errors.js';
import { selectAttributes } from '../shared/select-attributes.js';
import { checkAttributes } from './attribute-selection.js';
import { type Expression, storeFilter } from './expressions.js';

const REQUIRED = ['credentialId', 'status', 'personId', 'credentialProfileId'];
const SEARCHABLE = new Set<string>(CREDENTIAL_FIELDS);

/** Who asked for a status change, and why (setCredentialStatus; suspend, unsuspend and revoke give a reason only). */
export interface ChangeContext {
  reason?: string;
  requester?: string;
  comment?: string;
  transactionId: string;
  /** The statuses the operation applies to (unsuspend: SUSPENDED only); others answer 409. */
  onlyFrom?: readonly CredentialStatus[];
  operation?: string;
}

export class CredentialService {
  constructor(
    private readonly credentials: Pick<Credentials, 'store' | 'producers'>,
    private readonly clock: Clock,
  ) {}

  /** findCredentials: no match is 200 with `[]`. */
  async find(expressions: readonly Expression[], attributes?: readonly string[]): Promise<CredentialData[]> {
    checkAttributes(attributes, CREDENTIAL_FIELDS);
    const records = await this.credentials.store.credentials.find(storeFilter(expressions, SEARCHABLE));
    return records.map((record) => this.#view(record, attributes));
  }

  async read(credentialId: string, attributes?: readonly string[]): Promise<CredentialData> {
    checkAttributes(attributes, CREDENTIAL_FIELDS);
    return this.#view(await this.credentials.store.credentials.load(credentialId), attributes);
  }

  /**
   * updateCredential: the writable fields present in the body replace the stored ones (absent ones are kept). The
   * request validator has already refused any read-only field, naming it. A REVOKED credential is final (409).
   * Written at the version read; a concurrent change makes it run again on fresh data (nothing external is told).
   */
  async update(credentialId: string, body: Record<string, unknown> | undefined, transactionId: string): Promise<{ personId: string }> {
    if (!body) throw new InvalidError('updateCredential needs a request body (CredentialData)');
    const { personId } = await this.credentials.store.credentials.change(credentialId, async (record) => {
      if (record.status === 'REVOKED') throw new ConflictError(`Credential ${credentialId} is REVOKED: it can no longer be updated`);
      const written = WRITABLE_CREDENTIAL_FIELDS.filter((field) => body[field] !== undefined).map((field) => [field, body[field]]);
      const next: StoredCredential = { ...record, ...Object.fromEntries(written), updatedAt: formatDateTime(this.clock()), transactionId };
      if (typeof body.expiryDate === 'string') {
        next.expiryDate = normalizeDateTime(body.expiryDate, 'expiryDate');
        if (record.issuedDate && parseDateTime(next.expiryDate, 'expiryDate') <= parseDateTime(record.issuedDate, 'issuedDate')) {
          throw new InvalidError(`expiryDate must be later than the issuedDate ${record.issuedDate}, got ${body.expiryDate}`);
        }
      }
      return next;
    });
    return { personId };
  }

  /**
   * Moves a credential to `target` (no change when it is there already); 409 when the status machine forbids it.
   * Resolves the holder.
   *
   * Written at the version read. When another change got there first, the whole change runs again on fresh data:
   * at the target already, it answers "no change"; no longer allowed, 409; otherwise the producer is told again,
   * from the fresh status. That repeat is wanted: statusChanged brings the producer to `to` whatever it was told
   * before, and the last call must match the last recorded change (a skipped one could leave certificates revoked
   * under an ACTIVE credential).
   */
  async changeStatus(credentialId: string, target: StatusTarget, context: ChangeContext): Promise<{ personId: string }> {
    const { personId } = await this.credentials.store.credentials.change(credentialId, async (record) => {
      const from: StatusTarget = { status: record.status, ...(record.statusOther ? { statusOther: record.statusOther } : {}) };
      const unchanged = from.status === target.status && from.statusOther === target.statusOther;
      if (!unchanged && context.onlyFrom && !context.onlyFrom.includes(from.status)) {
        throw new ConflictError(
          `Credential ${credentialId} is ${statusName(from)}: ${context.operation ?? 'this operation'} applies to a ${context.onlyFrom.join(' or ')} credential only`,
        );
      }
      if (checkTransition(credentialId, from, target)) return undefined;
      const { reason, requester, comment, transactionId } = context;
      const producer = this.credentials.producers.get(record.producer);
      const state = await producer.statusChanged?.({
        credentialId,
        transactionId,
        from: from.status,
        to: target.status,
        ...(reason !== undefined ? { reason } : {}),
        ...(record.producerState ? { producerState: record.producerState } : {}),
      });
      const time = formatDateTime(this.clock());
      const change: StatusChange = {
        time,
        from: from.status,
        to: target.status,
        ...(target.statusOther ? { statusOther: target.statusOther } : {}),
        ...(reason !== undefined ? { reason } : {}),
        ...(requester !== undefined ? { requester } : {}),
        ...(comment !== undefined ? { comment } : {}),
        transactionId,
      };
      const { statusOther: _previous, ...rest } = record;
      const next: StoredCredential = {
        ...rest,
        status: target.status,
        ...(target.statusOther ? { statusOther: target.statusOther } : {}),
        updatedAt: time,
        transactionId,
        ...(state ? { producerState: state } : {}),
        history: [...record.history, change],
      };
      return next;
    });
    return { personId };
  }

  #view(record: StoredCredential, attributes: readonly string[] | undefined): CredentialData {
    return selectAttributes(osiaView<CredentialData>(record, CREDENTIAL_FIELDS), attributes, REQUIRED);
  }
}
