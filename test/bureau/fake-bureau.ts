/**
 * A tiny OSIA CMS test double playing an upstream card bureau: it records every call it receives (path,
 * transactionId, Authorization header, body), keeps requests and credentials in memory, and can be told to answer
 * the next calls with an error, or not at all.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

export interface ReceivedCall {
  method: string;
  path: string;
  transactionId: unknown;
  authorization: string | undefined;
  body: unknown;
}

type Json = Record<string, unknown>;
interface HeldRequest {
  request: Json;
  status: 'PENDING' | 'ISSUED' | 'CANCELLED' | 'FAILED';
  credentialIds: string[];
}

export const BUREAU_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.bureau-token-sentinel.c2lnbmF0dXJl';

export class FakeBureau {
  readonly received: ReceivedCall[] = [];
  readonly requests = new Map<string, HeldRequest>();
  readonly credentials = new Map<string, Json>();
  /** How to answer the next calls, in order: a status and body, `hang` (never answer) or `pass` (as usual). */
  readonly script: Array<{ status: number; body?: Json; location?: string } | 'hang' | 'pass'> = [];
  #server!: Server;
  url = '';

  static async start(): Promise<FakeBureau> {
    const bureau = new FakeBureau();
    await bureau.#listen();
    return bureau;
  }

  /** The bureau finishes a request: one credential with these fields. */
  issue(requestId: string, credential: Json): string {
    const held = this.#held(requestId);
    const credentialId = `UP-${this.credentials.size + 1}`;
    const requestData = held.request.requestData as Json;
    this.credentials.set(credentialId, {
      credentialId,
      personId: held.request.personId,
      credentialProfileId: requestData.credentialProfileId,
      status: 'ACTIVE',
      ...credential,
    });
    held.status = 'ISSUED';
    held.credentialIds.push(credentialId);
    return credentialId;
  }

  setStatus(requestId: string, status: HeldRequest['status']): void {
    this.#held(requestId).status = status;
  }

  callsTo(pathPart: string): ReceivedCall[] {
    return this.received.filter((call) => call.path.includes(pathPart));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #held(requestId: string): HeldRequest {
    const held = this.requests.get(requestId);
    if (!held) throw new Error(`the fake bureau has no request ${requestId}`);
    return held;
  }

  async #listen(): Promise<void> {
    const app = express();
    app.use(express.json());
    app.use((req, res, next) => {
      this.received.push({
        method: req.method,
        path: req.path,
        transactionId: req.query.transactionId,
        authorization: req.headers.authorization,
        body: req.body,
      });
      const scripted = this.script.shift();
      if (scripted === 'hang') return;
      if (scripted && scripted !== 'pass') {
        if (scripted.location) res.location(scripted.location);
        res.status(scripted.status).json(scripted.body ?? {});
        return;
      }
      if (req.headers.authorization !== `Bearer ${BUREAU_TOKEN}`) {
        res.status(401).json({ code: 401, message: 'unknown token' });
        return;
      }
      next();
    });
    const notFound = (res: express.Response) => res.status(404).json({ code: 404, message: 'unknown id' });
    app.post('/cms/v1/credentialRequests/:id', (req, res) => {
      if (this.requests.has(req.params.id)) {
        res.status(409).json({ code: 409, message: 'credential request exists' });
        return;
      }
      this.requests.set(req.params.id, { request: req.body, status: 'PENDING', credentialIds: [] });
      res.status(201).end();
    });
    app.get('/cms/v1/credentialRequests/:id', (req, res) => {
      const held = this.requests.get(req.params.id);
      if (!held) return notFound(res);
      res.json({ ...held.request, credentialRequestId: req.params.id, status: held.status, credentialIds: held.credentialIds });
    });
    app.put('/cms/v1/credentialRequests/:id', (req, res) => {
      const held = this.requests.get(req.params.id);
      if (!held) return notFound(res);
      if (held.status !== 'PENDING') {
        res.status(409).json({ code: 409, message: `credential request is ${held.status}` });
        return;
      }
      held.request = req.body;
      res.status(204).end();
    });
    app.post('/cms/v1/credentialRequests/:id/cancel', (req, res) => {
      const held = this.requests.get(req.params.id);
      if (!held) return notFound(res);
      held.status = 'CANCELLED';
      res.status(204).end();
    });
    app.get('/cms/v1/credentials/:id', (req, res) => {
      const credential = this.credentials.get(req.params.id);
      if (!credential) return notFound(res);
      res.json(credential);
    });
    const statusOf: Record<string, string> = { suspend: 'SUSPENDED', unsuspend: 'ACTIVE', revoke: 'REVOKED' };
    app.post('/cms/v1/credentials/:id/:action', (req, res) => {
      const credential = this.credentials.get(req.params.id);
      if (!credential) return notFound(res);
      credential.status = statusOf[req.params.action] ?? (req.body as Json).status;
      res.status(204).end();
    });
    await new Promise<void>((resolve) => {
      this.#server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/cms`;
  }
}
