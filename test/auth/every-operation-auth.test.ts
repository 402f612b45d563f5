/**
 * Walks all 81 operations with authentication on: no token → 401, a token without the operation's scope → 403,
 * a token with exactly the scope named in our documents → neither 401 nor 403.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { scopeRequirement } from '../../src/auth/scope-requirement.js';
import { listOperations, loadDocuments } from '../../src/openapi/documents.js';
import { type SampleRequest, validRequest } from '../../src/check/sample-request.js';
import type { TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';

const documents = await loadDocuments();
/** The interfaces whose modules declare how their operations are audited (those that touch personal data). */
const AUDITED = new Set(['pr', 'dataaccess', 'enrollment', 'cms', 'thirdparty', 'abis', 'audit']);

function send(app: TestApp['app'], sample: SampleRequest, token?: string) {
  const call = request(app)[sample.method](sample.url).set(sample.headers);
  if (token) call.set('Authorization', `Bearer ${token}`);
  return sample.body === undefined ? call : call.send(sample.body as object);
}

describe('OSIA scopes on every operation', () => {
  let unrelated: string;
  const t = useTestApp({ env: { OSIA_AUTH: 'on' } });
  before(async () => {
    // A well-formed scope that no operation asks for.
    unrelated = await tokenFor(t.dataDir, 'census.statistics.read');
  });

  for (const { name, document } of documents) {
    for (const entry of listOperations(document)) {
      const sample = validRequest(entry, document, `/${name}`);
      const pathParams = Object.fromEntries(
        (entry.operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, `sample-${p.name}`]),
      );
      const [scopes = []] = scopeRequirement(name, entry)(pathParams);
      it(`${name} ${entry.operationId} needs ${scopes.join(' ')}`, async () => {
        const anonymous = await send(t.app, sample);
        assert.equal(anonymous.status, 401);
        assert.match(anonymous.headers['www-authenticate'] ?? '', /^Bearer/);
        assert.deepEqual(Object.keys(anonymous.body).sort(), ['code', 'message']);

        const forbidden = await send(t.app, sample, unrelated);
        assert.equal(forbidden.status, 403, JSON.stringify(forbidden.body));
        assert.match(forbidden.body.message, new RegExp(scopes[0]?.replace(/\./g, '\\.') ?? ''));
        if (entry.operation.requestBody) {
          // The scope is checked before the body is read: a broken body of the wrong media type still gets 403,
          // never a 400 or 415 telling an unauthorised caller how to shape its request.
          const broken = await request(t.app)[sample.method](sample.url).set(sample.headers).set('Authorization', `Bearer ${unrelated}`)
            .set('Content-Type', 'application/x-unheard-of').send('{"broken":');
          assert.equal(broken.status, 403, `${broken.status} ${JSON.stringify(broken.body)}`);
        }

        const allowed = await send(t.app, sample, await tokenFor(t.dataDir, scopes.join(' ')));
        assert.ok(![401, 403].includes(allowed.status), `${allowed.status} ${JSON.stringify(allowed.body)}`);
        if (AUDITED.has(name) && allowed.status !== 400) {
          const events = await (await t.storage.documents.collection('audit_events')).find({ operationId: entry.operationId });
          assert.ok(
            events.some((event) => event.status === allowed.status && event.subject === 'test-user'),
            `an audit record for ${entry.operationId}`,
          );
        }
      });
    }
  }

  it('accepts either the pr.* or the cr.* scope for Data Access', async () => {
    for (const scope of ['pr.person.read', 'cr.person.read']) {
      const res = await request(t.app)
        .get('/dataaccess/v1/persons/p1?attributeNames=firstName')
        .set('Authorization', `Bearer ${await tokenFor(t.dataDir, scope)}`);
      assert.ok(![401, 403].includes(res.status), `${scope}: ${res.status}`);
    }
  });

  it('needs id.<setName>.read for readAttributeSet, per set', async () => {
    const token = await tokenFor(t.dataDir, 'id.DEFAULT_SET_01.read');
    const own = await request(t.app)
      .get('/thirdparty/v1/attributes/DEFAULT_SET_01/123?transactionId=t')
      .set('Authorization', `Bearer ${token}`);
    assert.ok(![401, 403].includes(own.status));
    const other = await request(t.app)
      .get('/thirdparty/v1/attributes/DEFAULT_SET_02/123?transactionId=t')
      .set('Authorization', `Bearer ${token}`);
    assert.equal(other.status, 403);
  });
});
