/** Sends one request to the target and reads the answer whole, whatever its media type. */
import type { Answer } from '../openapi/response-validator.js';
import type { SampleRequest } from './sample-request.js';

/** The answer as received; status 0 when the target did not answer. */
export type { Answer };

export interface ProbeRequest extends SampleRequest {
  token?: string;
}

export async function probe(baseUrl: string, request: ProbeRequest): Promise<Answer> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.Authorization = `Bearer ${request.token}`;
  let body: string | Uint8Array | undefined;
  if (request.body !== undefined) {
    body = Buffer.isBuffer(request.body)
      ? new Uint8Array(request.body)
      : typeof request.body === 'string' && !headers['Content-Type']?.includes('json')
        ? request.body
        : JSON.stringify(request.body);
  }
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${request.url}`, { method: request.method.toUpperCase(), headers, body });
  } catch (err) {
    // Status 0: no HTTP answer at all (refused, reset, TLS failure); every check then fails with the cause.
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return { status: 0, mediaType: '', body: `no answer: ${cause}` };
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = await response.text();
  let parsed: unknown = text;
  if (mediaType.includes('json') && text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, mediaType, body: parsed };
}

export function isOsiaError(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const { code, message } = body as Record<string, unknown>;
  return typeof code === 'number' && typeof message === 'string';
}

/** A short, single-line rendering of an answer for the report. */
export function describeAnswer(answer: Answer): string {
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return `${answer.status}${body ? ` ${body.replace(/\s+/g, ' ').slice(0, 120)}` : ''}`;
}
