import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type express from 'express';
import request from 'supertest';
import type { PkiIssuer } from '../../src/credentials/pki/pki-issuer.js';
import { pkiInterface } from '../../src/credentials/pki/pki.routes.js';
import { servedAlone } from '../support/served-alone.js';
import { createPkiWorld, type PkiWorld, readCrl } from './pki-fixtures.js';

let world: PkiWorld;
let issuer: PkiIssuer;
let app: express.Express;
before(async () => {
  world = await createPkiWorld();
  issuer = await world.open();
  app = await servedAlone(pkiInterface, issuer, '/cms');
});
after(() => world.close());

test('GET /cms/crl serves the current CRL as DER, without authentication', async () => {
  const response = await request(app).get('/cms/crl').buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers['content-type'], 'application/pkix-crl');
  assert.deepEqual(response.body, await issuer.crl());
  assert.equal(readCrl(response.body as Buffer).number, 1);
});

test('GET /cms/ca.pem serves the CA certificate', async () => {
  const response = await request(app).get('/cms/ca.pem');
  assert.equal(response.status, 200);
  assert.match(response.headers['content-type'] as string, /^application\/pem-certificate-chain/);
  assert.equal(response.text, issuer.caCertificatePem());
});
