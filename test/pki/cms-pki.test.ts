/**
 * The pki producer behind the CMS interface: certificates issued with the credential, following suspend,
 * unsuspend and revoke, as a relying party sees it: the CA certificate from `/cms/ca.pem`, the CRL from `/cms/crl`.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { credentialRequest, credentialUrl, issue, readCredential } from '../cms/cms-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';
import { openssl, readCrl } from './pki-fixtures.js';
import { binaryBody } from '../support/binary-body.js';

describe('CMS with the pki producer', () => {
  let caFile: string;
  const t = useTestApp({ interfaces: ['cms'] });
  before(async () => {
    const ca = await request(t.app).get('/cms/ca.pem');
    assert.equal(ca.status, 200);
    caFile = path.join(t.dataDir, 'published-ca.pem');
    await writeFile(caFile, ca.text);
  });

  const post = (id: string, action: string, body?: object) => request(t.app).post(credentialUrl(id, `/${action}`)).send(body);
  /** The published CRL's entries, once OpenSSL has checked its signature against the published CA. */
  const crlEntries = async () => {
    const res = await request(t.app)
      .get('/cms/crl')
      .buffer(true)
      .parse(binaryBody);
    assert.equal(res.headers['content-type'], 'application/pkix-crl');
    const crlFile = path.join(t.dataDir, 'published.crl');
    await writeFile(crlFile, res.body as Buffer);
    assert.match(await openssl('crl', '-inform', 'DER', '-in', crlFile, '-CAfile', caFile, '-noout'), /verify OK/);
    return readCrl(res.body as Buffer).entries;
  };

  it('issues a national ID card with two certificates and follows its status on the CRL', async () => {
    const id = await issue(t, 'PKI-1', credentialRequest('NATIONAL_ID_CARD'));
    const credential = await readCredential(t, id);
    const certificates = (credential.others as { certificates: { usage: string; serialNumber: string; certificate: string }[] })
      .certificates;
    assert.deepEqual(
      certificates.map((item) => item.usage),
      ['authentication', 'signature'],
    );
    assert.equal(credential.serialNumber, certificates[0]?.serialNumber);
    assert.equal(credential.producerState, undefined);
    const auth = new X509Certificate(certificates[0]?.certificate as string);
    assert.equal(auth.subject, `CN=Ada Lovelace\nSN=Lovelace\nGN=Ada\nserialNumber=${credential.credentialNumber}`);
    assert.equal(new Date(auth.validTo).getTime(), Math.floor(Date.parse(credential.expiryDate as string) / 1000) * 1000);
    const certFile = path.join(t.dataDir, 'auth.pem');
    await writeFile(certFile, auth.toString());
    assert.match(await openssl('verify', '-CAfile', caFile, certFile), /: OK/);

    const serials = certificates.map((item) => item.serialNumber);
    assert.equal((await post(id, 'suspend', { reason: 'holder travelling' })).status, 204);
    assert.deepEqual(await crlEntries(), new Map(serials.map((serial) => [serial, 6])));
    assert.equal((await post(id, 'unsuspend')).status, 204);
    assert.equal((await crlEntries()).size, 0);
    assert.equal((await post(id, 'revoke', { reason: 'card stolen' })).status, 204);
    assert.deepEqual(await crlEntries(), new Map(serials.map((serial) => [serial, 1])));
  });

  it('certifies the phone-generated key of a mobile ID as given', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const pem = key.export({ type: 'spki', format: 'pem' }) as string;
    const id = await issue(t, 'PKI-2', credentialRequest('MOBILE_ID', { others: { publicKeys: { authentication: pem } } }));
    const credential = await readCredential(t, id);
    const [auth] = (credential.others as { certificates: { certificate: string }[] }).certificates;
    assert.equal(new X509Certificate(auth?.certificate as string).publicKey.equals(key), true);
  });

  it('a later validFromDate is the certificate\'s notBefore', async () => {
    const id = await issue(t, 'PKI-4', credentialRequest('MOBILE_ID', { validFromDate: '2030-03-01T08:00:00Z' }));
    const [auth] = ((await readCredential(t, id)).others as { certificates: { certificate: string }[] }).certificates;
    assert.equal(new Date(new X509Certificate(auth?.certificate as string).validFrom).toISOString(), '2030-03-01T08:00:00.000Z');
  });

  it('a request with an unusable key fails, and no credential is made', async () => {
    const created = await request(t.app)
      .post('/cms/v1/credentialRequests/PKI-3?transactionId=tx')
      .send(credentialRequest('MOBILE_ID', { others: { publicKeys: { authentication: 'garbage' } } }));
    assert.equal(created.status, 201);
    const read = await request(t.app).get('/cms/v1/credentialRequests/PKI-3?transactionId=tx');
    assert.equal(read.body.status, 'FAILED');
    assert.deepEqual(read.body.credentialIds, []);
  });
});
