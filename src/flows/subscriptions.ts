/**
 * The subscriptions of the configured reactions. Each (component, event) has a callback address of its own,
 * `<public URL>/events/v1/<component>/<event>/<secret>`, where the secret is 32 random bytes kept in the store
 * (`flow_callbacks`, created once, shared by every process on the store): the address is stable across restarts,
 * so subscribing again on every start-up returns the same subscription (subscribe is idempotent on
 * topic + protocol + address), and only the engine that was given the address can call it (docs/security.md).
 *
 * On start, each subscription is made; the ones that fail (engine down) are tried again every `retryMs` until all
 * are made. The engine then posts its SubscriptionConfirmation to the callback, which confirms (event-callbacks.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { BackgroundJob } from '../shared/background-jobs.js';
import type { StoredDocument } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';
import type { EventEngine } from './event-engine.js';
import type { Component, EventType, Reaction } from './flow-config.js';


export const CALLBACKS: RecordSpec<CallbackRecord> = { name: 'flow_callbacks' };

export interface CallbackRecord extends StoredDocument {
  secret: string;
}

export interface Wiring {
  component: Component;
  event: Reaction;
  engine: EventEngine;
}

const keyOf = (component: string, event: string) => `${component}.${event}`;

export class CallbackAddresses {
  constructor(
    private readonly store: Store,
    private readonly callbacks: Records<CallbackRecord>,
    private readonly publicUrl: string,
  ) {}

  async address(component: Component, event: Reaction): Promise<string> {
    const secret = await this.#secret(keyOf(component, event));
    return `${this.publicUrl}/events/v1/${component}/${event}/${secret}`;
  }

  /** Whether `secret` is the one of that callback (compared in constant time). */
  async accepts(component: string, event: string, secret: string): Promise<boolean> {
    const record = await this.callbacks.get(keyOf(component, event));
    if (!record) return false;
    const expected = Buffer.from(record.secret);
    const given = Buffer.from(secret);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** The stored secret, made on first use; of two processes making it at once, the unique id keeps the first. */
  async #secret(key: string): Promise<string> {
    const existing = await this.callbacks.get(key);
    if (existing) return existing.secret;
    return (await this.store.getOrInsert(this.callbacks, { _id: key, secret: randomBytes(32).toString('base64url') })).secret;
  }
}

export interface SubscriptionJobParts {
  wiring: readonly Wiring[];
  addresses: CallbackAddresses;
  topics: Readonly<Record<EventType, string>>;
  policy: string | undefined;
  retryMs: number;
  logger: Logger;
}

/** Subscribes every configured reaction once the server listens (the engine may call the callback at once). */
export class SubscriptionJob implements BackgroundJob {
  readonly name = 'event subscriptions';
  #pending: Wiring[] = [];
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = true;

  constructor(private readonly parts: SubscriptionJobParts) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#pending = [...this.parts.wiring];
    this.#round = this.#attempt();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
  }

  /** Makes the subscriptions not made yet; resolves whether all are made. Tests call it directly. */
  async subscribeAll(): Promise<boolean> {
    const { addresses, topics, policy, logger } = this.parts;
    const left: Wiring[] = [];
    for (const wiring of this.#pending.length > 0 ? this.#pending : this.parts.wiring) {
      const { component, event, engine } = wiring;
      try {
        const topic = await engine.topic(topics[event]);
        await engine.subscribe(topic, await addresses.address(component, event), policy);
        logger.info({ component, event, engine: engine.name, topic: topics[event] }, 'event subscription made');
      } catch (err) {
        logger.warn({ err, component, event, engine: engine.name }, 'event subscription failed, tried again later');
        left.push(wiring);
      }
    }
    this.#pending = left;
    return left.length === 0;
  }

  async #attempt(): Promise<void> {
    const done = await this.subscribeAll();
    if (done || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#round = this.#attempt();
    }, this.parts.retryMs).unref();
  }
}
