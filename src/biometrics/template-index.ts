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
  if (a.length !== b.length) throw new RangeError(`templates of ${a.length} and ${b.length} values cannot be compared`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
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

  /** Makes room for `count` templates at once (a load at start-up), instead of doubling step by step. */
  reserve(count: number): void {
    if (count * this.dimensions <= this.#values.length) return;
    const grown = new Float32Array(count * this.dimensions);
    grown.set(this.#values.subarray(0, this.#entries.length * this.dimensions));
    this.#values = grown;
  }

  /**
   * The templates scoring at least `minScore` against the probe among those `accept` lets through, best first, at
   * most `limit`. One pass over the values: a template is dropped once its partial distance exceeds the bound, which
   * tightens to the worst of the best `limit` once that many are held (a bounded heap, nothing sorted but them).
   */
  search(probe: Float32Array, accept: (entry: TemplateEntry) => boolean, minScore: number, limit: number): TemplateHit[] {
    const dims = this.dimensions;
    if (probe.length !== dims) throw new RangeError(`a template has ${dims} values, got ${probe.length}`);
    if (limit <= 0) return [];
    const values = this.#values;
    const entries = this.#entries;
    const count = entries.length;
    // No more room than templates: a caller wanting every hit passes an unbounded limit.
    const best = new WorstFirstHeap(Math.min(limit, count));
    // score ≥ minScore ⇔ squared distance ≤ (1 − minScore)²: no square root in the loop.
    let bound = minScore <= 0 ? Number.POSITIVE_INFINITY : (1 - minScore) ** 2;
    const unrolled = dims - (dims % 4);
    for (let slot = 0, base = 0; slot < count; slot++, base += dims) {
      // Four sums side by side (independent additions pipeline), checked against the bound every 32 values: with
      // faces, most templates lie near the bound, and a check per value costs more than the values it skips.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j < unrolled; j += 4) {
        const d0 = (probe[j] as number) - (values[base + j] as number);
        const d1 = (probe[j + 1] as number) - (values[base + j + 1] as number);
        const d2 = (probe[j + 2] as number) - (values[base + j + 2] as number);
        const d3 = (probe[j + 3] as number) - (values[base + j + 3] as number);
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
        if ((j & 31) === 28 && s0 + s1 + s2 + s3 > bound) break;
      }
      let sum = s0 + s1 + s2 + s3;
      if (j === unrolled) {
        for (; j < dims; j++) {
          const d = (probe[j] as number) - (values[base + j] as number);
          sum += d * d;
        }
      }
      if (sum > bound) continue;
      const entry = entries[slot] as TemplateEntry;
      if (!accept(entry)) continue;
      best.push(slot, sum);
      if (best.full) bound = Math.min(bound, best.worst);
    }
    return best.drain().map(({ slot, sum }) => ({ entry: entries[slot] as TemplateEntry, score: Math.max(0, 1 - Math.sqrt(sum)) }));
  }
}

/** The `capacity` smallest squared distances seen, the largest of them on top, in parallel typed arrays. */
class WorstFirstHeap {
  readonly #slots: Int32Array;
  readonly #sums: Float64Array;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#slots = new Int32Array(capacity);
    this.#sums = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.#size === this.capacity;
  }

  get worst(): number {
    return this.#sums[0] as number;
  }

  push(slot: number, sum: number): void {
    if (this.full) {
      if (sum >= this.worst) return;
      this.#place(0, slot, sum);
      this.#siftDown(0);
      return;
    }
    let at = this.#size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((this.#sums[parent] as number) >= sum) break;
      this.#place(at, this.#slots[parent] as number, this.#sums[parent] as number);
      at = parent;
    }
    this.#place(at, slot, sum);
  }

  /** Everything held, nearest first; leaves the heap empty. */
  drain(): { slot: number; sum: number }[] {
    const out = Array.from({ length: this.#size }, (_, i) => ({ slot: this.#slots[i] as number, sum: this.#sums[i] as number }));
    this.#size = 0;
    return out.sort((a, b) => a.sum - b.sum || a.slot - b.slot);
  }

  #place(at: number, slot: number, sum: number): void {
    this.#slots[at] = slot;
    this.#sums[at] = sum;
  }

  #siftDown(from: number): void {
    const slot = this.#slots[from] as number;
    const sum = this.#sums[from] as number;
    let at = from;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.#size) break;
      if (child + 1 < this.#size && (this.#sums[child + 1] as number) > (this.#sums[child] as number)) child++;
      if ((this.#sums[child] as number) <= sum) break;
      this.#place(at, this.#slots[child] as number, this.#sums[child] as number);
      at = child;
    }
    this.#place(at, slot, sum);
  }
}
