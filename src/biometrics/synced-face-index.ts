/**
 * The 1:N index of the built-in ABIS, kept in step with the store that any number of processes write. It is loaded
 * at start from one snapshot (the template records and the sequence number they stand at); every ABIS write commits
 * a change entry with the next number of the sequence (`logged`), and before each search `catchUp` reads the
 * entries after the last one applied (a single read of the sequence record when nothing changed) and reloads the
 * template records they name. Applying a change reads the record's current state, so applying it twice is harmless.
 */
import type { Operation, Store } from '../storage/store.js';
import { type AbisRecords, changeId, FACE_DIMENSIONS, faceVector, SEQUENCE_ID, type TemplateRecord } from './abis-records.js';
import { TemplateIndex } from './template-index.js';

/** Template records read at once while loading: bounds the blob reads in flight. */
const LOAD_PAGE = 64;
/**
 * Change entries kept (by default): each write deletes the entry this many numbers behind its own. A process further behind
 * than that (idle for that many writes) finds an entry gone and reloads the whole index instead.
 */
export const RETAINED_CHANGES = 10_000;

export class SyncedFaceIndex {
  readonly index = new TemplateIndex(FACE_DIMENSIONS);
  /** The index keys of each encounter's faces, to remove them when it changes. */
  readonly #keysOf = new Map<string, string[]>();
  #applied = 0;
  /** Catch-ups run one after the other: each applies what the previous one left. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private readonly records: AbisRecords,
    private readonly retainedChanges: number,
  ) {}

  static async open(store: Store, records: AbisRecords, retainedChanges = RETAINED_CHANGES): Promise<SyncedFaceIndex> {
    const synced = new SyncedFaceIndex(store, records, retainedChanges);
    await synced.#load();
    return synced;
  }

  /** The writes that log a change of the encounters `keys` (template records written or deleted): part of its commit. */
  async logged(keys: readonly string[]): Promise<Operation[]> {
    const { sequence, changes } = this.records;
    const read = await sequence.getVersioned(SEQUENCE_ID);
    const seq = (read?.record.seq ?? 0) + 1;
    const next = { _id: SEQUENCE_ID, seq };
    return [
      read ? sequence.put(next, read) : sequence.insert(next),
      changes.insert({ _id: changeId(seq), seq, keys: [...keys] }),
      ...(seq > this.retainedChanges ? [changes.delete(changeId(seq - this.retainedChanges))] : []),
    ];
  }

  /** Applies the changes committed since the last catch-up, by this process or any other. */
  catchUp(): Promise<void> {
    const run = this.#queue.then(() => this.#apply());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(): Promise<void> {
    const { sequence, changes, templates } = this.records;
    const seq = (await sequence.get(SEQUENCE_ID))?.seq ?? 0;
    if (seq <= this.#applied) return;
    const keys = new Set<string>();
    for (let next = this.#applied + 1; next <= seq; next++) {
      const change = await changes.get(changeId(next));
      // Written in the commit that moved the sequence, it is missing only once pruned: this process is too far behind.
      if (!change) return this.#load();
      for (const key of change.keys) keys.add(key);
    }
    // A record replaced while it is read (its old blob already gone) is a conflict: `change` reads it again.
    for (const key of keys) this.#put(key, await this.store.change(() => templates.get(key)));
    this.#applied = seq;
  }

  /** A record replaced during the load may have lost its blob before the snapshot read it: `change` loads again. */
  #load(): Promise<void> {
    return this.store.change(async () => {
      for (const key of [...this.#keysOf.keys()]) this.#put(key, undefined);
      const snapshot = await this.store.snapshot();
      try {
        const [position] = await snapshot.find(this.records.sequence, { _id: SEQUENCE_ID });
        for (let skip = 0; ; skip += LOAD_PAGE) {
          const page = await snapshot.find(this.records.templates, {}, { skip, limit: LOAD_PAGE });
          for (const record of page) this.#put(record._id, record);
          if (page.length < LOAD_PAGE) break;
        }
        this.#applied = position?.seq ?? 0;
      } finally {
        await snapshot.close();
      }
    });
  }

  /** Brings the index to the record's state: its faces in, the encounter's former ones out. */
  #put(key: string, record: TemplateRecord | undefined): void {
    for (const indexKey of this.#keysOf.get(key) ?? []) this.index.remove(indexKey);
    this.#keysOf.delete(key);
    if (!record) return;
    const { personId, encounterId, galleries, active, attributes } = record;
    const indexKeys = record.slots.map((slot, face) => {
      const indexKey = `${key}/${slot.item}`;
      const { biometricSubType, instance } = slot;
      this.index.put(
        { key: indexKey, personId, encounterId, galleries, active, biographicData: attributes, biometricSubType, instance },
        faceVector(record.faces, face),
      );
      return indexKey;
    });
    this.#keysOf.set(key, indexKeys);
  }
}
