/**
 * Stores written before the unit of work named the server-held private key of a certificate in `privateKeyBlobId`
 * and the CRL's DER in the state's `blobId`. Both stay readable: the CRL is served as stored, and revoking such a
 * certificate still deletes its key.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createPkiProducer } from '../../src/credentials/pki/pki-producer.js';
import { createPkiWorld, order, type PkiWorld, readCrl, stubBaseProducer } from './pki-fixtures.js';

let world: PkiWorld;
before(async () => {
  world = await createPkiWorld();
});
after(() => world.close());

/** Rewrites a stored record in the older shape: the blob its member `member` names, as a bare id in `former`. */
async function toOlderShape(collection: string, id: string, member: string, former: string): Promise<string> {
  const records = await world.storage.documents.collection(collection);
  const { [member]: ref, ...rest } = (await records.get(id)) ?? assert.fail(`no ${id} in ${collection}`);
  const { blobRef } = ref as { blobRef: string };
  await records.put({ ...rest, _id: id, [former]: blobRef });
  return blobRef;
}

it('a certificate key and a CRL named by bare blob ids are read, and revocation deletes the key', async () => {
  const issuer = await world.open();
  const producer = createPkiProducer({ base: stubBaseProducer(), issuer });
  const outcome = await producer.produce(order(undefined, ['authentication']));
  if (outcome.status !== 'ISSUED') assert.fail(`not issued: ${outcome.status}`);
  const [certificate] = (outcome.credentials[0]?.producerState?.certificates ?? []) as { serial: string }[];
  const serial = certificate?.serial ?? assert.fail('one certificate');
  const crl = await issuer.crl();
  const keyBlob = await toOlderShape('pki_certificates', serial, 'privateKey', 'privateKeyBlobId');
  await toOlderShape('pki_state', 'crl', 'der', 'blobId');

  const reopened = await world.open();
  assert.deepEqual(await reopened.crl(), crl, 'the stored CRL is served, not signed anew');
  await createPkiProducer({ base: stubBaseProducer(), issuer: reopened }).statusChanged?.({
    credentialId: 'cred-0001',
    transactionId: 'tx',
    from: 'ACTIVE',
    to: 'REVOKED',
  });
  assert.equal(await world.storage.blobs.get(keyBlob), undefined, 'the revoked certificate key is gone');
  const record = await (await world.storage.documents.collection('pki_certificates')).get(serial);
  assert.deepEqual([record?.status, record?.privateKeyBlobId, record?.privateKey], ['REVOKED', undefined, undefined]);
  assert.equal(readCrl(await reopened.crl()).entries.has(serial), true);
});
