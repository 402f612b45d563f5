/**
 * Face templates shaped like the model's (measured on the face-api demo portraits: norm 1.40–1.53, every face near a
 * common centre of norm 1.37 with 0.044 per value around it, so that two different people lie 0.46–0.91 apart, 0.72
 * typically), from a seeded generator: the same population on every run.
 */
import type { TemplateEntry } from '../src/biometrics/template-index.js';

export const DIMENSIONS = 128;
const CENTRE_NORM = 1.37;
const SPREAD = 0.044;

/** mulberry32: small, fast, and good enough for test data. */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SyntheticFaces {
  readonly #next: () => number;
  /** Normal draws made once: a million faces are 128 million values, too many for a logarithm and a cosine each. */
  readonly #normals = new Float64Array(1 << 16);
  readonly centre = new Float32Array(DIMENSIONS);

  constructor(seed = 21) {
    this.#next = uniform(seed);
    for (let i = 0; i < this.#normals.length; i++) this.#normals[i] = this.#boxMuller();
    for (let i = 0; i < DIMENSIONS; i++) this.centre[i] = this.#gaussian();
    const norm = Math.hypot(...this.centre);
    for (let i = 0; i < DIMENSIONS; i++) this.centre[i] = ((this.centre[i] as number) * CENTRE_NORM) / norm;
  }

  /** A new person's face. */
  person(): Float32Array {
    return this.near(this.centre, SPREAD);
  }

  /** Another capture of `face`: each value moved by `spread` on average (0.02 gives a distance of about 0.23). */
  near(face: Float32Array, spread: number): Float32Array {
    const out = new Float32Array(DIMENSIONS);
    for (let i = 0; i < DIMENSIONS; i++) out[i] = (face[i] as number) + spread * this.#gaussian();
    return out;
  }

  #gaussian(): number {
    return this.#normals[Math.floor(this.#next() * this.#normals.length)] as number;
  }

  #boxMuller(): number {
    return Math.sqrt(-2 * Math.log(1 - this.#next())) * Math.cos(2 * Math.PI * this.#next());
  }
}

export function syntheticEntry(n: number): TemplateEntry {
  return { key: `P${n}/E1/0`, personId: `P${n}`, encounterId: 'E1', galleries: ['G1'], active: true, biometricSubType: 'FACE' };
}
