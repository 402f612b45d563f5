import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadDocument } from '../../src/openapi/documents.js';
import { createSchemaValidator } from '../../src/openapi/schema-validator.js';

const { document } = await loadDocument('pr');
const validator = createSchemaValidator(document);

it('accepts a valid identity without its readOnly required id', () => {
  assert.equal(validator.check('Identity', { identityType: 'claim', status: 'CLAIMED', galleries: ['G1'] }), '');
});

it('names each violation', () => {
  const problems = validator.check('Identity', { identityType: 'claim', status: 'LOST', galleries: [], extra: 1 });
  assert.match(problems, /\/status must be equal to one of the allowed values/);
  assert.match(problems, /\/galleries must NOT have fewer than 1 items/);
  assert.match(problems, /must NOT have additional properties/);
});

it('checks formats', () => {
  assert.match(validator.check('Identity', { identityType: 't', status: 'VALID', createdDate: 'yesterday' }), /createdDate must match format/);
});
