/**
 * A real HTTP(S) callback receiver on loopback (a notification subscriber, an ABIS client): records what the server
 * POSTs and answers with the status it is told.
 */
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The path and query the server POSTed to. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  /** Messages answered with a 2xx. */
  received: Received[];
  /** Every request, answered with a 2xx or not. */
  attempts: Received[];
  /** Status of the next answers (200 by default). */
  status: number;
  /** When set, decides the status of each request instead of `status`. */
  answer?: (message: Received) => number;
  /** While true, requests are read and never answered (a subscriber that hangs). */
  silent: boolean;
  /** Resolves with the messages sent for a subscription once `count` of them have arrived. */
  until(count: number, subscription: string): Promise<Received[]>;
  close(): Promise<void>;
}

/** With `tls`, an HTTPS receiver (which may demand a client certificate). */
export async function startReceiver(path = '/hook', tls?: https.ServerOptions): Promise<Receiver> {
  const received: Received[] = [];
  const attempts: Received[] = [];
  const waiters: { count: number; subscription: string; resolve: (all: Received[]) => void }[] = [];
  const of = (subscription: string) => received.filter((r) => r.headers['subscription-id'] === subscription);
  const receiver: Receiver = {
    url: '',
    received,
    attempts,
    status: 200,
    silent: false,
    until: (count, subscription) =>
      new Promise((resolve) => {
        if (of(subscription).length >= count) resolve(of(subscription));
        else waiters.push({ count, subscription, resolve });
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const handler: http.RequestListener = (req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      // JSON, or an HTML form (an OpenID back-channel logout token).
      const form = /^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '');
      const body = (form ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text)) as Record<string, unknown>;
      const message = { url: req.url ?? '', headers: req.headers, body };
      attempts.push(message);
      if (receiver.silent) return;
      res.statusCode = receiver.answer?.(message) ?? receiver.status;
      res.end();
      if (res.statusCode >= 300) return;
      received.push(message);
      for (const waiter of waiters.filter((w) => of(w.subscription).length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(of(waiter.subscription));
      }
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
