/**
 * A person's event refs from the filed batches, kept in this process for the batches already read, so that a report
 * reads the postings of the batches filed since and no others. Safe with several processes on one store: a batch is
 * filed in one commit with its postings, and neither is ever changed or deleted (ADR 0104), so what was read of a
 * batch stays true. A person's entry is used only while the batches read for it are still the first ones of the
 * store's list (a batch that another process's clock ordered before them starts the entry again).
 */

/** An event of a person's report before it is read: its id, and the client that made it (when one did). */
export interface EventRef {
  _id: string;
  client?: string;
}

interface Entry {
  /** How many of the store's batches, from the first, the refs cover; and the last of them. */
  batches: number;
  last: string | undefined;
  refs: readonly EventRef[];
}

export class FiledRefs {
  readonly #persons = new Map<string, Entry>();
  #held = 0;

  /** `capacity`: the refs held over all persons at most; the persons read longest ago are dropped first. */
  constructor(private readonly capacity: number) {}

  /**
   * The person's refs in the batches `batchIds` (the store's list, in its order), oldest first; `read` gives the refs
   * of the person's posting in each batch not read before.
   */
  async of(personId: string, batchIds: readonly string[], read: (batchIds: readonly string[]) => Promise<EventRef[]>): Promise<readonly EventRef[]> {
    const entry = this.#current(personId, batchIds);
    if (entry.batches === batchIds.length) return entry.refs;
    const added = await read(batchIds.slice(entry.batches));
    const refs = added.length > 0 ? [...entry.refs, ...added] : entry.refs;
    this.#keep(personId, { batches: batchIds.length, last: batchIds.at(-1), refs });
    return refs;
  }

  /** The person's entry when it still covers the first batches of the list (then the most recently read), else an empty one. */
  #current(personId: string, batchIds: readonly string[]): Entry {
    const entry = this.#persons.get(personId);
    if (entry && entry.batches <= batchIds.length && (entry.batches === 0 || batchIds[entry.batches - 1] === entry.last)) {
      this.#persons.delete(personId);
      this.#persons.set(personId, entry);
      return entry;
    }
    return { batches: 0, last: undefined, refs: [] };
  }

  #keep(personId: string, entry: Entry): void {
    this.#drop(personId);
    if (entry.refs.length > this.capacity) return;
    this.#persons.set(personId, entry);
    this.#held += entry.refs.length;
    for (const [oldest] of this.#persons) {
      if (this.#held <= this.capacity) break;
      this.#drop(oldest);
    }
  }

  #drop(personId: string): void {
    const entry = this.#persons.get(personId);
    if (!entry) return;
    this.#held -= entry.refs.length;
    this.#persons.delete(personId);
  }
}
