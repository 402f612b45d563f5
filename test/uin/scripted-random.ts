/** A deterministic stand-in for `crypto.randomInt`: hands out queued draws and refuses any out of range. */
import type { RandomSource } from '../../src/uin/uin-generator.js';

export interface ScriptedRandom {
  source: RandomSource;
  queue(...draws: number[]): void;
  /** The `max` of every call so far. */
  ranges: number[];
}

export function scriptedRandom(...draws: number[]): ScriptedRandom {
  const pending = [...draws];
  const ranges: number[] = [];
  return {
    ranges,
    queue: (...more) => pending.push(...more),
    source: (max) => {
      ranges.push(max);
      const draw = pending.shift();
      if (draw === undefined) throw new Error('the scripted random source ran out of draws');
      if (!Number.isInteger(draw) || draw < 0 || draw >= max) throw new Error(`draw ${draw} is outside 0..${max - 1}`);
      return draw;
    },
  };
}

