/**
 * Draws UIN candidates: every character but the check character is drawn independently and uniformly from a
 * cryptographic source, so a UIN reveals nothing about the others (no counter, no time, no person data).
 */
import { randomInt } from 'node:crypto';
import type { UinFormat } from './uin-format.js';

/** An integer drawn uniformly from 0 to `max - 1`; `crypto.randomInt` in production, scripted in tests. */
export type RandomSource = (max: number) => number;

export type UinGenerator = () => string;

export function createUinGenerator(format: UinFormat, random: RandomSource = randomInt): UinGenerator {
  const pick = (characters: string) => characters.charAt(random(characters.length));
  return () => {
    let payload = pick(format.leading);
    while (payload.length < format.length - 1) payload += pick(format.alphabet);
    return payload + format.checkCharacter(payload);
  };
}
