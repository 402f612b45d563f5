/**
 * Domain objects that several interfaces of one app use (the population registry, the credential store …), opened
 * once on first use so that they share one set of collections and one in-process write lock.
 */
export class SharedInstances {
  readonly #opened = new Map<string, Promise<unknown>>();

  /** The instance registered under `key`, opened by `open` the first time it is asked for. */
  get<T>(key: string, open: () => Promise<T>): Promise<T> {
    let instance = this.#opened.get(key);
    if (!instance) {
      instance = open();
      this.#opened.set(key, instance);
    }
    return instance as Promise<T>;
  }

  /** The instance registered under `key` when something opened it; tools and tests reach an app's objects this way. */
  opened<T>(key: string): Promise<T> | undefined {
    return this.#opened.get(key) as Promise<T> | undefined;
  }
}
