import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as pkijs from 'pkijs';
import type { CredentialChange, ProducedCredential, ProductionOutcome } from '../../src/credentials/credential-producer.port.js';
import { createPkiProducer } from '../../src/credentials/pki/pki-producer.js';
import type { PkiIssuer } from '../../src/credentials/pki/pki-issuer.js';
import { ConflictError } from '../../src/shared/domain-errors.js';
import { createPkiWorld, ISSUED, openssl, order, type PkiWorld, readCrl, stubBaseProducer } from './pki-fixtures.js';

interface StateCertificate {
  usage: string;
  serial: string;
  pem: string;
  keyOrigin: string;
}

function issued(outcome: ProductionOutcome): ProducedCredential {
  assert.equal(outcome.status, 'ISSUED');
  assert.equal(outcome.credentials.length, 1);
  return outcome.credentials[0] as ProducedCredential;
}

function certificatesOf(credential: ProducedCredential): StateCertificate[] {
  return credential.producerState?.certificates as StateCertificate[];
}

/** The blob a stored certificate record keeps its server-held private key in. */
function keyBlobOf(record: Record<string, unknown> | undefined): string {
  const key = record?.privateKey as { blobRef: string } | undefined;
  assert.ok(key, 'the record names a server-held key');
  return key.blobRef;
}

/** A fresh PKI world for a suite: its issuer and the CA certificate as a file for OpenSSL. */
async function openWorld(): Promise<{ world: PkiWorld; issuer: PkiIssuer; caFile: string }> {
  const world = await createPkiWorld();
  const issuer = await world.open();
  return { world, issuer, caFile: await world.file('ca.pem', issuer.caCertificatePem()) };
}

describe('pki producer', () => {
  let world: PkiWorld;
  let issuer: PkiIssuer;
  let caFile: string;
  before(async () => {
    ({ world, issuer, caFile } = await openWorld());
  });
  after(() => world.close());

  test('issues authentication and signature certificates that chain to the CA', async () => {
    const base = stubBaseProducer();
    const credential = issued(await createPkiProducer({ base, issuer }).produce(order()));
    const [auth, sign] = certificatesOf(credential) as [StateCertificate, StateCertificate];
    assert.deepEqual([auth.usage, sign.usage], ['authentication', 'signature']);
    assert.equal(credential.serialNumber, auth.serial);
    assert.match(auth.serial, /^[4-7][0-9A-F]{31}$/);
    assert.notEqual(auth.serial, sign.serial);
    assert.deepEqual(credential.others?.certificates, [
      { usage: 'authentication', serialNumber: auth.serial, certificate: auth.pem },
      { usage: 'signature', serialNumber: sign.serial, certificate: sign.pem },
    ]);

    const authFile = await world.file('auth.pem', auth.pem);
    const signFile = await world.file('sign.pem', sign.pem);
    assert.match(await openssl('verify', '-CAfile', caFile, '-purpose', 'sslclient', authFile), /auth\.pem: OK/);
    assert.match(await openssl('verify', '-CAfile', caFile, signFile), /sign\.pem: OK/);

    const authText = await openssl('x509', '-noout', '-text', '-nameopt', 'RFC2253', '-in', authFile);
    assert.match(authText, /Subject: serialNumber=ID-2025-000123,GN=Ada,SN=Lovelace,CN=Ada Lovelace/);
    assert.doesNotMatch(authText, /4839204715/, 'the personId (UIN) stays out of the certificate');
    assert.match(authText, /Not Before: Jan 15 00:00:00 2025 GMT/);
    assert.match(authText, /Not After : Jan 14 23:59:59 2035 GMT/);
    assert.match(authText, /Key Usage: critical\s+Digital Signature\n/);
    assert.match(authText, /Extended Key Usage:\s+TLS Web Client Authentication/);
    assert.match(authText, /CRL Distribution Points:\s+Full Name:\s+URI:https:\/\/id\.example\.org\/cms\/crl/);
    assert.match(authText, /Authority Key Identifier/);
    const signText = await openssl('x509', '-noout', '-text', '-in', signFile);
    assert.match(signText, /Key Usage: critical\s+Digital Signature, Non Repudiation/);
    assert.doesNotMatch(signText, /Extended Key Usage/);

    // pkijs chain validation agrees with OpenSSL.
    const parse = (pem: string) => pkijs.Certificate.fromBER(new X509Certificate(pem).raw);
    const chain = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [parse(issuer.caCertificatePem())],
      certs: [parse(sign.pem)],
      checkDate: new Date(),
    });
    const verdict = await chain.verify();
    assert.equal(verdict.result, true, verdict.resultMessage);
  });

  test('server-generated private keys go to the blob store, never into the producer state', async () => {
    const credential = issued(await createPkiProducer({ base: stubBaseProducer(), issuer }).produce(order(undefined, ['authentication'])));
    const [auth] = certificatesOf(credential) as [StateCertificate];
    assert.equal(auth.keyOrigin, 'server');
    assert.doesNotMatch(JSON.stringify(credential), /PRIVATE KEY/);
    const record = await (await world.storage.documents.collection('pki_certificates')).get(auth.serial);
    assert.ok(record);
    assert.doesNotMatch(JSON.stringify(record), /PRIVATE KEY/);
    const blob = await world.storage.blobs.get(keyBlobOf(record));
    assert.ok(blob);
    const key = createPrivateKey({ key: blob.data, format: 'der', type: 'pkcs8' });
    assert.equal(new X509Certificate(auth.pem).checkPrivateKey(key), true);
  });

  test('public keys generated on the card are certified as given, and no private key is kept', async () => {
    const authentication = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    const signature = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    const credential = issued(
      await createPkiProducer({ base: stubBaseProducer(), issuer }).produce(order({ publicKeys: { authentication, signature } })),
    );
    const [auth, sign] = certificatesOf(credential) as [StateCertificate, StateCertificate];
    const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    assert.deepEqual(new X509Certificate(auth.pem).publicKey.export({ type: 'spki', format: 'der' }), spki(authentication as string));
    assert.deepEqual(new X509Certificate(sign.pem).publicKey.export({ type: 'spki', format: 'der' }), spki(signature as string));
    assert.deepEqual([auth.keyOrigin, sign.keyOrigin], ['client', 'client']);
    const record = await (await world.storage.documents.collection('pki_certificates')).get(auth.serial);
    assert.equal(record?.privateKey, undefined);
    assert.match(await openssl('verify', '-CAfile', caFile, await world.file('client-sign.pem', sign.pem)), /: OK/);
  });

  test('unusable keys or settings fail the request before the base producer spends a number', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    const cases: [ReturnType<typeof order>, RegExp][] = [
      [order({ publicKeys: { authentication: 'not a key', signature: key } }), /publicKeys\.authentication must be a PEM/],
      [order({ publicKeys: { authentication: key } }), /exactly the keys for authentication, signature/],
      [order({ publicKeys: { authentication: key, signature: key, encryption: key } }), /exactly the keys/],
      [order({ publicKeys: { authentication: weak, signature: key } }), /2048 bits/],
      [order({ publicKeys: 'x' }), /must be an object/],
      [order(undefined, ['authentication', 'encryption']), /must name certificates among authentication, signature/],
    ];
    for (const [request, reason] of cases) {
      const base = stubBaseProducer();
      const outcome = await createPkiProducer({ base, issuer }).produce(request);
      assert.equal(outcome.status, 'FAILED');
      assert.match((outcome as { reason: string }).reason, reason);
      assert.equal(base.calls, 0);
    }
  });

  test('an asynchronous base producer: poll gets certificates once issued, updates need usable keys', async () => {
    let polled = 0;
    const base = {
      name: 'bureau',
      produce: async (): Promise<ProductionOutcome> => ({ status: 'PENDING', producerState: { job: 7 } }),
      poll: async (): Promise<ProductionOutcome> => (++polled === 1 ? { status: 'PENDING', producerState: { job: 7 } } : { status: 'ISSUED', credentials: [{ ...ISSUED, credentialId: 'cred-async' }] }),
      updated: async () => ({ job: 8 }),
    };
    const producer = createPkiProducer({ base, issuer });
    assert.deepEqual(await producer.produce(order()), { status: 'PENDING', producerState: { job: 7 } });
    assert.equal((await producer.poll?.(order(), { job: 7 }))?.status, 'PENDING');
    const credential = issued((await producer.poll?.(order(), { job: 7 })) as ProductionOutcome);
    assert.equal(certificatesOf(credential).length, 2);
    assert.deepEqual(await producer.updated?.(order(), { job: 7 }), { job: 8 });
    await assert.rejects(async () => producer.updated?.(order({ publicKeys: { authentication: 'x' } }), { job: 7 }), /must hold exactly the keys/);
  });

  test('a certificate never outlives the CA', async () => {
    const base = stubBaseProducer({ ...ISSUED, credentialId: 'cred-long', expiryDate: '2199-01-01T00:00:00Z' });
    const [auth] = certificatesOf(issued(await createPkiProducer({ base, issuer }).produce(order(undefined, ['authentication']))));
    assert.equal(new X509Certificate((auth as StateCertificate).pem).validTo, new X509Certificate(issuer.caCertificatePem()).validTo);
  });
});

describe('certificate status and the CRL', () => {
  let world: PkiWorld;
  let issuer: PkiIssuer;
  let caFile: string;
  before(async () => {
    ({ world, issuer, caFile } = await openWorld());
  });
  after(() => world.close());

  async function verifiedCrl(name: string) {
    const der = await issuer.crl();
    const file = await world.file(name, der);
    assert.match(await openssl('crl', '-inform', 'DER', '-in', file, '-noout', '-CAfile', caFile), /verify OK/);
    const view = readCrl(der);
    const ca = pkijs.Certificate.fromBER(new X509Certificate(issuer.caCertificatePem()).raw);
    assert.equal(await view.crl.verify({ issuerCertificate: ca }), true);
    return view;
  }

  test('suspend, unsuspend and revoke follow the credential, each on a new signed CRL', async () => {
    const producer = createPkiProducer({ base: stubBaseProducer(), issuer });
    const credential = issued(await producer.produce(order()));
    const [auth, sign] = certificatesOf(credential) as [StateCertificate, StateCertificate];
    const statusChanged = producer.statusChanged?.bind(producer);
    assert.ok(statusChanged);
    const change = (from: CredentialChange['from'], to: CredentialChange['to'], reason?: string) =>
      statusChanged({ credentialId: 'cred-0001', transactionId: 'tx', from, to, reason, producerState: credential.producerState });

    const initial = await verifiedCrl('crl-0.der');
    assert.equal(initial.entries.size, 0);
    assert.equal(initial.crl.revokedCertificates, undefined);
    assert.equal(initial.nextUpdate.getTime() - initial.thisUpdate.getTime(), 7 * 86_400_000);

    await change('ACTIVE', 'SUSPENDED', 'holder asked');
    const held = await verifiedCrl('crl-1.der');
    assert.equal(held.number, initial.number + 1);
    assert.deepEqual(held.entries, new Map([[auth.serial, 6], [sign.serial, 6]]));
    const heldText = await openssl('crl', '-inform', 'DER', '-in', await world.file('crl-1.der', await issuer.crl()), '-noout', '-text');
    assert.match(heldText, /CRL Reason Code:\s+Certificate Hold/);
    assert.match(heldText, new RegExp(`Serial Number: ${auth.serial}`));

    await change('SUSPENDED', 'ACTIVE');
    const resumed = await verifiedCrl('crl-2.der');
    assert.equal(resumed.number, held.number + 1);
    assert.equal(resumed.entries.size, 0);

    await change('ACTIVE', 'SUSPENDED');
    await change('SUSPENDED', 'REVOKED', 'Card stolen on 3 March');
    const revoked = await verifiedCrl('crl-3.der');
    assert.equal(revoked.number, resumed.number + 2);
    assert.deepEqual(revoked.entries, new Map([[auth.serial, 1], [sign.serial, 1]]));
    assert.match(await openssl('crl', '-inform', 'DER', '-in', await world.file('crl-3.der', await issuer.crl()), '-noout', '-text'), /Key Compromise/);

    await assert.rejects(change('REVOKED', 'ACTIVE'), ConflictError);
    assert.equal((await verifiedCrl('crl-4.der')).number, revoked.number, 'a refused change publishes nothing');
  });

  test('revocation drops the server-held private key; an unspecified reason leaves the entry without a reason code', async () => {
    const base = stubBaseProducer({ ...ISSUED, credentialId: 'cred-0002' });
    const producer = createPkiProducer({ base, issuer });
    const [auth] = certificatesOf(issued(await producer.produce(order(undefined, ['authentication'])))) as [StateCertificate];
    const certificates = await world.storage.documents.collection('pki_certificates');
    const blobId = keyBlobOf(await certificates.get(auth.serial));
    assert.ok(await world.storage.blobs.get(blobId));

    await producer.statusChanged?.({ credentialId: 'cred-0002', transactionId: 'tx', from: 'ACTIVE', to: 'REVOKED' });
    assert.equal(await world.storage.blobs.get(blobId), undefined);
    const record = await certificates.get(auth.serial);
    assert.equal(record?.status, 'REVOKED');
    assert.equal(record?.privateKey, undefined);
    const view = await verifiedCrl('crl-5.der');
    assert.equal(view.entries.get(auth.serial), 0);
    const entry = view.crl.revokedCertificates?.find((item) => Buffer.from(item.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase() === auth.serial);
    assert.equal(entry?.crlEntryExtensions, undefined);
  });

  test('a credential without certificates (other producers) changes nothing', async () => {
    const before = readCrl(await issuer.crl()).number;
    await issuer.changeStatus({ credentialId: 'unknown', transactionId: 'tx', from: 'ACTIVE', to: 'REVOKED' });
    assert.equal(readCrl(await issuer.crl()).number, before);
  });
});

describe('CRL cadence', () => {
  test('served from the store until half its validity, then re-signed; a restart keeps a fresh CRL', async () => {
    const world = await createPkiWorld();
    try {
      let now = new Date('2030-01-01T00:00:00Z');
      const clock = () => now;
      const issuer = await world.open({ now: clock, crlValidityDays: 4 });
      const first = await issuer.crl();
      assert.equal(readCrl(first).number, 1);
      now = new Date('2030-01-02T23:59:00Z');
      assert.equal(await issuer.crl(), first, 'the cached CRL is served as is');
      assert.equal(readCrl(await (await world.open({ now: clock, crlValidityDays: 4 })).crl()).number, 1, 'a restart reuses it');

      now = new Date('2030-01-03T00:00:00Z');
      const second = readCrl(await issuer.crl());
      assert.equal(second.number, 2);
      assert.deepEqual(second.thisUpdate, now);

      now = new Date('2030-02-01T00:00:00Z');
      await world.open({ now: clock, crlValidityDays: 4 });
      // The restart replaced the expired CRL; the first issuer's cache follows the stored number.
      assert.equal(readCrl(await issuer.crl()).number, 3);
    } finally {
      await world.close();
    }
  });
});
