/**
 * Group commit on the writer connection. Writes asked for in the same turn of the event loop run in ONE
 * transaction, each inside its own savepoint (a failing write rolls back alone and rejects alone), and are
 * acknowledged only once that transaction has committed and `durable()` (the WAL's fsync, wal-sync.ts) has resolved,
 * so every acknowledged write survives kill -9 and power loss. A burst of concurrent requests shares one commit, and
 * the event loop goes on serving (and gathering the next group) while the disk syncs.
 *
 * `BEGIN IMMEDIATE` takes SQLite's write lock up front; other server processes on the same database wait for it
 * (busy timeout), so each transaction sees every write committed before it, in any process.
 */
import type Database from 'better-sqlite3';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  #queue: Pending[] = [];
  #scheduled = false;
  #syncing = 0;
  #drained: (() => void)[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly durable: () => Promise<void>,
  ) {}

  /** Runs `write` in the next group transaction; resolves with its result once that transaction is durable. */
  submit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Resolves once every write submitted so far is durable (or failed). */
  drain(): Promise<void> {
    if (!this.#scheduled && this.#syncing === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    this.#scheduled = false;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      // A write alone in its group needs no savepoint: if it fails, the whole transaction is rolled back below.
      if (batch.length === 1) outcomes.push({ ok: true, value: (batch[0] as Pending).run() });
      else for (const pending of batch) outcomes.push(this.#attempt(pending));
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const pending of batch) pending.reject(error);
      this.#wake();
      return;
    }
    this.#syncing += 1;
    this.durable()
      .then(
        () =>
          batch.forEach((pending, i) => {
            const outcome = outcomes[i] as { ok: boolean; value: unknown };
            if (outcome.ok) pending.resolve(outcome.value);
            else pending.reject(outcome.value);
          }),
        (error: unknown) => {
          for (const pending of batch) pending.reject(error);
        },
      )
      .finally(() => {
        this.#syncing -= 1;
        this.#wake();
      });
  }

  #attempt(pending: Pending): { ok: boolean; value: unknown } {
    this.db.exec('SAVEPOINT one_write');
    try {
      const value = pending.run();
      this.db.exec('RELEASE one_write');
      return { ok: true, value };
    } catch (error) {
      this.db.exec('ROLLBACK TO one_write');
      this.db.exec('RELEASE one_write');
      return { ok: false, value: error };
    }
  }

  #wake(): void {
    if (this.#scheduled || this.#syncing > 0) return;
    for (const resolve of this.#drained.splice(0)) resolve();
  }
}
