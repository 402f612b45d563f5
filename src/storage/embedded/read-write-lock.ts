/**
 * A tiny in-process read/write lock. The embedded store takes it shared for every single-record operation and
 * exclusive for an atomic batch, so no reader (of any collection) can run while a batch is half applied, and
 * batches run one at a time.
 *
 * Waiters are served strictly in arrival order: a reader arriving while a batch waits queues behind it, so a steady
 * stream of readers cannot starve batches. Once closed, every later acquisition rejects.
 */
interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

export class ReadWriteLock {
  #readers = 0;
  #writer = false;
  #closed = false;
  readonly #queue: Waiter[] = [];

  shared<T>(task: () => Promise<T>): Promise<T> {
    return this.#run(false, task);
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#run(true, task);
  }

  /** Waits for running and queued tasks, runs `last` alone, then refuses any further task. */
  close(last: () => Promise<void>): Promise<void> {
    return this.exclusive(async () => {
      this.#closed = true;
      await last();
    });
  }

  async #run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await this.#acquire(exclusive);
    try {
      if (this.#closed) throw new Error('the embedded store is closed');
      return await task();
    } finally {
      if (exclusive) this.#writer = false;
      else this.#readers -= 1;
      this.#drain();
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    return new Promise((grant) => {
      this.#queue.push({ exclusive, grant });
      this.#drain();
    });
  }

  /** Grants the head of the queue while it is compatible with the current holders. */
  #drain(): void {
    for (let next = this.#queue[0]; next !== undefined; next = this.#queue[0]) {
      if (this.#writer) return;
      if (next.exclusive) {
        if (this.#readers > 0) return;
        this.#writer = true;
      } else {
        this.#readers += 1;
      }
      this.#queue.shift();
      next.grant();
    }
  }
}
