/** A throwaway PKI for transport tests: a CA, a server certificate for 127.0.0.1/localhost, a client certificate. */
import { webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 86_400_000;

export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  files: { caCert: string; serverCert: string; serverKey: string };
}

async function keyPair() {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
}

async function pemKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
}

export async function createTestPki(dir: string): Promise<TestPki> {
  const now = Date.now();
  const validity = { notBefore: new Date(now - DAY), notAfter: new Date(now + DAY) };
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=osia-server test CA',
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    ...validity,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const issue = async (serialNumber: string, subject: string, usage: string, names: x509.JsonGeneralName[]) => {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      ...validity,
      extensions: [new x509.ExtendedKeyUsageExtension([usage]), new x509.SubjectAlternativeNameExtension(names)],
    });
    return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
  };
  const server = await issue('02', 'CN=localhost', x509.ExtendedKeyUsage.serverAuth, [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
  ]);
  const client = await issue('03', 'CN=civil-registry-client,O=Ministry of Interior', x509.ExtendedKeyUsage.clientAuth, [
    { type: 'dns', value: 'client.example' },
  ]);
  const files = {
    caCert: path.join(dir, 'ca.pem'),
    serverCert: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server-key.pem'),
  };
  await writeFile(files.caCert, ca.toString('pem'));
  await writeFile(files.serverCert, server.cert);
  await writeFile(files.serverKey, server.key, { mode: 0o600 });
  return {
    caCert: ca.toString('pem'),
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    files,
  };
}
