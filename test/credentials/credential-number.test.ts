/** The check digit of credential numbers (ICAO Doc 9303, part 3, 4.9). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { icaoCheckDigit } from '../../src/credentials/credential-number.js';

it('credential numbers carry the ICAO 9303 check digit (specimen values of ICAO Doc 9303)', () => {
  assert.equal(icaoCheckDigit('L898902C3'), '6');
  assert.equal(icaoCheckDigit('740812'), '2');
});
