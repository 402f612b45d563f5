/**
 * The periodic check of PENDING credential requests (bureau progress, timeout). Its timer never keeps the process
 * alive and stops when the store closes; tests drive `runPending()` directly instead of waiting for it.
 */
import type { Logger } from 'pino';
import type { DocumentStore } from '../storage/document-store.port.js';

export function startPendingSweep(
  documents: DocumentStore,
  intervalSeconds: number,
  runPending: () => Promise<void>,
  logger: Logger,
): void {
  if (intervalSeconds === 0) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runPending()
      .catch((err: unknown) => logger.error({ err }, 'credential request sweep failed'))
      .finally(() => {
        running = false;
      });
  }, intervalSeconds * 1000).unref();
  // The storage port has no close event: the sweep wraps the store's close to stop its timer first.
  const close = documents.close.bind(documents);
  documents.close = () => {
    clearInterval(timer);
    return close();
  };
}
