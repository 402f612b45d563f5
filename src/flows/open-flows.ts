/**
 * Builds the event flows of one app from the wiring file (`OSIA_EVENTS`) and the services the composition root
 * built: the PR's outbox relay, the subscriptions of the configured reactions, and their callbacks. Called only
 * when the file is given; what the file asks of an interface that is not served stops start-up.
 */
import type { Logger } from 'pino';
import type { CmsServices } from '../cms/cms-services.js';
import { ConfigError } from '../config/config-options.js';
import type { NotificationService } from '../notification/notification-service.js';
import { loadDocument } from '../openapi/documents.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { PrServices } from '../pr/pr-services.js';
import type { Clock } from '../shared/clock.js';
import { LeasedQueue } from '../storage/leased-queue.js';
import type { Store } from '../storage/store.js';
import { civilRegistryAt } from './civil-registry.js';
import { type EventEngine, localEngine, remoteEngine } from './event-engine.js';
import { EventCallbacks, HANDLED, type ReactionHandler } from './event-callbacks.js';
import { parseEvent } from './event-messages.js';
import { EventRelay } from './event-relay.js';
import type { Component, EngineConfig, FlowConfig, Reaction } from './flow-config.js';
import { PR_OUTBOX } from './pr-outbox.js';
import { CmsReactions, DUPLICATE_FLAGS, PrReactions } from './reactions.js';
import { CALLBACKS, CallbackAddresses, SubscriptionJob, type Wiring } from './subscriptions.js';

export interface EventFlowParts {
  flows: FlowConfig;
  store: Store;
  /** The services of the served interfaces (undefined when not served). */
  notification: NotificationService | undefined;
  pr: PrServices | undefined;
  cms: CmsServices | undefined;
  /** Base URL the engines reach this server at, for the callback addresses. */
  publicUrl: string;
  clock: Clock;
  logger: Logger;
}

export interface EventFlows {
  /** Publishes the PR's events; absent when the PR publishes none. */
  relay: EventRelay | undefined;
  /** Subscribes the reactions once the server listens; absent without reactions. */
  subscriptions: SubscriptionJob | undefined;
  callbacks: EventCallbacks | undefined;
}

const SERVED_AS: Record<Component, string> = { pr: 'the pr interface', cms: 'the cms interface' };

export async function openEventFlows(parts: EventFlowParts): Promise<EventFlows> {
  const { flows, store, pr, cms, clock, logger } = parts;
  const log = logger.child({ flows: true });
  const engineOf = (component: Component, engine: EngineConfig): EventEngine => {
    if (engine !== 'local') return remoteEngine(engine.url, engine.token);
    if (!parts.notification) throw new ConfigError(`OSIA_EVENTS: components.${component} uses the local engine, which needs the notification interface served (OSIA_INTERFACES)`);
    return localEngine(parts.notification);
  };
  const engines = new Map<Component, EventEngine>();
  for (const [component, served] of [['pr', pr], ['cms', cms]] as const) {
    const wanted = flows.components[component];
    if (!wanted) continue;
    if (!served) throw new ConfigError(`OSIA_EVENTS: components.${component} needs ${SERVED_AS[component]} served (OSIA_INTERFACES)`);
    engines.set(component, engineOf(component, wanted.engine));
  }

  const prEngine = engines.get('pr');
  const relay =
    prEngine && flows.components.pr?.publishes.length
      ? new EventRelay({
          outbox: new LeasedQueue(store, await store.records(PR_OUTBOX), { now: () => clock().getTime(), leaseMs: flows.relay.leaseMs }),
          engine: prEngine,
          topics: flows.topics,
          logger: log,
        })
      : undefined;

  const reactions = new Map<string, ReactionHandler>();
  if (pr && flows.components.pr) {
    const flags = await store.records(DUPLICATE_FLAGS);
    const civilRegistry = flows.liveBirth && civilRegistryAt(flows.liveBirth.civilRegistry);
    const react = new PrReactions(pr, flows, civilRegistry, store, flags, clock);
    const handlers: Record<Reaction<'pr'>, ReactionHandler> = {
      death: (text, tx) => react.death(parseEvent('death', text), tx),
      liveBirth: (text, tx) => react.liveBirth(parseEvent('liveBirth', text), tx),
      duplicatePerson: (text, tx) => react.duplicatePerson(parseEvent('duplicatePerson', text), tx),
    };
    for (const event of flows.components.pr.subscribes) reactions.set(`pr.${event}`, handlers[event]);
  }
  if (cms && flows.components.cms) {
    const react = new CmsReactions(cms, flows);
    for (const event of flows.components.cms.subscribes) reactions.set(`cms.${event}`, (text, tx) => react.death(parseEvent(event, text), tx));
  }
  if (reactions.size === 0) return { relay, subscriptions: undefined, callbacks: undefined };

  const addresses = new CallbackAddresses(store, await store.records(CALLBACKS), parts.publicUrl);
  const wiring: Wiring[] = [...reactions.keys()].map((key) => {
    const [component, event] = key.split('.') as [Component, Wiring['event']];
    return { component, event, engine: engines.get(component) as EventEngine };
  });
  const subscriptions = new SubscriptionJob({ wiring, addresses, topics: flows.topics, policy: flows.policy, retryMs: flows.subscribeRetryMs, logger: log });
  const notification = await loadDocument('notification');
  const callbacks = new EventCallbacks({
    addresses,
    engines,
    reactions,
    store,
    handled: await store.records(HANDLED),
    validator: createSchemaValidator(notification.document),
    source: flows.source,
    clock,
    logger: log,
  });
  return { relay, subscriptions, callbacks };
}
