/**
 * A client of another system's OSIA Credential Management interface (cms.yaml 1.3.0), with Node's fetch. Every
 * call carries the transactionId and the bearer token, is limited by a timeout and does not follow redirects
 * (which could carry the token elsewhere). Anything but the expected 2xx becomes an UpstreamBureauError.
 */
import type { components } from '../../../generated/cms.js';
import { networkCause, upstreamMessage } from '../../shared/upstream-error.js';
import { UpstreamBureauError } from './bureau-errors.js';

export type UpstreamCredentialRequest = components['schemas']['CredentialRequest'];
export type UpstreamCredential = components['schemas']['CredentialData'];
export type StatusAction = 'suspend' | 'unsuspend' | 'revoke';

export interface CmsClientOptions {
  /** The bureau's name, for messages. */
  bureau: string;
  /** Base URL, prefix included; `/v1/...` is appended. */
  url: string;
  token: string;
  timeoutMs: number;
}

const REQUEST_STATUSES = new Set(['PENDING', 'ISSUED', 'CANCELLED', 'FAILED']);
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export class OsiaCmsClient {
  readonly #base: string;

  constructor(private readonly options: CmsClientOptions) {
    this.#base = options.url.replace(/\/+$/, '');
  }

  /** 201 → the bureau took it; its 409 (the id exists) surfaces as an UpstreamBureauError with upstreamStatus 409. */
  async createCredentialRequest(id: string, request: UpstreamCredentialRequest, transactionId: string): Promise<void> {
    await this.#call('POST', `/v1/credentialRequests/${encodeURIComponent(id)}`, transactionId, request);
  }

  async readCredentialRequest(id: string, transactionId: string): Promise<UpstreamCredentialRequest> {
    const body = await this.#call('GET', `/v1/credentialRequests/${encodeURIComponent(id)}`, transactionId);
    const valid =
      isObject(body) &&
      REQUEST_STATUSES.has(body.status as string) &&
      (body.credentialIds === undefined ||
        (Array.isArray(body.credentialIds) && body.credentialIds.every((c) => typeof c === 'string')));
    if (!valid) throw this.#unreadable('credential request');
    return body as UpstreamCredentialRequest;
  }

  async updateCredentialRequest(id: string, request: UpstreamCredentialRequest, transactionId: string): Promise<void> {
    await this.#call('PUT', `/v1/credentialRequests/${encodeURIComponent(id)}`, transactionId, request);
  }

  async cancelCredentialRequest(id: string, transactionId: string): Promise<void> {
    await this.#call('POST', `/v1/credentialRequests/${encodeURIComponent(id)}/cancel`, transactionId);
  }

  async readCredential(id: string, transactionId: string): Promise<UpstreamCredential> {
    const body = await this.#call('GET', `/v1/credentials/${encodeURIComponent(id)}`, transactionId);
    if (!isObject(body) || typeof body.credentialId !== 'string' || typeof body.status !== 'string') {
      throw this.#unreadable('credential');
    }
    return body as UpstreamCredential;
  }

  async changeCredentialStatus(id: string, action: StatusAction, reason: string | undefined, transactionId: string) {
    await this.#call('POST', `/v1/credentials/${encodeURIComponent(id)}/${action}`, transactionId, { reason });
  }

  async setCredentialStatus(id: string, change: { status: string; reason?: string }, transactionId: string) {
    await this.#call('POST', `/v1/credentials/${encodeURIComponent(id)}/status`, transactionId, change);
  }

  /** Performs one call; answers the parsed JSON body (undefined when there is none). */
  async #call(method: 'GET' | 'POST' | 'PUT', path: string, transactionId: string, body?: unknown): Promise<unknown> {
    const { bureau, token, timeoutMs } = this.options;
    const url = `${this.#base}${path}?transactionId=${encodeURIComponent(transactionId)}`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      throw new UpstreamBureauError(bureau, undefined, `bureau ${bureau} is unreachable (${method} ${path}: ${networkCause(err, timeoutMs)})`);
    }
    if (!response.ok) {
      const detail = upstreamMessage(parseJson(text)?.message) || response.statusText;
      throw new UpstreamBureauError(bureau, response.status, `bureau ${bureau} answered ${response.status} to ${method} ${path}${detail ? `: ${detail}` : ''}`);
    }
    if (text === '') return undefined;
    const parsed = parseJson(text);
    if (parsed === undefined) throw new UpstreamBureauError(bureau, response.status, `bureau ${bureau} answered ${method} ${path} with a body that is not JSON`);
    return parsed;
  }

  #unreadable(what: string): UpstreamBureauError {
    return new UpstreamBureauError(this.options.bureau, 200, `bureau ${this.options.bureau} answered a ${what} that does not follow OSIA`);
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
