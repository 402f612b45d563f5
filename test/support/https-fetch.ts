/**
 * fetch over node:https trusting one CA: for openid-client (its customFetch) and API calls to a test server whose
 * certificate our test CA signed. Node's own fetch takes its CAs only at start-up (NODE_EXTRA_CA_CERTS).
 */
import https from 'node:https';

export interface FetchInit {
  method?: string;
  headers?: Headers | Record<string, string>;
  body?: string | URLSearchParams | null;
}

export type TrustingFetch = (url: string | URL, init?: FetchInit) => Promise<Response>;

/**
 * A fetch that trusts `ca`, presents `client` (a certificate and its key) when a server asks, and follows no redirect.
 * By default each request has a connection of its own (a full handshake, as a card reader's session); the bench
 * passes a keep-alive agent for its other calls.
 */
export function fetchTrusting(ca: string, client?: { cert: string; key: string }, agent: https.Agent | false = false): TrustingFetch {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers) : init.headers;
      const req = https.request(url, { method: init.method ?? 'GET', headers, ca, ...client, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) answer.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
          const status = res.statusCode ?? 0;
          resolve(new Response([204, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: answer }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body === null || init.body === undefined ? undefined : String(init.body));
    });
}
