/**
 * Credential numbers allocated by this server: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
 * then the ICAO 9303 check digit, the one printed in machine-readable zones (e.g. `K7M4P2XR0`). Every number in
 * use, generated or imposed by a request, is reserved in `cms_credential_numbers` (the `_id` is the unique index),
 * so a generated number never repeats one already given; imposed numbers may be shared on purpose (a mobile ID
 * carrying the number of the card).
 */
import { randomInt } from 'node:crypto';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store } from '../storage/store.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BODY_LENGTH = 8;
const ATTEMPTS = 20;

/** A number in use, and the credential that first took it. */
interface Reservation {
  _id: string;
  credentialId: string;
}

const NUMBERS: RecordSpec<Reservation> = { name: 'cms_credential_numbers' };

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
  private constructor(
    private readonly store: Store,
    private readonly numbers: Records<Reservation>,
  ) {}

  static async open(store: Store): Promise<CredentialNumbers> {
    return new CredentialNumbers(store, await store.records(NUMBERS));
  }

  /** A fresh number, reserved for `credentialId`. A number already taken fails the insert: `change` draws again. */
  allocate(credentialId: string): Promise<string> {
    return this.store.change(async () => {
      const body = Array.from({ length: BODY_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const number = body + icaoCheckDigit(body);
      await this.store.commit([this.numbers.insert({ _id: number, credentialId })]);
      return number;
    }, ATTEMPTS);
  }

  /** Records an imposed number so that allocation never hands it out (it may already be reserved: shared). */
  async reserve(number: string, credentialId: string): Promise<void> {
    if (!(await this.numbers.get(number))) await this.store.commit([this.numbers.put({ _id: number, credentialId })]);
  }
}
