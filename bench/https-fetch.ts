/**
 * A `fetch` over node:https for a server whose certificate comes from a CA made at run time (Node 20's fetch takes
 * no CA), optionally presenting a client certificate. Never follows redirects: the login driver reads `Location`.
 */
import https from 'node:https';

export interface TlsClient {
  /** The CA the server's certificate chains to. */
  ca: string;
  /** A client certificate and its key (an ID card). */
  cert?: string;
  key?: string;
  /** Connections to reuse; none (`false`): a new TLS connection, a full handshake, for each request. */
  agent: https.Agent | false;
}

/** Statuses whose Response may carry no body. */
const BODILESS = new Set([204, 205, 304]);

export function httpsFetch(tls: TlsClient) {
  return (url: string, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const req = https.request(url, { method: init.method ?? 'GET', headers, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? '']) answer.append(name, one);
          }
          const status = res.statusCode ?? 0;
          resolve(new Response(BODILESS.has(status) ? null : Buffer.concat(chunks), { status, headers: answer }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
}
