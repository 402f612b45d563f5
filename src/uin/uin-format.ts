/**
 * The shape of generated UINs, read from the settings and checked once at start-up: a bad alphabet stops the
 * server with a one-line message instead of producing UINs that cannot be checked or routed.
 */
import { type Config, ConfigError } from '../config/config-options.js';
import * as luhnModN from './luhn-mod-n.js';
import * as verhoeff from './verhoeff.js';

export interface UinFormat {
  /** Total length, check character included. */
  length: number;
  alphabet: string;
  /** Characters allowed in first position: never '0', which spreadsheets and integer parsing drop. */
  leading: string;
  checkCharacter(payload: string): string;
}

type UinSettings = Pick<Config, 'uinLength' | 'uinAlphabet' | 'uinCheckDigit'>;

function checkAlphabet({ uinAlphabet: alphabet, uinCheckDigit: scheme }: UinSettings): void {
  const distinct = new Set(alphabet);
  if (distinct.size < 2) {
    throw new ConfigError(`OSIA_UIN_ALPHABET needs at least 2 distinct characters, got "${alphabet}"`);
  }
  if (distinct.size !== alphabet.length) {
    const repeated = [...distinct].filter((character) => alphabet.indexOf(character) !== alphabet.lastIndexOf(character));
    throw new ConfigError(`OSIA_UIN_ALPHABET repeats ${repeated.map((c) => `"${c}"`).join(', ')}: each character once`);
  }
  // UINs travel in URL paths (/v1/persons/{uin}) and file names.
  if (!/^[A-Za-z0-9]+$/.test(alphabet)) {
    throw new ConfigError(`OSIA_UIN_ALPHABET may hold ASCII letters and digits only, got "${alphabet}"`);
  }
  if (scheme === 'verhoeff' && [...distinct].sort().join('') !== '0123456789') {
    throw new ConfigError(`OSIA_UIN_CHECK_DIGIT=verhoeff needs OSIA_UIN_ALPHABET to be the ten digits 0-9; use luhn for "${alphabet}"`);
  }
  if (scheme === 'luhn' && alphabet.length % 2 !== 0) {
    throw new ConfigError(
      `OSIA_UIN_CHECK_DIGIT=luhn needs an even number of characters in OSIA_UIN_ALPHABET (got ${alphabet.length}): with an odd number some typing errors go unnoticed`,
    );
  }
}

export function uinFormatOf(settings: UinSettings): UinFormat {
  checkAlphabet(settings);
  const { uinLength: length, uinAlphabet: alphabet, uinCheckDigit: scheme } = settings;
  return {
    length,
    alphabet,
    leading: alphabet.replace('0', ''),
    checkCharacter: scheme === 'verhoeff' ? verhoeff.compute : (payload) => luhnModN.compute(payload, alphabet),
  };
}
