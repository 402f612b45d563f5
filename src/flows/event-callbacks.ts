/**
 * The receiving end of the subscriptions: notificationCB as notification.yaml defines it (headers `message-type`,
 * `subscription-id`, `message-id`, `topic-id`; a `Message` body). A confirmation is confirmed with the engine that
 * sent it; a notification runs its reaction, and is answered only once the reaction is recorded:
 * - resolves: answer 200 (done, found done, or nothing to act on: logged, not retried forever);
 * - InvalidError: the input is garbage, 400 with the OSIA Error object;
 * - UnavailableError: the reaction failed, 503 so that the engine delivers it again.
 * Delivery is at least once: a message-id already handled (`flow_handled`) is acknowledged without acting again.
 */
import type { Logger } from 'pino';
import { DomainError, InvalidError, UnavailableError } from '../shared/domain-errors.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import type { Clock } from '../shared/clock.js';
import type { StoredDocument } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';
import type { EventEngine } from './event-engine.js';
import { parseEvent } from './event-messages.js';
import type { Component, Reaction } from './flow-config.js';
import type { Outcome } from './reactions.js';
import type { CallbackAddresses } from './subscriptions.js';


export const HANDLED: RecordSpec<HandledRecord> = { name: 'flow_handled' };

export interface HandledRecord extends StoredDocument {
  outcome: string;
  at: string;
}

/** A reaction of one component to one event type: the event JSON text in, the outcome out. */
export type ReactionHandler = (message: string, transactionId: string) => Promise<Outcome>;

export interface EventCallbacksParts {
  addresses: CallbackAddresses;
  /** The engine of each subscribed component, the one that confirms its subscriptions. */
  engines: ReadonlyMap<Component, EventEngine>;
  /** `component.event` → its reaction, for the configured subscriptions only. */
  reactions: ReadonlyMap<string, ReactionHandler>;
  store: Store;
  handled: Records<HandledRecord>;
  validator: SchemaValidator;
  /** Our own emitter id: an event we published ourselves is not reacted to. */
  source: string;
  clock: Clock;
  logger: Logger;
}

const MESSAGE_TYPES = ['SubscriptionConfirmation', 'Notification'];

export interface CallbackHeaders {
  'message-type'?: string;
  'message-id'?: string;
  'topic-id'?: string;
  'subscription-id'?: string;
}

export class EventCallbacks {
  constructor(private readonly parts: EventCallbacksParts) {}

  /** Whether the path names a configured callback with its secret (otherwise 404, saying nothing more). */
  async accepts(component: string, event: string, secret: string): Promise<boolean> {
    return this.parts.reactions.has(`${component}.${event}`) && this.parts.addresses.accepts(component, event, secret);
  }

  async handle(component: Component, event: Reaction, headers: CallbackHeaders, body: unknown): Promise<void> {
    const type = headers['message-type'];
    const messageId = headers['message-id'];
    if (!type || !MESSAGE_TYPES.includes(type)) throw new InvalidError(`header message-type must be one of ${MESSAGE_TYPES.join(', ')}`);
    if (!messageId) throw new InvalidError('header message-id is required');
    if (!headers['topic-id']) throw new InvalidError('header topic-id is required');
    const problems = this.parts.validator.check('Message', body);
    if (problems) throw new InvalidError(`the body is not a notification.yaml Message: ${problems}`);
    const message = body as { type: string; message: string; token?: string };
    if (message.type !== type) throw new InvalidError(`header message-type ${type} differs from the body's type ${message.type}`);
    const log = this.parts.logger.child({ component, event, messageId, topic: headers['topic-id'] });
    if (type === 'SubscriptionConfirmation') {
      if (!message.token) throw new InvalidError('a SubscriptionConfirmation needs its token');
      const { token } = message;
      const engine = this.parts.engines.get(component);
      const confirmed = engine !== undefined && (await this.#orRetry(log, () => engine.confirm(token)));
      // A repeated confirmation finds its token used: acknowledged, or the engine would send it again and again.
      log.info(confirmed ? 'event subscription confirmed' : 'event subscription confirmation refused by the engine (already used?)');
      return;
    }
    await this.#notification(component, event, messageId, message.message, log);
  }

  async #notification(component: Component, event: Reaction, messageId: string, text: string, log: Logger): Promise<void> {
    const key = `${component}.${event}.${messageId}`;
    if (await this.parts.handled.get(key)) return;
    const parsed = parseEvent(event, text);
    if (parsed.source !== undefined && parsed.source === this.parts.source) return;
    const reaction = this.parts.reactions.get(`${component}.${event}`);
    if (!reaction) throw new InvalidError(`no reaction of ${component} to ${event}`);
    const outcome = await this.#orRetry(log, () => reaction(text, `event-${messageId}`));
    if (outcome) log.warn({ reason: outcome }, 'event acknowledged without effect');
    else log.info('event reaction done');
    // Another delivery of the same message may have been handled meanwhile: its record stands.
    await this.parts.store.getOrInsert(this.parts.handled, { _id: key, outcome: outcome ?? 'done', at: this.parts.clock().toISOString() });
  }

  /** Runs the work; a failure that is not the caller's input becomes 503, so that the engine delivers again. */
  async #orRetry<T>(log: Logger, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof InvalidError) throw err;
      log.warn({ err }, 'event reaction failed: answered 503 for a retry');
      const reason = err instanceof DomainError ? err.message : 'the reaction could not be recorded';
      throw new UnavailableError(`${reason}; deliver again later`);
    }
  }
}
