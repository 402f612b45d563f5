/**
 * Atomic, crash-safe batches for the embedded store, through a journal datafile (`_journal.db`).
 *
 * A batch is planned into "steps" that each set one record to an exact state (a full document with its `_seq`, or
 * absent), so every step is idempotent. Alongside each redo step the journal keeps the undo step: the record's state
 * just before it. Applying a batch means:
 * 1. append ONE journal document holding all redo and undo steps (a single line, so it is all there or not at all);
 * 2. apply the redo steps in order;
 * 3. remove the journal document.
 * If a step fails (a unique index would break), the steps already applied are undone newest first (each undo
 * returns to a state that existed before), the journal document is removed and the batch rejects: all or nothing.
 * After a crash, `replay` (run when the store opens, before it serves anyone) re-runs every journal document left
 * behind the same way, which ends in either the new state or, if a step fails, the old one.
 *
 * Callers hold the store's lock exclusively, so no other write interleaves and no reader sees a partial batch.
 */
import { randomUUID } from 'node:crypto';
import type { SequencedDocument } from '../adapter-conventions.js';
import type { WriteOp } from '../document-store.port.js';
import type { NedbCollection } from './nedb-collection.js';
import type { NedbDatastore } from './nedb-datastore.js';

/** Record `id` of `collection` becomes `doc`, or absent when `doc` is null. */
interface Step {
  collection: string;
  id: string;
  doc: SequencedDocument | null;
}

interface JournalEntry {
  _id: string;
  at: number;
  redo: Step[];
  /** `undo[i]` restores what `redo[i]` overwrote. */
  undo: Step[];
}

export class BatchJournal {
  constructor(
    private readonly datastore: NedbDatastore,
    private readonly open: (collection: string) => Promise<NedbCollection>,
  ) {}

  async apply(ops: WriteOp[]): Promise<void> {
    const entry = await this.#plan(ops);
    await this.datastore.insertAsync(entry);
    const failure = await this.#run(entry);
    if (failure !== undefined) throw failure;
  }

  /** Finishes (or rolls back) every batch a crash interrupted. */
  async replay(): Promise<void> {
    const entries = await this.datastore.findAsync({}).sort({ at: 1 });
    for (const entry of entries as unknown as JournalEntry[]) await this.#run(entry);
  }

  /** Works out each op's before and after state, as if the previous ops had already been applied. */
  async #plan(ops: WriteOp[]): Promise<JournalEntry> {
    const planned = new Map<string, SequencedDocument | null>();
    const entry: JournalEntry = { _id: randomUUID(), at: Date.now(), redo: [], undo: [] };
    for (const op of ops) {
      const collection = await this.open(op.collection);
      const id = op.op === 'put' ? op.doc._id : op.id;
      const key = JSON.stringify([op.collection, id]);
      const before = planned.has(key) ? (planned.get(key) ?? null) : ((await collection.stored(id)) ?? null);
      const after = op.op === 'put' ? collection.withSequence(op.doc, before ?? undefined) : null;
      planned.set(key, after);
      entry.redo.push({ collection: op.collection, id, doc: after });
      entry.undo.push({ collection: op.collection, id, doc: before });
    }
    return entry;
  }

  /**
   * Applies the redo steps; on failure undoes the applied ones and resolves the failure. Rejects only when undoing
   * fails too, leaving the journal document for the next start.
   */
  async #run(entry: JournalEntry): Promise<Error | undefined> {
    let failure: Error | undefined;
    let applied = 0;
    try {
      for (const step of entry.redo) {
        await this.#set(step);
        applied += 1;
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      for (const step of entry.undo.slice(0, applied).reverse()) await this.#set(step);
    }
    await this.datastore.removeAsync({ _id: entry._id }, {});
    return failure;
  }

  async #set(step: Step): Promise<void> {
    const collection = await this.open(step.collection);
    await collection.store(step.id, step.doc);
  }
}
