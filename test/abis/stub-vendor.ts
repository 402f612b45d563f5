/**
 * A vendor's ABIS that says what the test tells it to, over real HTTP(S) on loopback: for the answers a real OSIA
 * ABIS would not give (5xx, 401, redirects, bodies that do not follow abis.yaml, silence). Records every request.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface VendorRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The client certificate's subject CN, over mutual TLS. */
  clientCn?: string;
}

export interface VendorReply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface StubVendor {
  /** Base URL with the ABIS prefix: `http://127.0.0.1:<port>/abis`. */
  url: string;
  requests: VendorRequest[];
  /** The answer to the next requests; `undefined` leaves them unanswered (a vendor that hangs). */
  reply: ((request: VendorRequest) => VendorReply) | undefined;
  close(): Promise<void>;
}

export const json = (status: number, value: unknown, contentType = 'application/json'): VendorReply => ({
  status,
  contentType,
  body: JSON.stringify(value),
});

export async function startStubVendor(tls?: https.ServerOptions): Promise<StubVendor> {
  const vendor: StubVendor = {
    url: '',
    requests: [],
    reply: () => ({ status: 204 }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const listener: http.RequestListener = (req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const peer = 'getPeerCertificate' in req.socket ? (req.socket as TLSSocket).getPeerCertificate() : undefined;
      const clientCn = peer?.subject?.CN;
      const request: VendorRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, text, clientCn: typeof clientCn === 'string' ? clientCn : undefined };
      vendor.requests.push(request);
      const answer = vendor.reply?.(request);
      if (!answer) return;
      res.writeHead(answer.status, { ...(answer.contentType ? { 'content-type': answer.contentType } : {}), ...answer.headers });
      res.end(answer.body);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vendor.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/abis`;
  return vendor;
}
