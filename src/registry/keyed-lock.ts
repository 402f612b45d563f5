/**
 * Serialises the changes that concern the same persons within this process, so that a check ("the id is free",
 * "the person exists") still holds when the atomic batch built on it is applied: two createPerson calls for one id
 * cannot both succeed, and an identity cannot be added to a person being deleted.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` once every earlier task holding one of `keys` has finished. */
  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const earlier = unique.map((key) => this.#tails.get(key));
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // All keys are queued at once (synchronously), so two tasks can never wait for each other.
    for (const key of unique) this.#tails.set(key, done);
    try {
      await Promise.all(earlier);
      return await task();
    } finally {
      release();
      for (const key of unique) if (this.#tails.get(key) === done) this.#tails.delete(key);
    }
  }
}
