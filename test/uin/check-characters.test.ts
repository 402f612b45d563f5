/** The check-character algorithms against published test vectors and their error-detection promises. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as luhnModN from '../../src/uin/luhn-mod-n.js';
import * as verhoeff from '../../src/uin/verhoeff.js';

const DECIMAL = '0123456789';
const BASE34 = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Every code obtained by replacing one character of `code` with another character of the alphabet. */
function substitutions(code: string, alphabet: string): string[] {
  return [...code].flatMap((original, i) =>
    [...alphabet].filter((other) => other !== original).map((other) => code.slice(0, i) + other + code.slice(i + 1)),
  );
}

function adjacentTranspositions(code: string): string[] {
  return [...code.slice(1)]
    .map((_, i) => code.slice(0, i) + code.charAt(i + 1) + code.charAt(i) + code.slice(i + 2))
    .filter((swapped) => swapped !== code);
}

describe('Verhoeff', () => {
  for (const [payload, check] of [
    ['236', '3'],
    ['12345', '1'],
    ['142857', '0'],
  ] as const) {
    it(`computes ${check} for "${payload}" and accepts "${payload}${check}"`, () => {
      assert.equal(verhoeff.compute(payload), check);
      assert.ok(verhoeff.validate(payload + check));
    });
  }

  it('rejects a wrong check digit and non-decimal input', () => {
    assert.equal(verhoeff.validate('2364'), false);
    assert.equal(verhoeff.validate('23A3'), false);
    assert.equal(verhoeff.validate(''), false);
    assert.throws(() => verhoeff.compute('12A'), /decimal digits only/);
  });

  it('detects every single-digit substitution and every adjacent transposition', () => {
    for (const payload of ['4839204715', '100000000', '987654321']) {
      const code = payload + verhoeff.compute(payload);
      assert.ok(verhoeff.validate(code), code);
      for (const wrong of [...substitutions(code, DECIMAL), ...adjacentTranspositions(code)]) {
        assert.equal(verhoeff.validate(wrong), false, `${wrong} passed for ${code}`);
      }
    }
  });
});

describe('Luhn mod N', () => {
  it('computes 3 for "7992739871" on the decimal alphabet (classic Luhn)', () => {
    assert.equal(luhnModN.compute('7992739871', DECIMAL), '3');
    assert.ok(luhnModN.validate('79927398713', DECIMAL));
    assert.equal(luhnModN.validate('79927398710', DECIMAL), false);
  });

  it('computes "e" for "abcdef" on the alphabet "abcdef" (the published mod-N example)', () => {
    assert.equal(luhnModN.compute('abcdef', 'abcdef'), 'e');
    assert.ok(luhnModN.validate('abcdefe', 'abcdef'));
  });

  it('round-trips on a 34-character alphabet and detects every single-character substitution', () => {
    for (const payload of ['A1B2C3D4E5F', 'ZZZZZZZZZZZ', '00000000001', 'HJKLMNPQRST']) {
      const check = luhnModN.compute(payload, BASE34);
      assert.equal(check.length, 1);
      assert.ok(BASE34.includes(check));
      const code = payload + check;
      assert.ok(luhnModN.validate(code, BASE34), code);
      const wrongs = substitutions(code, BASE34);
      assert.equal(wrongs.length, code.length * (BASE34.length - 1));
      for (const wrong of wrongs) assert.equal(luhnModN.validate(wrong, BASE34), false, `${wrong} passed for ${code}`);
    }
  });

  it('rejects characters outside the alphabet', () => {
    assert.equal(luhnModN.validate('A1B2I', BASE34), false, 'I is not in the alphabet');
    assert.throws(() => luhnModN.compute('O0', BASE34), /outside the alphabet/);
  });
});
