/**
 * Per-client rate limiting (off unless OSIA_RATE_LIMIT is set): a fixed one-minute window per token client
 * (`azp`/`client_id`, else `sub`), or per IP address when there is no token. Over the limit: 429 with the OSIA
 * Error object and the standard RateLimit headers.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '../errors/http-errors.js';

export function clientRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const principal = req.principal;
      const client = principal?.client ?? principal?.subject;
      return client ? `client:${client}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next) => {
      next(new TooManyRequestsError(`Rate limit of ${perMinute} requests per minute exceeded; retry later`));
    },
  });
}
