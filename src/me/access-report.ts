/**
 * The person's access report: the events of the audit trail that touched them, newest first, each with the
 * organisation and purpose of its client (from the event, for OpenID Connect releases, else from the country
 * profile's `accessReport.clients`). A restricted client's accesses are left out, and not counted, until
 * `restrictedDelayDays` have passed since each of them.
 *
 * Cost: the report pages over the person's event ids (AuditLog.eventIdsOf) and reads the events of the page only.
 * Deciding what is hidden reads the events of the last `restrictedDelayDays` alone (older ones are all disclosed,
 * which their time-ordered ids tell without a read), and only when the profile restricts a client at all.
 */
import type { Clock } from '../shared/clock.js';
import { timeOfId } from '../shared/time-ordered-id.js';
import { type AccessReportSettings, DEFAULT_RESTRICTED_DELAY_DAYS } from '../profile/profile-settings.js';
import type { Outcome } from './me-messages.js';

/** An event of the audit trail as the report reads it (the audit folder's AuditLog serves it; an interface folder is not imported). */
export interface TrailEvent {
  _id: string;
  time: string;
  interface: string;
  operationId: string;
  client?: string;
  status: number;
  attributes?: string[];
  organisation?: string;
  purpose?: string;
}

/** The audit trail's reads by person (AuditLog). */
export interface TrailReader {
  /** The ids of the person's events, oldest first. */
  eventIdsOf(personId: string): Promise<string[]>;
  /** The events of these ids, in that order. */
  eventsOf(ids: readonly string[]): Promise<TrailEvent[]>;
}

export interface Access {
  time: string;
  interface: string;
  operationId: string;
  client?: string;
  organisation?: string;
  purpose?: string;
  attributes: string[];
  outcome: Outcome;
}

export interface AccessPage {
  total: number;
  offset: number;
  accesses: Access[];
}

/** How many events an export reads at a time. */
export const EXPORT_BATCH = 500;

const DAY_MS = 86_400_000;

function outcomeOf(status: number): Outcome {
  if (status < 400) return 'done';
  if (status === 404) return 'notFound';
  return status < 500 ? 'refused' : 'failed';
}

export class AccessReport {
  private readonly restricted: ReadonlySet<string>;
  private readonly delayMs: number;

  constructor(
    private readonly trail: TrailReader,
    private readonly settings: AccessReportSettings | undefined,
    private readonly clock: Clock,
  ) {
    const clients = Object.entries(settings?.clients ?? {});
    this.restricted = new Set(clients.filter(([, client]) => client.restricted).map(([id]) => id));
    this.delayMs = (settings?.restrictedDelayDays ?? DEFAULT_RESTRICTED_DELAY_DAYS) * DAY_MS;
  }

  async page(personId: string, offset: number, limit: number): Promise<AccessPage> {
    const ids = await this.#disclosedIds(personId);
    return { total: ids.length, offset, accesses: await this.#accesses(ids.slice(offset, offset + limit)) };
  }

  /** The whole report, read `EXPORT_BATCH` events at a time. */
  async *all(personId: string): AsyncGenerator<Access[]> {
    const ids = await this.#disclosedIds(personId);
    for (let start = 0; start < ids.length; start += EXPORT_BATCH) yield this.#accesses(ids.slice(start, start + EXPORT_BATCH));
  }

  /** The ids of the events the person may see, newest first. */
  async #disclosedIds(personId: string): Promise<string[]> {
    const ids = (await this.trail.eventIdsOf(personId)).reverse();
    if (this.restricted.size === 0) return ids;
    const since = this.clock().getTime() - this.delayMs;
    // An id made before `since` is disclosed whoever made the call; others (and ids of older stores) are read.
    const recent = ids.filter((id) => (timeOfId(id) ?? since) >= since);
    const hidden = new Set(
      (await this.trail.eventsOf(recent))
        .filter((event) => event.client !== undefined && this.restricted.has(event.client) && Date.parse(event.time) > since)
        .map((event) => event._id),
    );
    return hidden.size === 0 ? ids : ids.filter((id) => !hidden.has(id));
  }

  async #accesses(ids: readonly string[]): Promise<Access[]> {
    return (await this.trail.eventsOf(ids)).map((event) => this.#access(event));
  }

  #access(event: TrailEvent): Access {
    const described = event.client === undefined ? undefined : this.settings?.clients[event.client];
    const organisation = event.organisation ?? described?.organisation;
    const purpose = event.purpose ?? described?.purpose;
    return {
      time: event.time,
      interface: event.interface,
      operationId: event.operationId,
      ...(event.client !== undefined ? { client: event.client } : {}),
      ...(organisation !== undefined ? { organisation } : {}),
      ...(purpose !== undefined ? { purpose } : {}),
      attributes: event.attributes ?? [],
      outcome: outcomeOf(event.status),
    };
  }
}
