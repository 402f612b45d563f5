/**
 * Makes committed transactions durable without holding the event loop: the writer commits with
 * `synchronous=NORMAL` (SQLite writes the WAL frames but does not fsync them), then this fsyncs the WAL file in
 * libuv's thread pool before any write of that commit is acknowledged. Requests keep being served while the disk
 * works, and one fsync covers every commit written before it started (the WAL is appended in order).
 *
 * Equivalent to `synchronous=FULL` for what is acknowledged: a power cut can lose only commits not yet answered.
 * A checkpoint fsyncs the WAL and the database itself before the WAL is reused, so frames already acknowledged
 * are never overwritten before they are in the database file.
 */
import { open } from 'node:fs/promises';

export class WalSync {
  #inFlight?: Promise<void>;
  #next?: Promise<void>;

  constructor(private readonly walFile: string) {}

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    if (this.#inFlight === undefined) {
      this.#inFlight = this.#fsync().finally(() => {
        this.#inFlight = undefined;
      });
      return this.#inFlight;
    }
    // The sync under way may have started before the frames just written: one more follows it, shared by all
    // who ask meanwhile.
    this.#next ??= this.#inFlight
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.sync();
      });
    return this.#next;
  }

  /** Opened each time: SQLite may delete and recreate the WAL file, and an old descriptor would sync nothing. */
  async #fsync(): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.walFile, 'r');
    } catch (error) {
      // No WAL file: everything committed has been checkpointed into the database, which the checkpoint fsynced.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
