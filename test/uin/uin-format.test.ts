/** Start-up checks of the UIN settings: a bad combination stops the server with a one-line message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { uinFormatOf } from '../../src/uin/uin-format.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { openUinRegistry } from '../../src/uin/open-uin-registry.js';
import * as verhoeff from '../../src/uin/verhoeff.js';
import { Store } from '../../src/storage/store.js';

function configOf(env: NodeJS.ProcessEnv) {
  const request = loadConfig([], env);
  if (request.help) throw new Error('unreachable: no --help given');
  return request.config;
}

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    uinFormatOf(configOf(env));
  } catch (err) {
    assert.ok(err instanceof Error);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('UIN format settings', () => {
  it('defaults to 10 decimal digits with a Verhoeff check digit, never starting with 0', () => {
    const format = uinFormatOf(configOf({}));
    assert.equal(format.length, 10);
    assert.equal(format.alphabet, '0123456789');
    assert.equal(format.leading, '123456789');
    assert.equal(format.checkCharacter('236'), '3');
    assert.equal(format.checkCharacter('48392047'), verhoeff.compute('48392047'));
  });

  it('keeps every character in first position when the alphabet has no 0', () => {
    const format = uinFormatOf(configOf({ OSIA_UIN_ALPHABET: 'abcdef', OSIA_UIN_CHECK_DIGIT: 'luhn' }));
    assert.equal(format.leading, 'abcdef');
    assert.equal(format.checkCharacter('abcdef'), 'e', 'Luhn mod N over the configured alphabet');
  });

  it('refuses an alphabet with fewer than 2 distinct characters', () => {
    assert.match(refusal({ OSIA_UIN_ALPHABET: '7', OSIA_UIN_CHECK_DIGIT: 'luhn' }), /at least 2 distinct characters, got "7"/);
    assert.match(refusal({ OSIA_UIN_ALPHABET: 'AAAA', OSIA_UIN_CHECK_DIGIT: 'luhn' }), /at least 2 distinct/);
  });

  it('refuses an alphabet that repeats a character, naming it', () => {
    assert.match(refusal({ OSIA_UIN_ALPHABET: '01234567890' }), /repeats "0"/);
  });

  it('refuses characters that cannot travel in a URL path as they are', () => {
    assert.match(refusal({ OSIA_UIN_ALPHABET: 'AB/C', OSIA_UIN_CHECK_DIGIT: 'luhn' }), /ASCII letters and digits only/);
  });

  it('refuses verhoeff with any alphabet other than the ten digits', () => {
    assert.match(refusal({ OSIA_UIN_ALPHABET: 'ABCDEFGHIJ' }), /verhoeff needs .* the ten digits/);
    assert.match(refusal({ OSIA_UIN_ALPHABET: '012345678' }), /verhoeff needs/);
    assert.doesNotThrow(() => uinFormatOf(configOf({ OSIA_UIN_ALPHABET: '9876543210' })));
  });

  it('refuses luhn with an odd-sized alphabet, which would let some typing errors through', () => {
    assert.match(refusal({ OSIA_UIN_ALPHABET: '012345678', OSIA_UIN_CHECK_DIGIT: 'luhn' }), /even number of characters/);
  });

  it('is checked when the UIN registry is opened, before the store is touched', () => {
    const untouchedStorage = new Proxy({}, { get: () => assert.fail('the store was used') });
    assert.throws(() => openUinRegistry(new Store(untouchedStorage as Storage), configOf({ OSIA_UIN_ALPHABET: 'ABCDEFGHIJ' }), systemClock), /verhoeff needs/);
  });
});
