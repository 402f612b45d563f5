/**
 * Small servers that prove the browser harness before the real pages exist: one says which client certificate
 * reached it over TLS, one is a WebAuthn relying party on http://localhost (a secure context) that checks, with
 * @simplewebauthn/server, what the page's script sends.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  type VerifiedAuthenticationResponse,
  type VerifiedRegistrationResponse,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { html } from '../../src/http/html.js';

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

async function listen(server: http.Server, scheme: 'http' | 'https'): Promise<PageServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // "localhost", not the address: WebAuthn needs a domain for its RP ID, and the test certificate names it.
    origin: `${scheme}://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** An HTTPS page that asks for a client certificate, takes any, and shows its subject's CN in `#subject`. */
export function startCertificatePage(tls: { cert: string; key: string }): Promise<PageServer> {
  const server = https.createServer({ ...tls, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const subject = peer.subject ? `CN=${peer.subject.CN}` : 'no certificate';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html`<!doctype html><title>Client certificate</title><p id="subject">${subject}</p>`.text);
  });
  return listen(server, 'https');
}

export interface PasskeyServer extends PageServer {
  registration?: VerifiedRegistrationResponse;
  authentication?: VerifiedAuthenticationResponse;
}

const RP_ID = 'localhost';
const PAGES = path.join(import.meta.dirname, 'pages');
const STATIC: Record<string, string> = { '/passkey.html': 'text/html; charset=utf-8', '/passkey.js': 'text/javascript; charset=utf-8' };

async function jsonBody<T>(req: http.IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

/** The relying party of passkey.html: one user, one credential, the last verified ceremonies kept for the test. */
export async function startPasskeyPages(): Promise<PasskeyServer> {
  let challenge = '';
  let credential: WebAuthnCredential | undefined;
  const state: PasskeyServer = { origin: '', close: async () => undefined };
  const expectations = () => ({ expectedChallenge: challenge, expectedOrigin: state.origin, expectedRPID: RP_ID, requireUserVerification: true });
  const ceremonies: Record<string, () => Promise<unknown>> = {
    '/register/options': async () => {
      const options = await generateRegistrationOptions({
        rpName: 'osia-server harness',
        rpID: RP_ID,
        userName: 'citizen',
        attestationType: 'none',
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      challenge = options.challenge;
      return options;
    },
    '/login/options': async () => {
      const options = await generateAuthenticationOptions({ rpID: RP_ID, userVerification: 'required' });
      challenge = options.challenge;
      return options;
    },
  };
  const server = http.createServer(async (req, res) => {
    const respond = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      const url = req.url ?? '/';
      const type = STATIC[url];
      const ceremony = ceremonies[url];
      if (type) {
        // The real pages' policy: no inline script, so the script file must be enough.
        res.writeHead(200, { 'content-type': type, 'content-security-policy': "default-src 'self'" });
        res.end(await readFile(path.join(PAGES, url)));
      } else if (ceremony) {
        respond(200, await ceremony());
      } else if (url === '/register') {
        state.registration = await verifyRegistrationResponse({ response: await jsonBody<RegistrationResponseJSON>(req), ...expectations() });
        credential = state.registration.registrationInfo?.credential;
        respond(200, { verified: state.registration.verified });
      } else if (url === '/login' && credential) {
        state.authentication = await verifyAuthenticationResponse({ response: await jsonBody<AuthenticationResponseJSON>(req), credential, ...expectations() });
        respond(200, { verified: state.authentication.verified });
      } else {
        respond(404, { error: 'not found' });
      }
    } catch (error) {
      respond(400, { verified: false, error: String(error) });
    }
  });
  Object.assign(state, await listen(server, 'http'));
  return state;
}
