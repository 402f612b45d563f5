/**
 * The Verhoeff check digit (dihedral group D5): detects every single-digit error and every transposition of
 * adjacent digits, which Luhn does not. Decimal digits only.
 */

/** Multiplication table of D5. */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/** Position-dependent permutations: row i applies to the i-th digit counted from the right. */
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Inverses in D5. */
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

const at = (table: readonly (readonly number[])[], row: number, column: number) => table[row]?.[column] as number;

/** Folds the digits from the right, the rightmost one at position `offset`. */
function fold(digits: string, offset: number): number {
  if (!/^\d*$/.test(digits)) throw new RangeError('Verhoeff works on decimal digits only');
  let check = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    check = at(D, check, at(P, (i + offset) % 8, digit));
  }
  return check;
}

/** The check digit to append to `payload`. */
export function compute(payload: string): string {
  return String(INV[fold(payload, 1)]);
}

/** Whether `code` (payload followed by its check digit) is consistent. */
export function validate(code: string): boolean {
  return /^\d+$/.test(code) && fold(code, 0) === 0;
}
