/** Candidates are drawn character by character from the random source: no counter, no hidden state. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { uinFormatOf } from '../../src/uin/uin-format.js';
import { createUinGenerator } from '../../src/uin/uin-generator.js';
import * as luhnModN from '../../src/uin/luhn-mod-n.js';
import * as verhoeff from '../../src/uin/verhoeff.js';
import { scriptedRandom } from './scripted-random.js';

function formatOf(env: NodeJS.ProcessEnv = {}) {
  const request = loadConfig([], env);
  if (request.help) throw new Error('unreachable: no --help given');
  return uinFormatOf(request.config);
}

const decimal = formatOf();
const BASE34 = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

describe('UIN generator', () => {
  it('maps each draw to one character and appends the check character', () => {
    const random = scriptedRandom(0, 1, 2, 3, 4, 5, 6, 7, 8);
    const uin = createUinGenerator(decimal, random.source)();
    // The first draw picks among 1-9 (no leading 0), the next eight among 0-9.
    assert.deepEqual(random.ranges, [9, 10, 10, 10, 10, 10, 10, 10, 10]);
    assert.equal(uin, `112345678${decimal.checkCharacter('112345678')}`);
    assert.ok(verhoeff.validate(uin));
  });

  it('gives the same UIN for the same draws whatever it issued before (no counter)', () => {
    const draws = [8, 9, 0, 0, 0, 0, 0, 0, 0];
    const used = scriptedRandom();
    const generate = createUinGenerator(decimal, used.source);
    for (let i = 0; i < 50; i++) {
      used.queue(...draws);
      generate();
    }
    used.queue(...draws);
    const fresh = scriptedRandom(...draws);
    assert.equal(generate(), createUinGenerator(decimal, fresh.source)());
  });

  it('draws with crypto by default: consecutive UINs differ well before their last two characters', () => {
    const generate = createUinGenerator(decimal);
    const uins = Array.from({ length: 1000 }, generate);
    const prefix = (uin: string) => uin.slice(0, -2);
    const farApart = uins.slice(1).filter((uin, i) => prefix(uin) !== prefix(uins[i] as string)).length;
    // Two random 10-digit UINs share their first 8 characters with probability about 1e-8: 990 of 999 cannot fail
    // by chance, while any counter or clock-based scheme fails it at once.
    assert.ok(farApart >= 990, `only ${farApart} of 999 consecutive pairs differ before the last two characters`);
    assert.equal(new Set(uins).size, uins.length);
    assert.ok(uins.every((uin) => verhoeff.validate(uin) && /^[1-9]\d{9}$/.test(uin)));
    assert.deepEqual([...new Set(uins.map((uin) => uin.charAt(0)))].sort().join(''), '123456789', 'every leading digit');
  });

  it('uses the configured length and alphabet', () => {
    const base34 = formatOf({
      OSIA_UIN_LENGTH: '12',
      OSIA_UIN_ALPHABET: BASE34,
      OSIA_UIN_CHECK_DIGIT: 'luhn',
    });
    const random = scriptedRandom(32, 33, 33, 10, 11, 12, 13, 14, 15, 16, 0);
    const uin = createUinGenerator(base34, random.source)();
    assert.deepEqual(random.ranges, [33, ...Array(10).fill(34)]);
    assert.equal(uin.slice(0, -1), 'ZZZABCDEFG0');
    assert.ok(luhnModN.validate(uin, BASE34));
    assert.equal(uin.length, 12);
  });
});
