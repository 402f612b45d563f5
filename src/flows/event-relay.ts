/**
 * Publishes the PR's outbox (see pr-outbox.ts), oldest first, through the leased queue (src/storage/leased-queue.ts):
 * each record is claimed at the version it was read (of several processes on one store, one claims it), published,
 * then deleted at the version the claim wrote. A process that dies after publishing but before the delete leaves
 * the record to be published again once its lease runs out: at least once, never lost. An engine that fails ends
 * the round; the record waits for its lease, so a dead engine is not called in a busy loop.
 */
import type { Logger } from 'pino';
import type { LeasedQueue } from '../storage/leased-queue.js';
import type { EventEngine } from './event-engine.js';
import type { EventType } from './flow-config.js';
import type { OutboxRecord } from './pr-outbox.js';

export interface EventRelayParts {
  /** The PR outbox, claimed for as long as a publish may take. */
  outbox: LeasedQueue<OutboxRecord>;
  engine: EventEngine;
  topics: Readonly<Record<EventType, string>>;
  logger: Logger;
}

export class EventRelay {
  /** Topic uuids by event type, asked of the engine once (createTopic is idempotent). */
  readonly #topics = new Map<EventType, string>();

  constructor(private readonly parts: EventRelayParts) {}

  /** One round: publishes what is due; resolves how many events it published. */
  runOnce(): Promise<number> {
    return this.parts.outbox.workEach({}, (record) => this.#publish(record), (err, record) => {
      this.#topics.clear();
      this.parts.logger.warn({ err, engine: this.parts.engine.name, event: record.type }, 'event relay: publish failed, tried again later');
      return undefined;
    });
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
}
