/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the store answers too). */
import express, { type Router } from 'express';
import type { DocumentStore } from '../storage/document-store.port.js';

export function healthRouter(store: DocumentStore): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ready', store: store.kind });
    } catch (err) {
      req.log.warn({ err }, 'store not reachable');
      res.status(503).json({ code: 503, message: `The ${store.kind} store is not reachable` });
    }
  });
  return router;
}
