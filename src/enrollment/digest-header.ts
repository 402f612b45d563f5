/**
 * The RFC 3230 `Digest` header: `alg=base64value` pairs separated by commas, algorithm names case-insensitive.
 * Algorithms this server does not know are ignored, as the RFC asks; a known one that disagrees is a corrupted upload.
 */
import { createHash } from 'node:crypto';
import { InvalidError } from '../shared/domain-errors.js';

/** RFC 3230 / IANA digest algorithm names → Node hash names. */
const ALGORITHMS: Record<string, string> = { sha: 'sha1', 'sha-256': 'sha256', 'sha-512': 'sha512', md5: 'md5' };

export function sha256Base64(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** The header value answered with a buffer. */
export function digestHeader(sha256: string): string {
  return `SHA-256=${sha256}`;
}

/** Refuses the upload when any digest the client sent with a known algorithm does not match the bytes. */
export function checkDigest(header: string | undefined, data: Buffer): void {
  if (!header) return;
  // RFC 3230 lists (`#instance-digest`) may hold empty elements.
  for (const pair of header.split(',').filter((item) => item.trim() !== '')) {
    const separator = pair.indexOf('=');
    if (separator < 0) throw new InvalidError(`Digest header: "${pair.trim()}" is not of the form algorithm=value`);
    const name = pair.slice(0, separator).trim().toLowerCase();
    const algorithm = ALGORITHMS[name];
    if (!algorithm) continue;
    const expected = pair.slice(separator + 1).trim();
    const actual = createHash(algorithm).update(data).digest('base64');
    if (expected !== actual) {
      throw new InvalidError(`Digest header: the ${name.toUpperCase()} digest does not match the uploaded bytes; nothing was stored`);
    }
  }
}
