/**
 * Structured JSON request logs (pino): one line per answered request, written when the answer is finished, with the
 * request id, operationId, transactionId, caller, status and duration, never the query string, headers or bodies
 * (those hold biographic data and tokens). Handlers log through `req.log`, whose lines carry the request id.
 *
 * Written here rather than with pino-http: on the hottest path pino-http made a child logger and ran its
 * serializers for every request (about 7 % of a readPerson's time); this builds one object per request, and the
 * child logger only when a handler asks for it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Request, RequestHandler, Response } from 'express';
import pino, { type Logger } from 'pino';
import '../auth/principal.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: the caller's `X-Request-Id` when well formed, else a new UUID. */
    id: string;
    /** A logger whose lines carry the request id. */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

/** The OpenAPI operation matched by the validator, if any. */
export function operationIdOf(req: IncomingMessage): string | undefined {
  // Set by express-openapi-validator once it has matched the request to an operation.
  return (req as { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;
}

/**
 * The subject of a verified client certificate that the listener requires (mutual TLS of API clients), e.g.
 * `CN=registry-client, O=Ministry`. Never that of the ID-card listener, which asks without requiring: a card's
 * certificate names its holder.
 */
function clientCertificateOf(req: IncomingMessage): string | undefined {
  const socket = req.socket as TLSSocket & { server?: { rejectUnauthorized?: boolean } };
  if (!socket.encrypted || !socket.authorized || socket.server?.rejectUnauthorized !== true) return undefined;
  const subject = socket.getPeerCertificate().subject as unknown as Record<string, string> | undefined;
  return subject && Object.entries(subject).map(([key, value]) => `${key}=${value}`).join(', ');
}

/**
 * The last segment of an event callback path (src/flows/subscriptions.ts) and of an ABIS relay path, under any
 * prefix (src/biometrics/gateway-relay.ts), is its secret: never logged.
 */
const CALLBACK_SECRET = /^(\/events\/v1\/[^/]+\/[^/]+\/)[^/]+/;
const RELAY_SECRET = /(\/relay\/v1\/tasks\/[^/]+\/[^/]+\/)[^/]+$/;

function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path.startsWith('/events/')) return path.replace(CALLBACK_SECRET, '$1[secret]');
  return path.includes('/relay/v1/tasks/') ? path.replace(RELAY_SECRET, '$1[secret]') : path;
}

function completionLine(req: Request, res: Response, milliseconds: number) {
  const transactionId = req.query?.transactionId;
  return {
    req: { id: req.id, method: req.method, path: pathOf(req.originalUrl) },
    res: { statusCode: res.statusCode },
    responseTime: milliseconds,
    operationId: operationIdOf(req),
    transactionId: typeof transactionId === 'string' ? transactionId.slice(0, 128) : undefined,
    subject: req.principal?.subject,
    client: req.principal?.client,
    clientCertificate: clientCertificateOf(req),
  };
}

export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      get: () => (child ??= logger.child({ req: { id, method: req.method, path: pathOf(req.originalUrl) } })),
      configurable: true,
    });
    res.once('close', () => {
      const status = res.statusCode;
      const milliseconds = Math.round(performance.now() - started);
      if (!res.writableFinished) {
        // The caller went away before the answer was sent: worth a line, not an alert.
        if (logger.isLevelEnabled('info')) logger.info(completionLine(req, res, milliseconds), `${req.method} aborted after ${milliseconds}ms`);
      } else if (status >= 500 && status !== 501) {
        // 501 answers an operation this server does not implement: an answer, not an incident to page anyone about.
        logger.error(completionLine(req, res, milliseconds), `${req.method} ${status} failed`);
      } else if (logger.isLevelEnabled('info')) {
        logger.info(completionLine(req, res, milliseconds), `${req.method} ${status} in ${milliseconds}ms`);
      }
    });
    next();
  };
}
