/** A missing or invalid profile stops start-up with one line naming the file and the key at fault. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config-options.js';
import { INTERFACE_NAMES } from '../../src/openapi/interfaces.js';
import { loadServedDocuments } from '../../src/profile/served-documents.js';
import { outputOf, spawnTs } from '../support/child-process.js';
import { EXAMPLE_PROFILE, type ProfileFiles, profileFiles } from './profile-files.js';

describe('country profile validation', () => {
  let files: ProfileFiles;
  before(async () => {
    files = await profileFiles();
  });
  after(() => files.remove());

  async function refusal(text: string): Promise<string> {
    const file = await files.write('profile.yaml', text);
    const error = await loadServedDocuments(INTERFACE_NAMES, file).then(
      () => assert.fail('the profile was accepted'),
      (err: unknown) => err,
    );
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(error.message.startsWith(`OSIA_PROFILE ${file}: `), error.message);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error.message;
  }

  it('accepts the shipped example profile', async () => {
    const documents = await loadServedDocuments(INTERFACE_NAMES, EXAMPLE_PROFILE);
    assert.equal(documents.length, INTERFACE_NAMES.length);
  });

  it('refuses a missing file', async () => {
    const error = await loadServedDocuments(['pr'], '/nonexistent/profile.yaml').catch((err: unknown) => err);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, 'OSIA_PROFILE /nonexistent/profile.yaml: cannot read the profile (no such file)');
  });

  it('refuses YAML that does not parse, a top level that is not a mapping, and an empty profile', async () => {
    assert.match(await refusal('BiographicData: [unclosed'), /not valid YAML/);
    assert.match(await refusal('- BiographicData\n'), /top level must be a mapping/);
    assert.match(await refusal('{}\n'), /defines nothing/);
  });

  it('refuses an unknown component and lists the allowed ones', async () => {
    const message = await refusal('BiographicDatum:\n  type: object\n');
    assert.match(message, /BiographicDatum: unknown component; allowed: /);
    for (const name of ['BiographicData', 'ContextualData', 'RequestData', 'EnrollmentFlags', 'Filter', 'ContactData']) {
      assert.ok(message.includes(name), name);
    }
  });

  it('refuses a component that OSIA defines itself (not free-form)', async () => {
    assert.match(await refusal('Identity:\n  type: object\n'), /Identity: unknown component/);
    assert.match(await refusal('pr:\n  Identity:\n    type: object\n'), /pr\.Identity: not a free-form component of pr; allowed: ContextualData, BiographicData/);
  });

  it('refuses a value that is not a schema object', async () => {
    assert.match(await refusal('BiographicData: 42\n'), /BiographicData: \/: must be a schema object/);
    assert.match(await refusal('BiographicData:\n  properties:\n    firstName: text\n'), /\/properties\/firstName: must be a schema object/);
  });

  it('refuses what ajv cannot compile, naming the component', async () => {
    assert.match(await refusal('BiographicData:\n  type: object\n  required: firstName\n'), /BiographicData \(in \w+\): invalid schema: .*required must be array/);
    assert.match(await refusal("ContextualData:\n  type: string\n  pattern: '(unclosed'\n"), /ContextualData \(in \w+\): invalid schema/);
  });

  it('refuses what is not OpenAPI 3.0 even though JSON Schema allows it', async () => {
    const gender = 'BiographicData:\n  type: object\n  properties:\n    gender:\n';
    assert.match(await refusal(`${gender}      const: F\n`), /\/properties\/gender: "const" is not an OpenAPI 3.0 schema keyword/);
    assert.match(await refusal(`${gender}      type: [string, 'null']\n`), /\/properties\/gender: type must be one of/);
    assert.match(await refusal('BiographicData:\n  type: array\n'), /BiographicData: \/: an array schema needs items/);
    assert.match(await refusal('BiographicData:\n  type: array\n  items: [{type: string}]\n'), /items must be one schema object/);
  });

  it('refuses a $ref outside the document, and one to a component the document lacks', async () => {
    const external = await refusal("BiographicData:\n  $ref: 'national.yaml#/Person'\n");
    assert.match(external, /BiographicData: \/: \$ref "national.yaml#\/Person" must point to a component of the same document/);
    const missing = await refusal("ContactData:\n  type: object\n  properties:\n    photo:\n      $ref: '#/components/schemas/Portrait'\n");
    assert.match(missing, /ContactData \(in thirdparty\): \$ref to component Portrait, which thirdparty does not have/);
  });

  it('accepts a $ref to another component of the same document', async () => {
    const file = await files.write('ref.yaml', "pr:\n  ContextualData:\n    type: object\n    properties:\n      capture:\n        $ref: '#/components/schemas/BiometricData'\n");
    const [pr] = await loadServedDocuments(['pr'], file);
    assert.deepEqual(pr?.document.components?.schemas?.ContextualData, {
      type: 'object',
      properties: { capture: { $ref: '#/components/schemas/BiometricData' } },
    });
  });

  it('refuses a default that its own schema rejects', async () => {
    const text = 'BiographicData:\n  type: object\n  properties:\n    gender:\n      type: string\n      enum: [M, F]\n      default: Z\n';
    assert.match(await refusal(text), /BiographicData \(in \w+\): \/properties\/gender: default "Z" is invalid: \/ must be equal to one of the allowed values/);
    const nested = "ContextualData:\n  type: object\n  properties:\n    'office code':\n      type: object\n      properties:\n        id:\n          type: integer\n          default: '7'\n";
    assert.match(await refusal(nested), /ContextualData \(in \w+\): \/properties\/office code\/properties\/id: default "7" is invalid: \/ must be integer/);
  });

  it('checks the profile against every document, even those not served', async () => {
    // RequestData is free-form only in enrollment; a PR-only server still refuses a broken one.
    const message = await refusal('RequestData:\n  type: object\n  required: priority\n');
    assert.match(message, /RequestData \(in enrollment\)/);
    const file = await files.write('enrollment-only.yaml', 'RequestData:\n  type: object\n');
    const [pr] = await loadServedDocuments(['pr'], file);
    assert.equal(pr?.document.components?.schemas?.RequestData, undefined);
  });

  it('never replaces a component that OSIA structures in another document', async () => {
    // CMS defines its own RequestData (priority, credentialProfileId …): a shared RequestData leaves it alone.
    const file = await files.write('request-data.yaml', 'RequestData:\n  type: object\n  properties:\n    urgent:\n      type: boolean\n');
    const [enrollment, cms] = await loadServedDocuments(['enrollment', 'cms'], file);
    assert.deepEqual(enrollment?.document.components?.schemas?.RequestData, { type: 'object', properties: { urgent: { type: 'boolean' } } });
    assert.deepEqual(cms?.document.components?.schemas?.RequestData?.required, ['priority', 'credentialProfileId', 'requestType']);
  });

  it('stops the server with the one-line reason and exit code 2', async () => {
    const { stderr, code } = await outputOf(spawnTs('src/main.ts', [], { OSIA_PROFILE: '/nonexistent/profile.yaml', PORT: '0' }));
    assert.equal(code, 2);
    assert.equal(stderr, 'osia-server: OSIA_PROFILE /nonexistent/profile.yaml: cannot read the profile (no such file)\n');
  });
});
