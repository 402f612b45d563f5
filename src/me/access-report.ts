/**
 * The person's access report: the events of the audit trail that touched them, newest first, each with the
 * organisation and purpose of its client (from the event, for OpenID Connect releases, else from the country
 * profile's `accessReport.clients`). A restricted client's accesses are left out, and not counted, until
 * `restrictedDelayDays` have passed since each of them.
 *
 * Cost: the report pages over the person's event ids and their clients (AuditLog.eventsNaming, from the postings)
 * and reads the events of the page only. Deciding what is hidden reads nothing more: a restricted client's events
 * are told by the client in the posting and the time in their ids (only an event of an older store is read).
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
  /** The ids of the person's events, oldest first, with their clients. */
  eventsNaming(personId: string): Promise<{ _id: string; client?: string }[]>;
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
const EXPORT_BATCH = 500;

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
    const refs = (await this.trail.eventsNaming(personId)).reverse();
    const held = refs.filter(({ client }) => client !== undefined && this.restricted.has(client));
    if (held.length === 0) return refs.map(({ _id }) => _id);
    // Their ids tell their times; only the events of an older store (ids of another kind) are read for it.
    const untimed = held.filter(({ _id }) => timeOfId(_id) === undefined).map(({ _id }) => _id);
    const read = new Map((untimed.length > 0 ? await this.trail.eventsOf(untimed) : []).map((event) => [event._id, Date.parse(event.time)]));
    const since = this.clock().getTime() - this.delayMs;
    const hidden = new Set(held.filter(({ _id }) => (timeOfId(_id) ?? read.get(_id) ?? since) > since).map(({ _id }) => _id));
    return refs.flatMap(({ _id }) => (hidden.has(_id) ? [] : [_id]));
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
