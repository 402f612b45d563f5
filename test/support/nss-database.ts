/**
 * The NSS database Chromium reads on Linux ($HOME/.pki/nssdb): the CAs it should trust and the client certificate
 * (with its key) it may present. Built with certutil and pk12util (Debian's libnss3-tools) and openssl.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const NSS_TOOLS = ['certutil', 'pk12util', 'openssl'] as const;

export interface ClientIdentity {
  certPem: string;
  keyPem: string;
}

export interface NssContents {
  trustedCaPems?: string[];
  clientIdentity?: ClientIdentity;
}

/** Creates `<home>/.pki/nssdb` holding `contents`; `work` is a private folder for the intermediate files. */
export async function createNssDatabase(home: string, work: string, contents: NssContents): Promise<void> {
  const database = `sql:${path.join(home, '.pki', 'nssdb')}`;
  await mkdir(path.join(home, '.pki', 'nssdb'), { recursive: true });
  await run('certutil', ['-N', '-d', database, '--empty-password']);
  for (const [index, pem] of (contents.trustedCaPems ?? []).entries()) {
    const file = path.join(work, `trusted-ca-${index}.pem`);
    await writeFile(file, pem);
    // "C,," trusts it to issue TLS server certificates, nothing more.
    await run('certutil', ['-A', '-d', database, '-n', `trusted-ca-${index}`, '-t', 'C,,', '-i', file]);
  }
  if (contents.clientIdentity) {
    const certFile = path.join(work, 'client.pem');
    const keyFile = path.join(work, 'client-key.pem');
    const p12File = path.join(work, 'client.p12');
    await writeFile(certFile, contents.clientIdentity.certPem);
    await writeFile(keyFile, contents.clientIdentity.keyPem, { mode: 0o600 });
    // NSS takes a private key only inside PKCS#12.
    await run('openssl', ['pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-out', p12File, '-passout', 'pass:']);
    await run('pk12util', ['-i', p12File, '-d', database, '-W', '']);
  }
}
