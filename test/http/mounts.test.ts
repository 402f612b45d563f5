/** OSIA_MOUNTS: any interface at any prefix, `/` included; a single interface also at `/`; ambiguity refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { parse } from 'yaml';
import { ConfigError } from '../../src/config/config-options.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createTestApp, } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

const ALIVE = { status: 'ACTIVE', physicalStatus: 'ALIVE' };

describe('OSIA_MOUNTS', () => {
  const t = useTestApp({ env: { OSIA_MOUNTS: 'uin=/,pr=/registry' } });

  it('serves an interface mounted at the root, as a client building new URL("/v1/uin", base) calls it', async () => {
    const base = 'http://127.0.0.1:1/';
    const url = new URL('/v1/uin?transactionId=t', base);
    const res = await request(t.app).post(`${url.pathname}${url.search}`).send({});
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.body, 'string');
    assert.equal((await request(t.app).post('/uin/v1/uin?transactionId=t').send({})).status, 404, 'moved, not copied');
  });

  it('keeps the other interfaces, moved or not, working beside the root mount', async () => {
    assert.equal((await request(t.app).post('/registry/v1/persons/M1?transactionId=t').send(ALIVE)).status, 201);
    assert.equal((await request(t.app).get('/registry/v1/persons/M1?transactionId=t')).body.personId, 'M1');
    // Data Access follows the PR to its new prefix, and keeps its own.
    const attributes = await request(t.app).get('/registry/v1/persons/M1?attributeNames=uin');
    assert.match(attributes.body.message, /person M1 has no reference identity/, 'answered by Data Access, not readPerson');
    assert.equal((await request(t.app).post('/cms/v1/credentialProfiles?transactionId=t').send([])).status, 200);
    assert.equal((await request(t.app).get('/healthz')).status, 200);
  });

  it('names the mount points in the served documents, for Swagger UI', async () => {
    const uin = parse((await request(t.app).get('/openapi/uin.yaml')).text);
    assert.deepEqual(uin.servers, [{ url: '/' }]);
    const pr = parse((await request(t.app).get('/openapi/pr.yaml')).text);
    assert.deepEqual(pr.servers, [{ url: '/registry' }]);
  });
});

describe('a server of one interface', () => {
  const t = useTestApp({ interfaces: ['uin'] });

  it('serves it under its prefix and at the root', async () => {
    for (const path of ['/uin/v1/uin', '/v1/uin']) {
      assert.equal((await request(t.app).post(`${path}?transactionId=t`).send({})).status, 200, path);
    }
  });
});

describe('mount configuration', () => {
  const refusal = async (env: NodeJS.ProcessEnv, interfaces?: ['pr']) => {
    const failure = await createTestApp({ env, ...(interfaces ? { interfaces } : {}) }).then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    assert.ok(failure instanceof ConfigError, `refused with a ConfigError: ${failure}`);
    return failure.message;
  };

  it('stops start-up on an ambiguous mounting, naming both operations', async () => {
    const message = await refusal({ OSIA_MOUNTS: 'pr=/,abis=/' });
    assert.match(message, /ambiguous mounting: pr findPersons \(POST \/v1\/persons\) and abis createEncounterNoIds/);
    assert.doesNotMatch(message, /\n/);
  });

  it('refuses a prefix the server uses itself, and an interface that is not served', async () => {
    assert.match(await refusal({ OSIA_MOUNTS: 'uin=/docs' }), /cannot be mounted at \/docs/);
    assert.match(await refusal({ OSIA_MOUNTS: 'uin=/' }, ['pr']), /mounts uin, which is not served/);
  });

  it('refuses malformed entries with one line', () => {
    for (const raw of ['uin', 'uin=v1', 'nope=/x', 'uin=/a,uin=/b', 'uin=/a b']) {
      assert.throws(() => loadConfig([], { OSIA_MOUNTS: raw }), ConfigError, raw);
    }
    const request = loadConfig([], { OSIA_MOUNTS: 'uin=/, pr=/registry/v7' });
    assert.ok(!request.help);
    assert.deepEqual(request.config.mounts, { uin: '/', pr: '/registry/v7' });
  });
});
