/** The attribute dictionary: the built-in one, files replacing it, and value conversions. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config-options.js';
import type { AttributeDefinition } from '../../src/dataaccess/attribute-dictionary.js';
import { callerValue, exposedValue, recordedValue } from '../../src/dataaccess/attribute-values.js';
import { builtInDictionary, loadDictionary } from '../../src/dataaccess/dictionary-file.js';
import { projectRoot } from '../../src/openapi/project-root.js';
import { InvalidError } from '../../src/shared/domain-errors.js';

describe('attribute dictionary', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-dictionary-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function fileWith(text: string): Promise<string> {
    const file = path.join(dir, `dictionary-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, text);
    return file;
  }

  it('ships config/dataaccess-dictionary.yaml identical to the built-in dictionary', async () => {
    const example = await loadDictionary(path.join(projectRoot(), 'config', 'dataaccess-dictionary.yaml'));
    assert.deepEqual(example, builtInDictionary());
  });

  it('the built-in dictionary holds the annex attributes, gender as ISO 5218', () => {
    const dictionary = builtInDictionary();
    for (const name of ['uin', 'firstName', 'lastName', 'dateOfBirth', 'placeOfBirth', 'gender', 'dateOfDeath', 'nationality']) {
      assert.ok(dictionary.has(name), name);
    }
    assert.deepEqual(dictionary.get('gender'), {
      path: 'biographicData.gender',
      type: 'integer',
      readable: true,
      values: { M: 1, F: 2 },
    });
  });

  it('loads a file, with defaults for type and readable', async () => {
    const file = await fileWith('attributes:\n  givenName: { path: biographicData.givenName }\n  secret: { path: contextualData.x, readable: false }\n');
    const dictionary = await loadDictionary(file);
    assert.deepEqual([...dictionary.keys()], ['givenName', 'secret']);
    assert.deepEqual(dictionary.get('givenName'), { path: 'biographicData.givenName', type: 'string', readable: true });
    assert.equal(dictionary.get('secret')?.readable, false);
  });

  const invalid: [string, string, RegExp][] = [
    ['a missing file', '', /cannot read the dictionary \(no such file\)/],
    ['invalid YAML', 'attributes: [unclosed', /not valid YAML/],
    ['no attributes mapping', 'firstName: biographicData.firstName\n', /top level must hold an `attributes` mapping/],
    ['an unknown top-level key', 'attributes: { a: { path: x } }\nextra: 1\n', /extra: unknown top-level key/],
    ['an empty dictionary', 'attributes: {}\n', /defines no attribute/],
    ['an entry without path', 'attributes:\n  firstName: { type: string }\n', /attributes\.firstName: path must be a dotted path/],
    ['a bad path', 'attributes:\n  firstName: { path: "biographicData..x" }\n', /attributes\.firstName: path must be/],
    ['an unknown person field', 'attributes:\n  uin: { path: person.nickname }\n', /attributes\.uin: a person path is one of person\.personId/],
    ['an unknown type', 'attributes:\n  age: { path: b.age, type: float }\n', /attributes\.age: type must be one of string, integer/],
    ['an unknown key', 'attributes:\n  age: { path: b.age, searchable: true }\n', /attributes\.age: unknown key\(s\) searchable/],
    ['a non-boolean readable', 'attributes:\n  age: { path: b.age, readable: "no" }\n', /attributes\.age: readable must be true or false/],
    ['a mapped value of the wrong type', 'attributes:\n  gender: { path: b.g, type: integer, values: { M: male } }\n', /values\.M must be of type integer/],
    ['a mapping that is not one-to-one', 'attributes:\n  gender: { path: b.g, type: integer, values: { M: 1, H: 1 } }\n', /maps two recorded values to 1/],
    ['a bad attribute name', 'attributes:\n  "first name": { path: b.x }\n', /attributes\.first name: an attribute name starts with a letter/],
  ];
  for (const [what, text, message] of invalid) {
    it(`refuses ${what} with a ConfigError naming the file`, async () => {
      const file = text === '' ? path.join(dir, 'absent.yaml') : await fileWith(text);
      await assert.rejects(loadDictionary(file), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.ok(err.message.startsWith(`OSIA_DATAACCESS_DICTIONARY ${file}: `), err.message);
        assert.match(err.message, message);
        return true;
      });
    });
  }
});

describe('attribute values', () => {
  const gender: AttributeDefinition = { path: 'b.g', type: 'integer', readable: true, values: { M: 1, F: 2 } };
  const date: AttributeDefinition = { path: 'b.d', type: 'date', readable: true };
  const flag: AttributeDefinition = { path: 'b.f', type: 'boolean', readable: true };
  const height: AttributeDefinition = { path: 'b.h', type: 'number', readable: true };

  it('reads callers\' strings as the declared type', () => {
    assert.equal(callerValue('gender', gender, '2'), 2);
    assert.equal(callerValue('gender', gender, 1), 1);
    assert.equal(callerValue('flag', flag, 'true'), true);
    assert.equal(callerValue('height', height, '1.82'), 1.82);
    assert.equal(callerValue('dateOfBirth', date, '1984-11-19'), '1984-11-19');
  });

  it('refuses values of another type with 400 naming the attribute, not the value', () => {
    for (const [definition, value] of [[gender, 'M'], [gender, '1.5'], [flag, 'yes'], [height, 'tall'], [date, '19/11/1984'], [date, 19841119]] as const) {
      assert.throws(
        () => callerValue('attr', definition, value),
        (err: Error) => err instanceof InvalidError && /^attribute attr must be/.test(err.message) && !err.message.includes(String(value)),
      );
    }
  });

  it('maps recorded values to Data Access values and back', () => {
    assert.equal(exposedValue(gender, 'M'), 1);
    assert.equal(exposedValue(gender, 'F'), 2);
    assert.equal(exposedValue(gender, 9), 9, 'an ISO 5218 code recorded as is passes');
    assert.equal(exposedValue(gender, 'X'), undefined, 'an unmapped letter cannot be an integer');
    assert.equal(recordedValue(gender, 2), 'F');
    assert.equal(recordedValue(gender, 9), 9);
    assert.equal(recordedValue(date, '1984-11-19'), '1984-11-19');
  });
});
