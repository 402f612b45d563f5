/**
 * Optimistic concurrency for domain services: a read-modify-write task reads records with their versions and
 * writes them back with `expectedVersion`; when another request (in this process or another) changed one of them
 * meanwhile, the store refuses the batch and the task runs again on fresh data. After `attempts` refusals the
 * `VersionConflictError` goes up (the HTTP layer answers 409).
 */
import { VersionConflictError } from './document-store.port.js';

export async function retryOnConflict<T>(task: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= attempts) throw error;
    }
  }
}
