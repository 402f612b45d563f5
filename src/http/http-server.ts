/**
 * The listening sockets: plain HTTP, or HTTPS when OSIA_TLS_CERT/OSIA_TLS_KEY are set, with mutual TLS when
 * OSIA_TLS_CA is set too (clients must present a certificate chaining to that CA; others are refused during the
 * handshake). Beside it, with OSIA_OIDC_CARD_PORT, the ID-card login listener.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Express } from 'express';
import type { Config } from '../config/config-options.js';

export type TlsConfig = Pick<Config, 'tlsCert' | 'tlsKey' | 'tlsCa'>;

export function createHttpServer(config: TlsConfig, app: Express): http.Server | https.Server {
  if (!config.tlsCert || !config.tlsKey) return http.createServer(app);
  const mutual = config.tlsCa !== undefined;
  return https.createServer(
    {
      cert: readFileSync(config.tlsCert),
      key: readFileSync(config.tlsKey),
      ca: mutual ? readFileSync(config.tlsCa as string) : undefined,
      requestCert: mutual,
      rejectUnauthorized: mutual,
      minVersion: 'TLSv1.2',
    },
    app,
  );
}

/**
 * The ID-card login listener: the same app over HTTPS, asking every client for a certificate of the CMS issuing CA
 * without refusing the handshake when it sends none or another: the login handler reads the certificate and Node's
 * verdict, and answers a page saying why it refuses (a failed handshake would leave the person a browser error).
 */
export function createCardServer(config: TlsConfig, issuingCaPem: string, app: Express): https.Server {
  return https.createServer(
    {
      cert: readFileSync(config.tlsCert as string),
      key: readFileSync(config.tlsKey as string),
      ca: issuingCaPem,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    app,
  );
}

export function schemeOf(config: TlsConfig): 'http' | 'https' {
  return config.tlsCert && config.tlsKey ? 'https' : 'http';
}
