/**
 * The `gateway` engine: a vendor's OSIA ABIS behind our Biometrics interface. Each call goes to the vendor as the
 * same operation of abis.yaml (method and path read from our document), with its transactionId and other query
 * parameters and its JSON body. Without a public URL the vendor cannot call us back, so every call is synchronous
 * at the vendor (the task layer awaits `run`); with one, a call made with a callback is forwarded with a callback to
 * our relay (`start`), and the vendor's result reaches the task through the relay route (abis-relay.routes.ts).
 * Behaviour and failures: docs/behaviour/abis.md, "Gateway engine".
 */
import type { OpenApiDocument } from '../openapi/documents.js';
import { NotFoundError } from '../shared/domain-errors.js';
import { networkCause, UpstreamError } from '../shared/upstream-error.js';
import type { AbisAnswer, AbisCall, AbisEngine } from './abis-engine.port.js';
import { GatewayAnswers } from './gateway-answers.js';
import type { GatewayHttp, GatewayReply } from './gateway-http.js';
import { type ForwardedOperation, forwardedOperations, targetOf } from './gateway-operations.js';
import type { RelayAddresses } from './gateway-relay.js';

export interface GatewayAbisParts {
  /** Our abis.yaml. */
  document: OpenApiDocument;
  http: GatewayHttp;
  /** Present when the vendor can reach us (OSIA_PUBLIC_URL): calls with a callback then stay asynchronous there. */
  relay?: RelayAddresses;
}

export class GatewayAbis implements AbisEngine {
  readonly name = 'gateway';
  readonly start?: (call: AbisCall, taskId: string) => Promise<void>;
  readonly #answers: GatewayAnswers;
  readonly #operations: Map<string, ForwardedOperation>;

  constructor(private readonly parts: GatewayAbisParts) {
    this.#operations = forwardedOperations(parts.document);
    this.#answers = new GatewayAnswers(parts.document);
    const { relay } = parts;
    if (relay) {
      this.start = async (call, taskId) => {
        const forwarded = this.#operation(call.operationId);
        const reply = await this.#exchange(forwarded, call, relay.address(taskId, forwarded.operationId));
        this.#answers.acceptedBy(forwarded, reply);
      };
    }
  }

  async run(call: AbisCall): Promise<AbisAnswer> {
    const forwarded = this.#operation(call.operationId);
    return this.#answers.answerOf(forwarded, await this.#exchange(forwarded, call));
  }

  /** Whether the vendor may call back the result of that operation (the relay checks the address's operation). */
  forwards(operationId: string): boolean {
    return this.#operations.has(operationId);
  }

  /** The result a vendor's callback brought for a call of that operation, checked; its error is thrown as ours. */
  callbackPayload(operationId: string, mediaType: string, body: unknown): unknown {
    return this.#answers.payloadOf(this.#operation(operationId), mediaType, body);
  }

  #operation(operationId: string): ForwardedOperation {
    const forwarded = this.#operations.get(operationId);
    if (!forwarded) throw new NotFoundError(`abis.yaml has no operation ${operationId} to forward`);
    return forwarded;
  }

  async #exchange(forwarded: ForwardedOperation, call: AbisCall, callback?: string): Promise<GatewayReply> {
    try {
      return await this.parts.http.exchange(forwarded.method, targetOf(forwarded, call, callback), call.body);
    } catch (err) {
      const cause = networkCause(err, this.parts.http.timeoutMs);
      throw new UpstreamError(undefined, `the vendor ABIS did not answer ${forwarded.operationId} (${cause})`);
    }
  }
}
