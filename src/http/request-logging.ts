/**
 * Structured JSON request logs (pino). A line carries the request id, operationId, transactionId, status and
 * duration, never the query string, headers or bodies: those hold biographic data and tokens.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import pino, { type Logger } from 'pino';
import '../auth/principal.js';
import { pinoHttp } from 'pino-http';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

/** The OpenAPI operation matched by the validator, if any. */
export function operationIdOf(req: IncomingMessage): string | undefined {
  // Set by express-openapi-validator once it has matched the request to an operation.
  return (req as { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;
}

/** The subject of a verified client certificate (mutual TLS), e.g. `CN=registry-client, O=Ministry`. */
function clientCertificateOf(req: IncomingMessage): string | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted || !socket.authorized) return undefined;
  const subject = socket.getPeerCertificate().subject as unknown as Record<string, string> | undefined;
  return subject && Object.entries(subject).map(([key, value]) => `${key}=${value}`).join(', ');
}

function operationFields(req: IncomingMessage) {
  const transactionId = (req as Request).query?.transactionId;
  const principal = (req as Request).principal;
  return {
    operationId: operationIdOf(req),
    transactionId: typeof transactionId === 'string' ? transactionId.slice(0, 128) : undefined,
    subject: principal?.subject,
    client: principal?.client,
    clientCertificate: clientCertificateOf(req),
  };
}

/** The last segment of an event callback path is its secret (src/flows/subscriptions.ts): never logged. */
const CALLBACK_SECRET = /^(\/events\/v1\/[^/]+\/[^/]+\/)[^/]+/;

export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // The operation is only known once the validator has run, so it is added to the completion line.
    customSuccessObject: (req, _res, line) => ({ ...line, ...operationFields(req) }),
    customErrorObject: (req, _res, _err, line) => ({ ...line, ...operationFields(req) }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0]?.replace(CALLBACK_SECRET, '$1[secret]'),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // The completion line only needs to say that the request failed; the error middleware logs real failures.
      err: (err: Error) => ({ type: err.name, message: err.message }),
    },
    customSuccessMessage: (req, res, responseTime) => `${req.method} ${res.statusCode} in ${responseTime}ms`,
    customErrorMessage: (req, res) => `${req.method} ${res.statusCode} failed`,
    // 501 answers an operation this server does not implement: an answer, not an incident to page anyone about.
    customLogLevel: (_req, res, err) => (res.statusCode !== 501 && (err || res.statusCode >= 500) ? 'error' : 'info'),
  });
}
