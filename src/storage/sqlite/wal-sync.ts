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
import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
// fdatasync, as SQLite itself syncs: the WAL's bytes and what reading them back needs (its size) reach the disk;
// only its timestamps may lag.
const syncData = promisify(fdatasync);
const closeFile = promisify(close);

export class WalSync {
  #inFlight?: Promise<void>;
  #next?: Promise<void>;
  #fd?: number;

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

  /**
   * The WAL file stays open: SQLite deletes it only when the last connection to the database closes, which cannot
   * happen while this store's writer is open. It is opened at the first sync, after the first commit created it.
   */
  async #fsync(): Promise<void> {
    this.#fd ??= await openFile(this.walFile, 'r');
    await syncData(this.#fd);
  }

  /** Closes the WAL file once the last sync has finished. */
  async close(): Promise<void> {
    await this.#next?.catch(() => undefined);
    await this.#inFlight?.catch(() => undefined);
    if (this.#fd !== undefined) await closeFile(this.#fd);
    this.#fd = undefined;
  }
}
