/**
 * Luhn mod N: the Luhn algorithm over any alphabet of N characters, each worth its index in the alphabet. With an
 * even N it detects every single-character substitution (doubling then folding is a permutation of 0..N-1 only
 * when N is even), so callers must reject odd alphabets.
 */

function valuesOf(code: string, alphabet: string): number[] | undefined {
  const values = [...code].map((character) => alphabet.indexOf(character));
  return values.includes(-1) ? undefined : values;
}

/** Sums the values from the right, doubling every other one starting with the rightmost when `doubleFirst`. */
function fold(values: number[], n: number, doubleFirst: boolean): number {
  let sum = 0;
  let double = doubleFirst;
  for (let i = values.length - 1; i >= 0; i--) {
    const addend = (values[i] as number) * (double ? 2 : 1);
    sum += Math.floor(addend / n) + (addend % n);
    double = !double;
  }
  return sum % n;
}

/** The check character to append to `payload`. */
export function compute(payload: string, alphabet: string): string {
  const values = valuesOf(payload, alphabet);
  if (!values) throw new RangeError('the payload holds a character outside the alphabet');
  const n = alphabet.length;
  return alphabet.charAt((n - fold(values, n, true)) % n);
}

/** Whether `code` (payload followed by its check character) is consistent. */
export function validate(code: string, alphabet: string): boolean {
  const values = valuesOf(code, alphabet);
  return values !== undefined && values.length > 1 && fold(values, alphabet.length, false) === 0;
}
