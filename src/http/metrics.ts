/** Prometheus metrics: request counts and latency per interface, operationId and status, plus process metrics. */
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { isServableInterface } from '../openapi/interfaces.js';
import { operationIdOf } from './request-logging.js';

export interface Metrics {
  registry: Registry;
  /** Middleware recording each request when its response is finished. */
  record: RequestHandler;
  /** `GET /metrics` */
  expose: RequestHandler;
}

/** Only known prefixes become label values, so that random URLs cannot blow up the series count. */
function interfaceOf(url: string): string {
  const prefix = url.split(/[/?]/)[1] ?? '';
  return isServableInterface(prefix) ? prefix : 'other';
}

export function createMetrics(): Metrics {
  // A registry per app (not the global one) so that several servers can live in one process, as in the tests.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['interface', 'operationId', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'osia_http_requests_total',
    help: 'HTTP requests answered, by OSIA interface, operationId and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'osia_http_request_duration_seconds',
    help: 'HTTP request latency, by OSIA interface, operationId and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const record: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const labels = {
        interface: interfaceOf(req.originalUrl),
        operationId: operationIdOf(req) ?? 'none',
        method: req.method,
        status: String(res.statusCode),
      };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };

  const expose: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };

  return { registry, record, expose };
}
