/** Shared pieces of the PKI tests: a real embedded store, OpenSSL runs, CRL reading and a stub base producer. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CredentialProducer, ProducedCredential, ProductionOrder } from '../../src/credentials/credential-producer.port.js';
import { PkiIssuer, type PkiIssuerOptions } from '../../src/credentials/pki/pki-issuer.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { Store } from '../../src/storage/store.js';

const run = promisify(execFile);

export async function openssl(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('/usr/bin/openssl', args);
  return stdout + stderr;
}

export interface PkiWorld {
  dir: string;
  storage: Storage;
  open(options?: Partial<PkiIssuerOptions>): Promise<PkiIssuer>;
  file(name: string, content: string | Buffer): Promise<string>;
  close(): Promise<void>;
}

export async function createPkiWorld(): Promise<PkiWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-pki-'));
  const storage = await createStorage({ dataDir: dir });
  return {
    dir,
    storage,
    open: (options = {}) =>
      PkiIssuer.open(new Store(storage), {
        dataDir: dir,
        caSubject: 'CN=osia-server test issuing CA,O=Test Ministry,C=XX',
        publicUrl: 'https://id.example.org',
        crlValidityDays: 7,
        ...options,
      }),
    async file(name, content) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    },
    async close() {
      await storage.documents.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CrlView {
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  /** serial (upper-case hex) → reason code (0 when the entry has none). */
  entries: Map<string, number>;
  crl: pkijs.CertificateRevocationList;
}

export function readCrl(der: Buffer): CrlView {
  const crl = pkijs.CertificateRevocationList.fromBER(der);
  const extension = (extensions: pkijs.Extension[] | undefined, oid: string) => extensions?.find((ext) => ext.extnID === oid);
  const number = (extension(crl.crlExtensions?.extensions, '2.5.29.20')?.parsedValue as asn1js.Integer | undefined)?.valueBlock.valueDec;
  assert.ok(number, 'the CRL carries a CRL number');
  const entries = new Map(
    (crl.revokedCertificates ?? []).map((entry) => {
      const reason = extension(entry.crlEntryExtensions?.extensions, '2.5.29.21')?.parsedValue as asn1js.Enumerated | undefined;
      const serial = Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase();
      return [serial, reason?.valueBlock.valueDec ?? 0];
    }),
  );
  return { number, thisUpdate: crl.thisUpdate.value, nextUpdate: (crl.nextUpdate as pkijs.Time).value, entries, crl };
}

export const ISSUED: ProducedCredential = {
  credentialId: 'cred-0001',
  status: 'ACTIVE',
  credentialNumber: 'ID-2025-000123',
  issuedDate: '2025-01-15T00:00:00Z',
  expiryDate: '2035-01-14T23:59:59Z',
};

/** A test double of the base (`internal`) producer: hands over a fixed credential and counts its calls. */
export function stubBaseProducer(credential: ProducedCredential = ISSUED): CredentialProducer & { calls: number } {
  const stub = {
    name: 'internal',
    calls: 0,
    async produce() {
      stub.calls++;
      return { status: 'ISSUED' as const, credentials: [{ ...credential }] };
    },
  };
  return stub;
}

export function order(others?: Record<string, unknown>, certificates: string[] = ['authentication', 'signature']): ProductionOrder {
  return {
    credentialRequestId: 'req-1',
    transactionId: 'tx-1',
    personId: '4839204715',
    biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' },
    requestData: {
      priority: 1,
      credentialProfileId: 'eid-card',
      requestType: 'FIRST_ISSUANCE',
      ...(others ? { others } : {}),
    },
    profile: { credentialProfileId: 'eid-card', credentialType: 'SMARTCARD', defaultLifetime: 3650 },
    settings: { producer: 'pki', certificates },
  };
}
