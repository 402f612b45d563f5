/**
 * A callback POST (Notification's notificationCB, the ABIS result callbacks): the JSON body to the address with the
 * given headers (`content-type` application/json unless they name another). Any 2xx is success; any other status, a
 * refused connection or no answer within the timeout is a failed attempt. The address is checked again against the
 * resolved IP addresses just before connecting (a pinned DNS lookup), and https may present a client certificate.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressCheck } from './address-check.js';

export interface OutgoingMessage {
  address: string;
  headers: Record<string, string>;
  /** Sent as JSON; a Buffer holds JSON already and is sent as it is. */
  body: unknown;
}

export type SendOutcome = { ok: true } | { ok: false; reason: string };

/** What sends one message to its address (HTTP, email). */
export interface Sender {
  send(message: OutgoingMessage): Promise<SendOutcome>;
}

export interface HttpDeliveryOptions {
  check: AddressCheck;
  timeoutMs: number;
  clientCert?: string;
  clientKey?: string;
  ca?: string;
}

export class HttpDelivery {
  readonly #tls: https.RequestOptions;

  constructor(private readonly options: HttpDeliveryOptions) {
    const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file));
    this.#tls = {
      ...(options.clientCert ? { cert: read(options.clientCert), key: read(options.clientKey) } : {}),
      ...(options.ca ? { ca: read(options.ca) } : {}),
    };
  }

  send(message: OutgoingMessage): Promise<SendOutcome> {
    const url = new URL(message.address);
    const payload = Buffer.isBuffer(message.body) ? message.body : Buffer.from(JSON.stringify(message.body));
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (!this.options.check.hostAllowed(host)) return Promise.resolve({ ok: false, reason: `host ${host} not allowed` });
    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const list = addresses as LookupAddress[];
        const refused = list.find((entry) => !this.options.check.ipAllowed(entry.address, host));
        if (refused) return callback(new Error(`${hostname} resolves to a refused address ${refused.address}`), '', 0);
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        const first = list[0] as LookupAddress;
        callback(null, first.address, first.family);
      });
    };
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const request = transport.request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...message.headers, 'content-length': String(payload.length) },
          timeout: this.options.timeoutMs,
          lookup,
          ...(url.protocol === 'https:' ? this.#tls : {}),
        },
        (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          response.on('end', () => resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `status ${status}` }));
          response.on('error', (err) => resolve({ ok: false, reason: err.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      request.on('error', (err) => resolve({ ok: false, reason: err.message }));
      request.end(payload);
    });
  }
}
