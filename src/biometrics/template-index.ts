/**
 * The 1:N search index of face templates: every template's values side by side in one growing Float32Array, its
 * entry (who, which encounter, galleries, status…) in a parallel array, and a map from key to slot. A search scans
 * the array once; a removal moves the last slot into the hole, so the array stays dense.
 */

/** What a search may filter on and reports, beside the values. */
export interface TemplateEntry {
  /** Unique per template: `${personId}/${encounterId}/${index of the item in biometricData}`. */
  key: string;
  personId: string;
  encounterId: string;
  galleries: readonly string[];
  active: boolean;
  biometricSubType?: string;
  instance?: string;
  /** The encounter's biographic data, for the `Filter` of a search. */
  biographicData?: Record<string, unknown>;
}

export interface TemplateHit {
  entry: TemplateEntry;
  score: number;
}

/** The score of two faces: 1 − the Euclidean distance of their descriptors, never below 0 (documented in abis.md). */
export function faceScore(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.max(0, 1 - Math.sqrt(sum));
}

export class TemplateIndex {
  #values: Float32Array;
  #entries: TemplateEntry[] = [];
  readonly #slots = new Map<string, number>();

  constructor(
    readonly dimensions: number,
    initialCapacity = 1024,
  ) {
    this.#values = new Float32Array(dimensions * initialCapacity);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Bytes held by the values (the entries come on top). */
  get valueBytes(): number {
    return this.#values.byteLength;
  }

  /** Adds the template, or replaces the one of the same key. */
  put(entry: TemplateEntry, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new RangeError(`a template has ${this.dimensions} values, got ${vector.length}`);
    let slot = this.#slots.get(entry.key);
    if (slot === undefined) {
      slot = this.#entries.length;
      if ((slot + 1) * this.dimensions > this.#values.length) {
        const grown = new Float32Array(this.#values.length * 2);
        grown.set(this.#values);
        this.#values = grown;
      }
      this.#slots.set(entry.key, slot);
      this.#entries.push(entry);
    } else {
      this.#entries[slot] = entry;
    }
    this.#values.set(vector, slot * this.dimensions);
  }

  remove(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    const last = this.#entries.length - 1;
    const moved = this.#entries[last];
    if (slot !== last && moved) {
      this.#values.copyWithin(slot * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.#entries[slot] = moved;
      this.#slots.set(moved.key, slot);
    }
    this.#entries.pop();
    this.#slots.delete(key);
  }

  /** The templates scoring at least `minScore` against the probe among those `accept` lets through, best first, at most `limit`. */
  search(probe: Float32Array, accept: (entry: TemplateEntry) => boolean, minScore: number, limit: number): TemplateHit[] {
    const hits: TemplateHit[] = [];
    const values = this.#values;
    const dims = this.dimensions;
    // score ≥ minScore ⇔ squared distance ≤ (1 − minScore)²: no square root in the loop.
    const maxSquared = minScore <= 0 ? Number.POSITIVE_INFINITY : (1 - minScore) ** 2;
    for (let slot = 0; slot < this.#entries.length; slot++) {
      let sum = 0;
      const base = slot * dims;
      for (let i = 0; i < dims && sum <= maxSquared; i++) {
        const d = (probe[i] ?? 0) - (values[base + i] ?? 0);
        sum += d * d;
      }
      if (sum > maxSquared) continue;
      const entry = this.#entries[slot];
      if (entry && accept(entry)) hits.push({ entry, score: Math.max(0, 1 - Math.sqrt(sum)) });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, limit);
  }
}
