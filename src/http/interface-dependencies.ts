import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config-options.js';
import type { Clock } from '../credentials/credential-dates.js';
import type { EventBus } from '../events/event-bus.js';
import type { LoadedDocument } from '../openapi/documents.js';
import type { ProfileSettings } from '../profile/profile-settings.js';
import type { Storage } from '../storage/document-store.port.js';
import type { BackgroundJobs } from './background-jobs.js';
import type { SharedInstances } from './shared-instances.js';

/** What an interface's handler factory may use; the composition root (`src/app.ts`) provides it. */
export interface InterfaceDependencies {
  config: Config;
  storage: Storage;
  logger: Logger;
  /** Registry of `/metrics`, for interfaces that publish gauges of their own. */
  metrics: Registry;
  /** The behaviour settings of the country profile (defaults without one). */
  settings: ProfileSettings;
  /** The document of the interface (after the country profile was applied). */
  document: LoadedDocument;
  /** Domain objects shared with the other interfaces of this app (see `SharedInstances`). */
  shared: SharedInstances;
  /** Domain events of this app: published by the interface where they happen, handled elsewhere. */
  events: EventBus;
  /** Where interfaces register their background jobs (started by the server once listening). */
  jobs: BackgroundJobs;
  /** The time of the app; tests give a clock they move by hand. */
  clock: Clock;
}

/** An interface's handler factory: returns its `HandlerMap` once its collections are open. */
export type HandlerFactory = (deps: InterfaceDependencies) => object | Promise<object>;
