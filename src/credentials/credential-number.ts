/**
 * Credential numbers allocated by this server: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
 * then the ICAO 9303 check digit, the one printed in machine-readable zones (e.g. `K7M4P2XR0`). Every number in
 * use, generated or imposed by a request, is reserved in `cms_credential_numbers` (the `_id` is the unique index),
 * so a generated number never repeats one already given; imposed numbers may be shared on purpose (a mobile ID
 * carrying the number of the card).
 */
import { randomInt } from 'node:crypto';
import { type Collection, DuplicateKeyError, type Storage } from '../storage/document-store.port.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BODY_LENGTH = 8;
const ATTEMPTS = 20;

/** ICAO 9303 check digit: characters valued 0–9, A=10 … Z=35, `<`=0, weighted 7, 3, 1; the sum modulo 10. */
export function icaoCheckDigit(text: string): string {
  let sum = 0;
  for (const [index, char] of [...text.toUpperCase()].entries()) {
    const value = char === '<' ? 0 : Number.parseInt(char, 36);
    if (Number.isNaN(value)) throw new Error(`no ICAO value for "${char}"`);
    sum += value * ([7, 3, 1][index % 3] as number);
  }
  return String(sum % 10);
}

export class CredentialNumbers {
  private constructor(private readonly numbers: Collection) {}

  static async open(storage: Storage): Promise<CredentialNumbers> {
    return new CredentialNumbers(await storage.documents.collection('cms_credential_numbers'));
  }

  /** A fresh number, reserved for `credentialId`. */
  async allocate(credentialId: string): Promise<string> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const body = Array.from({ length: BODY_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const number = body + icaoCheckDigit(body);
      try {
        await this.numbers.insert({ _id: number, credentialId });
        return number;
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
      }
    }
    throw new Error(`no free credential number after ${ATTEMPTS} attempts`);
  }

  /** Records an imposed number so that allocation never hands it out (it may already be reserved: shared). */
  async reserve(number: string, credentialId: string): Promise<void> {
    if (!(await this.numbers.get(number))) await this.numbers.put({ _id: number, credentialId });
  }
}
