import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../src/config/config-options.js';
import { createPkiWorld, openssl, type PkiWorld } from './pki-fixtures.js';

describe('issuing CA', () => {
  let world: PkiWorld;
  before(async () => {
    world = await createPkiWorld();
  });
  after(() => world.close());

  test('is created on first start with CA extensions, and reloaded identically', async () => {
    const first = await world.open();
    const pem = first.caCertificatePem();
    const keyFile = path.join(world.dir, 'pki', 'ca-key.pem');
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal(await readFile(path.join(world.dir, 'pki', 'ca-cert.pem'), 'utf8'), pem);
    const certificate = new X509Certificate(pem);
    assert.equal(certificate.ca, true);
    assert.equal(certificate.subject, 'C=XX\nO=Test Ministry\nCN=osia-server test issuing CA');
    assert.equal(certificate.checkPrivateKey(createPrivateKey(await readFile(keyFile))), true);
    const text = await openssl('x509', '-noout', '-text', '-in', path.join(world.dir, 'pki', 'ca-cert.pem'));
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.match(text, /Subject Key Identifier/);
    assert.match(text, /ASN1 OID: secp384r1/);
    // Self-signed and valid: OpenSSL accepts it as its own trust anchor.
    assert.match(await openssl('verify', '-CAfile', path.join(world.dir, 'pki', 'ca-cert.pem'), path.join(world.dir, 'pki', 'ca-cert.pem')), /: OK/);

    const reopened = await world.open({ caSubject: 'CN=ignored once the CA exists' });
    assert.equal(reopened.caCertificatePem(), pem);
  });

  test('an incomplete CA directory stops start-up', async () => {
    const other = await createPkiWorld();
    try {
      await other.open();
      await rm(path.join(other.dir, 'pki', 'ca-cert.pem'));
      await assert.rejects(other.open(), (error: Error) => error instanceof ConfigError && /incomplete CA/.test(error.message));
    } finally {
      await other.close();
    }
  });

  test('a bad OSIA_CA_SUBJECT is a ConfigError', async () => {
    const other = await createPkiWorld();
    try {
      await assert.rejects(other.open({ caSubject: 'XYZ=nope' }), ConfigError);
      await assert.rejects(other.open({ caSubject: 'CN=CA,C=Nowhere' }), /two-letter/);
    } finally {
      await other.close();
    }
  });
});

describe('imported CA (OSIA_CA_CERT, OSIA_CA_KEY)', () => {
  let world: PkiWorld;
  let caCert: string;
  let caKey: string;
  before(async () => {
    world = await createPkiWorld();
    caCert = path.join(world.dir, 'imported-ca.pem');
    caKey = path.join(world.dir, 'imported-ca-key.pem');
    await openssl(
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '30',
      '-subj', '/C=XX/O=Imported/CN=Imported CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    );
  });
  after(() => world.close());

  test('is used as given, and nothing is created under the data directory', async () => {
    const issuer = await world.open({ caCert, caKey });
    assert.equal(issuer.caCertificatePem().replace(/\s/g, ''), (await readFile(caCert, 'utf8')).replace(/\s/g, ''));
    await assert.rejects(stat(path.join(world.dir, 'pki', 'ca-key.pem')), { code: 'ENOENT' });
  });

  test('a key that is not the certificate\'s is refused with a clear ConfigError', async () => {
    const otherKey = path.join(world.dir, 'other-key.pem');
    await openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', otherKey);
    await assert.rejects(
      world.open({ caCert, caKey: otherKey }),
      (error: Error) => error instanceof ConfigError && error.message === 'OSIA_CA_KEY does not match OSIA_CA_CERT: the private key is not the certificate\'s',
    );
  });

  test('both files or neither', async () => {
    await assert.rejects(world.open({ caCert }), /OSIA_CA_CERT and OSIA_CA_KEY must be set together/);
    await assert.rejects(world.open({ caKey }), ConfigError);
  });

  test('a certificate that is not a CA is refused', async () => {
    const leafCert = path.join(world.dir, 'leaf.pem');
    const leafKey = path.join(world.dir, 'leaf-key.pem');
    await openssl(
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', leafKey, '-out', leafCert,
      '-days', '30', '-subj', '/CN=not a CA', '-addext', 'basicConstraints=critical,CA:FALSE',
    );
    await assert.rejects(world.open({ caCert: leafCert, caKey: leafKey }), /not a CA certificate/);
  });

  test('an unreadable file names the option', async () => {
    await assert.rejects(world.open({ caCert: path.join(world.dir, 'missing.pem'), caKey }), /OSIA_CA_CERT: cannot read .*ENOENT/);
  });
});
