/**
 * The one place where failures become HTTP responses. Every 4xx/5xx leaves as the OSIA Error object
 * `{code, message}` (src/errors/osia-error.ts); internals (stack traces, driver messages) are logged, never sent.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import pino from 'pino';
import { HttpError } from '../errors/http-errors.js';
import { osiaErrorOf } from '../errors/osia-error.js';

export const errorMiddleware: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const { status, body, headers } = osiaErrorOf(err);
  // 501 is an answer, not a failure; anything else from 500 up deserves its stack in the log (never in the body).
  if (status >= 500 && status !== 501) req.log?.error({ failure: pino.stdSerializers.err(err as Error) }, 'request failed');
  res.status(status).set(headers).json(body);
};

/** The last handler of the app: anything that reached it matched no route. */
export const notFoundMiddleware: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No route for ${req.method} ${req.path}`));
};
