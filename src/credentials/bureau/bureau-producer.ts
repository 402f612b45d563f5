/**
 * A credential producer that forwards production to an upstream card bureau through the bureau's own OSIA CMS
 * interface: our credential request becomes a request at the bureau, our reads poll it, and the credentials it
 * issues are mirrored here; status changes and cancellations are forwarded before they are recorded locally.
 * Behaviour and failure handling: docs/behaviour/bureau.md.
 */
import type { Logger } from 'pino';
import { ConflictError } from '../../shared/domain-errors.js';
import type {
  CredentialChange,
  CredentialProducer,
  ProducedCredential,
  ProducerState,
  ProductionOrder,
  ProductionOutcome,
} from '../credential-producer.port.js';
import { type BureauEntry, DEFAULT_BUREAU_TIMEOUT_MS, readBureauToken } from './bureau-config.js';
import { UpstreamBureauError } from './bureau-errors.js';
import { OsiaCmsClient, type StatusAction, type UpstreamCredential, type UpstreamCredentialRequest } from './cms-client.js';

export interface BureauProducerOptions {
  /** The bureau's name in the catalogue: the producer's name, which profiles write in `producer:`. */
  name: string;
  entry: BureauEntry;
  /** Where `tokenEnv` is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

/** What the CMS keeps with a request produced by a bureau. */
interface RequestState extends ProducerState {
  bureau: string;
  upstreamRequestId: string;
  /** False while the bureau has not acknowledged the request (it was unreachable): the next poll submits again. */
  submitted: boolean;
}

const SIMPLE_ACTIONS: Partial<Record<string, StatusAction>> = {
  'ACTIVE>SUSPENDED': 'suspend',
  'SUSPENDED>ACTIVE': 'unsuspend',
  'ACTIVE>REVOKED': 'revoke',
  'SUSPENDED>REVOKED': 'revoke',
  'NEW>REVOKED': 'revoke',
};

/** Reads the bureau's token now (start-up), so that a missing secret stops the server rather than a request. */
export function createBureauProducer(options: BureauProducerOptions): CredentialProducer {
  const { name, entry } = options;
  const token = readBureauToken(name, entry, options.env);
  if (!isProtected(entry.url)) {
    options.log?.warn({ bureau: name }, 'credential bureau reached over plain HTTP: its bearer token travels in clear');
  }
  const client = new OsiaCmsClient({ bureau: name, url: entry.url, token, timeoutMs: entry.timeoutMs ?? DEFAULT_BUREAU_TIMEOUT_MS });
  return new BureauProducer(name, client, entry.requestIdPrefix ?? '', options.log);
}

/** HTTPS, or plain HTTP that never leaves the machine. */
function isProtected(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

class BureauProducer implements CredentialProducer {
  constructor(
    readonly name: string,
    private readonly client: OsiaCmsClient,
    private readonly requestIdPrefix: string,
    private readonly log: Logger | undefined,
  ) {}

  async produce(order: ProductionOrder): Promise<ProductionOutcome> {
    return this.#submit(order, this.requestIdPrefix + order.credentialRequestId);
  }

  async poll(order: ProductionOrder, state: ProducerState): Promise<ProductionOutcome> {
    const { upstreamRequestId, submitted } = this.#requestState(state);
    if (!submitted) return this.#submit(order, upstreamRequestId);
    let upstream: UpstreamCredentialRequest;
    try {
      upstream = await this.client.readCredentialRequest(upstreamRequestId, order.transactionId);
    } catch (err) {
      if (err instanceof UpstreamBureauError && err.upstreamStatus === 404) {
        return { status: 'FAILED', reason: `bureau ${this.name} no longer knows credential request ${upstreamRequestId}` };
      }
      return this.#stillPending(err, order, state);
    }
    return this.#outcomeOf(upstream, order, state);
  }

  /** Forwards the new content; refused (thrown) when the bureau refuses it or cannot be reached. */
  async updated(order: ProductionOrder, state: ProducerState): Promise<ProducerState | undefined> {
    const { upstreamRequestId, submitted } = this.#requestState(state);
    try {
      await this.client.updateCredentialRequest(upstreamRequestId, this.#upstreamRequest(order), order.transactionId);
    } catch (err) {
      // Never arrived: the next poll submits the new content.
      if (!(!submitted && err instanceof UpstreamBureauError && err.upstreamStatus === 404)) throw err;
    }
    return undefined;
  }

  /** Refused (thrown) when the bureau cannot confirm: a request cancelled here only would still be produced there. */
  async cancel(order: ProductionOrder, state: ProducerState): Promise<void> {
    const { upstreamRequestId } = this.#requestState(state);
    try {
      await this.client.cancelCredentialRequest(upstreamRequestId, order.transactionId);
    } catch (err) {
      // The submission never arrived: nothing to cancel there.
      if (!(err instanceof UpstreamBureauError && err.upstreamStatus === 404)) throw err;
    }
  }

  async statusChanged(change: CredentialChange): Promise<ProducerState | undefined> {
    const state = change.producerState ?? {};
    if (state.bureau !== this.name || typeof state.upstreamCredentialId !== 'string') {
      const origin = typeof state.bureau === 'string' ? `bureau ${state.bureau}` : 'another producer';
      throw new ConflictError(`credential ${change.credentialId} was produced by ${origin}, not by bureau ${this.name}`);
    }
    const upstreamId = state.upstreamCredentialId;
    const action = SIMPLE_ACTIONS[`${change.from}>${change.to}`];
    if (action) await this.client.changeCredentialStatus(upstreamId, action, change.reason, change.transactionId);
    else await this.client.setCredentialStatus(upstreamId, { status: change.to, reason: change.reason }, change.transactionId);
    return undefined;
  }

  /** Submits (or resubmits) the request; the bureau's 409 means an earlier attempt arrived, so it is read instead. */
  async #submit(order: ProductionOrder, upstreamRequestId: string): Promise<ProductionOutcome> {
    const state: RequestState = { bureau: this.name, upstreamRequestId, submitted: true };
    try {
      await this.client.createCredentialRequest(upstreamRequestId, this.#upstreamRequest(order), order.transactionId);
      return { status: 'PENDING', producerState: state };
    } catch (err) {
      if (!(err instanceof UpstreamBureauError)) throw err;
      if (err.upstreamStatus === 409) return this.#adopt(order, state);
      if (err.transient) return this.#stillPending(err, order, { ...state, submitted: false });
      return { status: 'FAILED', reason: err.message };
    }
  }

  /** The bureau already holds a request under our id: ours from an earlier attempt, unless it is someone else's. */
  async #adopt(order: ProductionOrder, state: RequestState): Promise<ProductionOutcome> {
    let upstream: UpstreamCredentialRequest;
    try {
      upstream = await this.client.readCredentialRequest(state.upstreamRequestId, order.transactionId);
      if (upstream.personId !== order.personId) {
        return {
          status: 'FAILED',
          reason: `bureau ${this.name} already holds credential request ${state.upstreamRequestId} for another person`,
        };
      }
    } catch (err) {
      return this.#stillPending(err, order, state);
    }
    return this.#outcomeOf(upstream, order, state);
  }

  /** The local outcome of the bureau's request; a failure to read its credentials keeps the request PENDING. */
  async #outcomeOf(upstream: UpstreamCredentialRequest, order: ProductionOrder, state: ProducerState): Promise<ProductionOutcome> {
    switch (upstream.status) {
      case 'ISSUED':
        try {
          const credentials = [];
          for (const id of upstream.credentialIds ?? []) {
            credentials.push(this.#mirror(await this.client.readCredential(id, order.transactionId)));
          }
          return { status: 'ISSUED', credentials };
        } catch (err) {
          return this.#stillPending(err, order, state);
        }
      case 'CANCELLED':
      case 'FAILED':
        return { status: 'FAILED', reason: `bureau ${this.name} reports credential request ${state.upstreamRequestId} ${upstream.status}` };
      default:
        return { status: 'PENDING', producerState: state };
    }
  }

  #mirror(upstream: UpstreamCredential): ProducedCredential {
    const copied = {
      credentialNumber: upstream.credentialNumber,
      serialNumber: upstream.serialNumber,
      issuedDate: upstream.issuedDate,
      expiryDate: upstream.expiryDate,
      issuingAuthority: upstream.issuingAuthority,
      issuingPlace: upstream.issuingPlace,
      others: upstream.others,
    };
    return {
      ...Object.fromEntries(Object.entries(copied).filter(([, value]) => value !== undefined)),
      // Later upstream changes are not mirrored: we drive them. NEW stays NEW; anything else was issued.
      status: upstream.status === 'NEW' ? 'NEW' : 'ACTIVE',
      producerState: { bureau: this.name, upstreamCredentialId: upstream.credentialId },
    };
  }

  /**
   * A failed call keeps the request PENDING and the next poll tries again: once the bureau has a request, only its
   * own verdict (or the CMS's timeout) ends it, not an outage or our expired token. Anything else is a bug: thrown.
   */
  #stillPending(err: unknown, order: ProductionOrder, state: ProducerState): ProductionOutcome {
    if (!(err instanceof UpstreamBureauError)) throw err;
    this.log?.warn(
      { bureau: this.name, credentialRequestId: order.credentialRequestId, failure: err.message },
      'credential bureau call failed; the request stays PENDING and is tried again on the next poll',
    );
    return { status: 'PENDING', producerState: state };
  }

  #upstreamRequest(order: ProductionOrder): UpstreamCredentialRequest {
    // The catalogue fills in upstreamProfileId (our id unless the profile names the bureau's).
    const upstreamProfileId = order.settings?.upstreamProfileId ?? order.requestData.credentialProfileId;
    return {
      personId: order.personId,
      biographicData: order.biographicData,
      ...(order.biometricData?.length ? { biometricData: order.biometricData } : {}),
      requestData: { ...order.requestData, credentialProfileId: upstreamProfileId },
    };
  }

  #requestState(state: ProducerState): RequestState {
    if (state.bureau !== this.name || typeof state.upstreamRequestId !== 'string') {
      throw new Error(`producer state of bureau ${this.name} expected, got one of ${String(state.bureau)}`);
    }
    return { bureau: this.name, upstreamRequestId: state.upstreamRequestId, submitted: state.submitted !== false };
  }
}
