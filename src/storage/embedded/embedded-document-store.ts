/**
 * The default `DocumentStore`: nedb datafiles under one directory (`<dir>/<collection>.db`, plus `_journal.db` for
 * atomic batches), no setup needed. One read/write lock covers the whole store: single-record operations share it,
 * batches take it exclusively (see `ReadWriteLock` and `BatchJournal`).
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { assertCollectionName, SequenceClock } from '../adapter-conventions.js';
import type { Collection, DocumentStore, IndexSpec, WriteOp } from '../document-store.port.js';
import { BatchJournal } from './batch-journal.js';
import { NedbCollection } from './nedb-collection.js';
import { type NedbDatastore, openNedbDatastore } from './nedb-datastore.js';
import { ReadWriteLock } from './read-write-lock.js';

export interface EmbeddedOptions {
  /**
   * nedb only ever appends, so a datafile grows with every update and delete until it is compacted (rewritten with
   * one line per live record, fsynced, renamed into place). Loading compacts; this bounds growth while running.
   */
  compactionIntervalMs?: number;
}

const HOUR = 3_600_000;

export class EmbeddedDocumentStore implements DocumentStore {
  readonly kind = 'embedded';
  readonly #lock = new ReadWriteLock();
  readonly #clock = new SequenceClock();
  readonly #collections = new Map<string, Promise<NedbCollection>>();
  readonly #journal: BatchJournal;
  #compaction: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    private readonly journalDatastore: NedbDatastore,
  ) {
    this.#journal = new BatchJournal(journalDatastore, (name) => this.#open(name));
  }

  /** Opens the store, finishing any batch a crash interrupted before anyone can read. */
  static async open(dir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDocumentStore> {
    await mkdir(dir, { recursive: true });
    const journal = await openNedbDatastore(path.join(dir, '_journal.db'), { corruptAlertThreshold: 1 });
    const store = new EmbeddedDocumentStore(dir, journal);
    await store.#journal.replay();
    // One unref'd timer of our own rather than nedb's setAutocompactionInterval, whose per-datafile timers would
    // keep the process alive. Compaction goes through each datastore's queue, so it never interleaves with a write;
    // one that fails (say, disk full) leaves the datafile as it was and is tried again at the next tick.
    const compact = () => void store.#compactAll().catch(() => undefined);
    store.#compaction = setInterval(compact, options.compactionIntervalMs ?? HOUR).unref();
    return store;
  }

  collection(name: string, indexes: IndexSpec[] = []): Promise<Collection> {
    return this.#lock.shared(async () => {
      const collection = await this.#open(name);
      for (const spec of indexes) await collection.ensureIndex(spec);
      return collection;
    });
  }

  async applyAtomically(ops: WriteOp[]): Promise<void> {
    if (ops.length > 0) await this.#lock.exclusive(() => this.#journal.apply(ops));
  }

  /** Ready when the store is open (not waiting behind a batch for long) and its directory is still writable. */
  ping(): Promise<void> {
    return this.#lock.shared(() => access(this.dir, constants.W_OK));
  }

  /**
   * Waits for running operations, then compacts every datafile: the files are left small and fsynced, so writes
   * acknowledged before a clean shutdown also survive a later power loss.
   */
  close(): Promise<void> {
    clearInterval(this.#compaction);
    this.#closing ??= this.#lock.close(() => this.#compactAll());
    return this.#closing;
  }

  async #compactAll(): Promise<void> {
    const loads = await Promise.allSettled(this.#collections.values());
    const loaded = loads.flatMap((load) => (load.status === 'fulfilled' ? [load.value.datastore] : []));
    const datastores = [this.journalDatastore, ...loaded];
    await Promise.all(datastores.map((datastore) => datastore.compactDatafileAsync()));
  }

  /** Loads a collection's datafile once; concurrent callers share the same load. */
  #open(name: string): Promise<NedbCollection> {
    assertCollectionName(name);
    let opening = this.#collections.get(name);
    if (opening === undefined) {
      opening = this.#load(name);
      this.#collections.set(name, opening);
      opening.catch(() => this.#collections.delete(name));
    }
    return opening;
  }

  async #load(name: string): Promise<NedbCollection> {
    const datastore = await openNedbDatastore(path.join(this.dir, `${name}.db`));
    for (const doc of datastore.getAllData()) this.#clock.observe(doc._seq);
    return new NedbCollection(name, datastore, this.#lock, this.#clock);
  }
}
