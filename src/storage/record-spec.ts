/**
 * How the records of one collection are stored. A spec names the collection and its indexes, whether member names
 * are encoded (free-form bags may use names a store refuses, see stored-keys.ts), and which members hold binaries:
 * those leave the record for the blob store (a string past `INLINE_LIMIT`, a Buffer always) and come back on reads.
 * Domain code declares a spec once per collection and then sees only ready records of its type.
 */
import type { IndexSpec, StoredRecord } from './document-store.port.js';

export interface RecordSpec<T extends StoredRecord> {
  name: string;
  indexes?: IndexSpec[];
  /** Member names anywhere in the record are encoded for the store (and search paths with `encodePath`). */
  encodedKeys?: boolean;
  /**
   * Dotted paths of binary members; a `[]` segment walks every element of an array
   * (`identity.biometricData[].image`).
   */
  binaries?: readonly string[];
  /**
   * Top-level members of an older shape that held the bare id of a blob of bytes, each with the binary member that
   * holds it now: read as that member (a write then stores and releases it as any binary), and gone from the record.
   */
  formerBlobIds?: Readonly<Record<string, string>>;
  /** Only a phantom of T, so that a spec fixes the record type of its handle. */
  readonly record?: T;
}

/** Strings longer than this leave the record. Small values (a tiny template, a short clientData) stay inline. */
export const INLINE_LIMIT = 1024;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every [holder, member] a binary path reaches in `record`. */
export function binarySlots(record: Json, paths: readonly string[]): [Json, string][] {
  return paths.flatMap((path) => {
    const parts = path.split('.');
    const member = parts.pop() ?? '';
    let holders: Json[] = [record];
    for (const part of parts) {
      const many = part.endsWith('[]');
      const name = many ? part.slice(0, -2) : part;
      holders = holders.flatMap((holder) => {
        const value = holder[name];
        if (many) return Array.isArray(value) ? value.filter(isObject) : [];
        return isObject(value) ? [value] : [];
      });
    }
    return holders.map((holder): [Json, string] => [holder, member]);
  });
}

/** The binary members of an identity-like object (PR identities, enrolments, credential requests) under `prefix`. */
export function identityBinaries(prefix = ''): string[] {
  const at = prefix ? `${prefix}.` : '';
  return [`${at}clientData`, `${at}biometricData[].image`, `${at}biometricData[].template`, `${at}documentData[].parts[].data`];
}
