/**
 * What the vendor's answers mean for our caller. A refusal of the request itself (400, 404, 409) is relayed with the
 * vendor's message as our own refusal; anything else that is not the documented success — 401/403 (our credentials:
 * a configuration fault), another 4xx, a 5xx, a redirect, a body that is not JSON or does not follow abis.yaml — is
 * an upstream failure (502). No vendor payload reaches our caller before it validated against abis.yaml.
 */
import type { OpenApiDocument } from '../openapi/documents.js';
import { createResponseValidator, type ResponseValidator } from '../openapi/response-validator.js';
import { ConflictError, type DomainError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { UpstreamError, upstreamMessage } from '../shared/upstream-error.js';
import type { AbisAnswer } from './abis-engine.port.js';
import type { GatewayReply } from './gateway-http.js';
import type { ForwardedOperation } from './gateway-operations.js';

const REFUSALS: Record<number, new (message: string) => DomainError> = { 400: InvalidError, 404: NotFoundError, 409: ConflictError };

const isJson = (mediaType: string) => /^application\/([\w.-]+\+)?json$/.test(mediaType);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The vendor's failure (an HTTP status, or the `code` of an Error its callback sent) as our domain error. */
export function vendorFailure(operationId: string, status: number, message: unknown): DomainError {
  const detail = upstreamMessage(message);
  const Refusal = REFUSALS[status];
  if (Refusal) return new Refusal(detail || `the vendor ABIS refused ${operationId} (${status})`);
  const why = status === 401 || status === 403 ? 'refused our credentials' : 'failed';
  return new UpstreamError(status, `the vendor ABIS ${why} (${status}) on ${operationId}${detail ? `: ${detail}` : ''}`);
}

export class GatewayAnswers {
  readonly #validator: ResponseValidator;

  constructor(document: OpenApiDocument) {
    this.#validator = createResponseValidator(document);
  }

  /** The synchronous answer: the documented success, checked, or the error it stands for (thrown). */
  answerOf(forwarded: ForwardedOperation, reply: GatewayReply): AbisAnswer {
    const body = this.#checked(forwarded, reply, forwarded.successStatus);
    return forwarded.successStatus === 204 ? {} : { body };
  }

  /** The answer to a call with a callback: 202 and a TaskId, or the error it stands for (thrown). */
  acceptedBy(forwarded: ForwardedOperation, reply: GatewayReply): void {
    this.#checked(forwarded, reply, 202);
  }

  /**
   * The payload a vendor's callback brought: for the 204 operations nothing (the task layer sends "OK" on), else
   * the JSON checked against the callback's schema; an `application/error+json` Error is thrown as our error.
   */
  payloadOf(forwarded: ForwardedOperation, mediaType: string, body: unknown): unknown {
    const { operationId } = forwarded;
    if (mediaType === 'application/error+json') {
      const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
      throw vendorFailure(operationId, typeof code === 'number' ? code : 500, message);
    }
    const problem = forwarded.callbackSchema ? this.#validator.checkSchema(forwarded.callbackSchema, body) : '';
    if (problem) throw this.#unreadable(operationId, `a callback that does not follow abis.yaml (${problem})`, 200);
    return forwarded.successStatus === 204 ? undefined : body;
  }

  #checked(forwarded: ForwardedOperation, reply: GatewayReply, expected: number): unknown {
    const { operationId, operation } = forwarded;
    const body = isJson(reply.mediaType) ? parse(reply.text) : undefined;
    if (reply.status >= 400) throw vendorFailure(operationId, reply.status, (body as { message?: unknown } | undefined)?.message);
    if (reply.status !== expected) throw this.#unreadable(operationId, `${reply.status} where ${expected} was expected`, reply.status);
    if (expected === 204) return undefined;
    if (body === undefined) throw this.#unreadable(operationId, 'a body that is not JSON', reply.status);
    const problem = this.#validator.check(operation, { status: reply.status, mediaType: reply.mediaType, body });
    if (problem) throw this.#unreadable(operationId, `an answer that does not follow abis.yaml (${problem})`, reply.status);
    return body;
  }

  #unreadable(operationId: string, what: string, status: number): UpstreamError {
    return new UpstreamError(status, `the vendor ABIS answered ${operationId} with ${upstreamMessage(what)}`);
  }
}
