/**
 * In-process domain events: how one interface lets other parts of the server react to what happened (an
 * enrolment was finalised …) without importing them. Listeners run in registration order and are awaited, so that
 * the request that caused an event answers once its reactions have been recorded.
 */
import type { Logger } from 'pino';

export interface DomainEvents {
  /** An enrolment reached FINALIZED (by `finalize=true` or by finalizeEnrollment), or was finalised again. */
  enrollmentFinalized: { enrollmentId: string; transactionId: string };
}

type Listener<K extends keyof DomainEvents> = (event: DomainEvents[K]) => Promise<void>;

export class EventBus {
  readonly #listeners = new Map<keyof DomainEvents, Listener<never>[]>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof DomainEvents>(name: K, listener: Listener<K>): void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener as Listener<never>]);
  }

  /**
   * Runs every listener. A failing listener is logged and does not stop the others nor fail the emitter: each
   * reaction records its own failure where its users can see it.
   */
  async emit<K extends keyof DomainEvents>(name: K, event: DomainEvents[K]): Promise<void> {
    for (const listener of (this.#listeners.get(name) ?? []) as Listener<K>[]) {
      try {
        await listener(event);
      } catch (err) {
        this.log.error({ err, event: name }, 'event listener failed');
      }
    }
  }
}
