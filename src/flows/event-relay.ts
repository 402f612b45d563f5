/**
 * Publishes the PR's outbox (see pr-outbox.ts), oldest first. Each record is claimed with a lease written at the
 * version it was read (compare-and-set through the store, so of several processes on one store one claims it),
 * published, then deleted at the version the claim wrote. A process that dies after publishing but before the
 * delete leaves the record to be published again once its lease runs out: at least once, never lost. An engine
 * that fails ends the round; the record waits for its lease, so a dead engine is not called in a busy loop.
 */
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import { type Collection, type DocumentStore, VersionConflictError, type WriteOp } from '../storage/document-store.port.js';
import type { EventEngine } from './event-engine.js';
import type { EventType } from './flow-config.js';
import { type OutboxRecord, PR_OUTBOX } from './pr-outbox.js';

export interface EventRelayParts {
  documents: DocumentStore;
  outbox: Collection<OutboxRecord>;
  engine: EventEngine;
  topics: Readonly<Record<EventType, string>>;
  leaseMs: number;
  clock: Clock;
  logger: Logger;
}

/** Records looked at per round. */
const ROUND = 100;

export class EventRelay {
  /** Topic uuids by event type, asked of the engine once (createTopic is idempotent). */
  readonly #topics = new Map<EventType, string>();

  constructor(private readonly parts: EventRelayParts) {}

  /** One round: publishes what is due; resolves how many events it published. */
  async runOnce(): Promise<number> {
    const { outbox, clock } = this.parts;
    const due = await outbox.find({ leaseUntil: { $lte: clock().getTime() } }, { limit: ROUND });
    let published = 0;
    for (const { _id } of due) {
      const claimed = await this.#claim(_id);
      if (!claimed) continue;
      try {
        await this.#publish(claimed.record);
      } catch (err) {
        this.#topics.clear();
        this.parts.logger.warn({ err, engine: this.parts.engine.name, event: claimed.record.type }, 'event relay: publish failed, tried again later');
        return published;
      }
      published += 1;
      await this.#write({ collection: PR_OUTBOX.name, op: 'delete', id: _id, expectedVersion: claimed.version });
    }
    return published;
  }

  /** The record leased to this round at its next version, or undefined when it is gone or held elsewhere. */
  async #claim(id: string): Promise<{ record: OutboxRecord; version: number } | undefined> {
    const now = this.parts.clock().getTime();
    const current = await this.parts.outbox.getVersioned(id);
    if (!current || current.doc.leaseUntil > now) return undefined;
    const record = { ...current.doc, leaseUntil: now + this.parts.leaseMs };
    const written = await this.#write({ collection: PR_OUTBOX.name, op: 'put', doc: record, expectedVersion: current.version });
    return written ? { record, version: current.version + 1 } : undefined;
  }

  async #publish(record: OutboxRecord): Promise<void> {
    const { engine, topics } = this.parts;
    let topic = this.#topics.get(record.type);
    if (topic === undefined) {
      topic = await engine.topic(topics[record.type]);
      this.#topics.set(record.type, topic);
    }
    await engine.publish(topic, record.message, record.type);
  }

  /** False when another process changed the record first. */
  async #write(op: WriteOp): Promise<boolean> {
    try {
      await this.parts.documents.applyAtomically([op]);
      return true;
    } catch (err) {
      if (err instanceof VersionConflictError) return false;
      throw err;
    }
  }
}
