/**
 * One HTTP exchange with the vendor's ABIS, with node:http(s) (fetch offers no client certificate without undici):
 * the bearer token, mutual TLS, one time limit for the whole exchange, and no redirects followed (a 3xx is an answer
 * like any other, so the token never travels elsewhere). Network failures are thrown as they come; the caller says
 * what they mean.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ConfigError } from '../config/config-options.js';

export interface GatewayHttpOptions {
  /** Base URL of the vendor's ABIS, without a trailing slash. */
  baseUrl: string;
  /** OSIA_ABIS_GATEWAY_TOKEN: the token, or the path of a file holding it. */
  token?: string;
  /** PEM files (paths) for mutual TLS and the CAs the vendor must chain to. */
  clientCert?: string;
  clientKey?: string;
  ca?: string;
  timeoutMs: number;
}

export interface GatewayReply {
  status: number;
  /** Without parameters, lower case; '' when absent. */
  mediaType: string;
  text: string;
}

/** The token itself, or the content of the file it names (secret files end with a newline). */
export function readGatewayToken(value: string): string {
  let token = value;
  if (existsSync(value)) {
    try {
      token = readFileSync(value, 'utf8');
    } catch (err) {
      throw new ConfigError(`OSIA_ABIS_GATEWAY_TOKEN: cannot read ${value} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  token = token.trim();
  if (!token || /\s/.test(token)) throw new ConfigError('OSIA_ABIS_GATEWAY_TOKEN must be one token without whitespace (or a file holding it)');
  return token;
}

function readPem(setting: string, file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

export class GatewayHttp {
  readonly #headers: Record<string, string>;
  readonly #tls: https.RequestOptions;

  /** Reads the token and the PEM files now (start-up): a missing one stops the server, not a request. */
  constructor(private readonly options: GatewayHttpOptions) {
    this.#headers = { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${readGatewayToken(options.token)}` } : {}) };
    const cert = readPem('OSIA_ABIS_GATEWAY_CLIENT_CERT', options.clientCert);
    const key = readPem('OSIA_ABIS_GATEWAY_CLIENT_KEY', options.clientKey);
    const ca = readPem('OSIA_ABIS_GATEWAY_CA', options.ca);
    this.#tls = { ...(cert && key ? { cert, key } : {}), ...(ca ? { ca } : {}) };
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** `target` is the path and query below the base URL. */
  exchange(method: string, target: string, body?: unknown): Promise<GatewayReply> {
    const url = new URL(`${this.options.baseUrl}${target}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { ...this.#headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) };
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method, headers, ...(secure ? this.#tls : {}) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          clearTimeout(timer);
          const mediaType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
          resolve({ status: response.statusCode ?? 0, mediaType, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(() => request.destroy(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' })), this.options.timeoutMs);
      request.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      request.end(payload);
    });
  }
}
