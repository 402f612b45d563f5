/**
 * Opens one nedb datafile and exposes the slice of nedb's API the embedded store uses, with honest types (nedb's
 * own typings describe cursors as promises of a single document).
 *
 * Durability: nedb keeps every record in memory and persists each insert/update/remove by appending one JSON line
 * per touched document with `fs.promises.appendFile`; its `*Async` methods resolve only after that append has
 * completed. Once a write is acknowledged its bytes are in the kernel, so it survives a crash or `kill -9` of this
 * process. nedb does not fsync appends: a power loss may lose the last writes since the latest compaction, which
 * writes a temp file, fsyncs it and renames it over the datafile.
 *
 * Each datastore runs its operations one at a time through its own queue, so a read never sees a write whose line
 * is not yet appended.
 */
import nedb from '@seald-io/nedb';

// nedb is CommonJS (`module.exports = Datastore`) but its typings declare an ES default export, which NodeNext maps
// to `module.exports.default`; at run time the default import is the class itself.
const Datastore = nedb as unknown as typeof nedb.default;

export interface NedbCursor<T> extends PromiseLike<T> {
  sort(sort: Record<string, 1 | -1>): NedbCursor<T>;
  skip(count: number): NedbCursor<T>;
  limit(count: number): NedbCursor<T>;
}

export interface NedbDatastore {
  findAsync(query: object): NedbCursor<Record<string, unknown>[]>;
  countAsync(query: object): NedbCursor<number>;
  insertAsync(doc: object): Promise<unknown>;
  updateAsync(query: object, doc: object, options: { upsert?: boolean }): Promise<{ numAffected: number }>;
  removeAsync(query: object, options: { multi?: boolean }): Promise<number>;
  ensureIndexAsync(options: { fieldName: string | string[]; unique?: boolean }): Promise<void>;
  compactDatafileAsync(): Promise<void>;
  getAllData(): Record<string, unknown>[];
}

export interface OpenOptions {
  /**
   * Loading rejects a datafile when more than this share of its lines is unreadable (nedb's default: 0.1) rather
   * than silently dropping records. The journal sets 1: its only possible torn line is an unacknowledged batch.
   */
  corruptAlertThreshold?: number;
}

/**
 * nedb reads its datafile back by splitting on every Unicode line break, but `JSON.stringify` leaves U+0085, U+2028
 * and U+2029 unescaped inside strings: a record holding one would split into corrupt lines on the next load. They
 * can only occur inside JSON strings, where their `\uXXXX` escapes parse back to the very same characters.
 */
const escapeLineBreaks = (line: string) =>
  line.replace(/[\u0085\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
const parsedAsIs = (line: string) => line;

/** Loads the datafile (creating it and its directory when missing). Loading also compacts it. */
export async function openNedbDatastore(filename: string, options: OpenOptions = {}): Promise<NedbDatastore> {
  const hooks = { afterSerialization: escapeLineBreaks, beforeDeserialization: parsedAsIs };
  const datastore = new Datastore({ filename, ...hooks, ...options });
  await datastore.loadDatabaseAsync();
  return datastore;
}

/** nedb marks unique-index violations (including a duplicate `_id`) with this `errorType`. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { errorType?: unknown } | null)?.errorType === 'uniqueViolated';
}
