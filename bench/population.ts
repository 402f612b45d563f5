/** Synthetic persons for the benchmark: deterministic, with names that repeat a little, as real names do. */
const GIVEN = ['Ada', 'Amara', 'Bruno', 'Chen', 'Dina', 'Emil', 'Fatou', 'Goran', 'Hana', 'Ivan', 'Jana', 'Kofi', 'Lina'];
const FAMILY_HEADS = ['Bal', 'Cor', 'Dum', 'Est', 'Fal', 'Gar', 'Hol', 'Ivar', 'Jor', 'Kel', 'Lor', 'Mar', 'Nor'];
const FAMILY_TAILS = ['ani', 'berg', 'cote', 'dahl', 'eau', 'field', 'gard', 'holm', 'ier', 'jean', 'kov', 'lin'];

export function personId(i: number): string {
  return `BENCH${String(i).padStart(9, '0')}`;
}

/** About 2 000 distinct family names: a name search matches a handful of persons per 10 000. */
export function familyName(i: number): string {
  const head = FAMILY_HEADS[i % FAMILY_HEADS.length] as string;
  const tail = FAMILY_TAILS[Math.floor(i / FAMILY_HEADS.length) % FAMILY_TAILS.length] as string;
  return `${head}${tail}${Math.floor(i / 156) % 13}`;
}

export function identityOf(i: number) {
  const year = 1940 + (i % 80);
  return {
    identityType: 'CIVIL_REGISTRATION',
    // Registered identities: Third Party Services verifies only against VALID reference identities.
    status: 'VALID',
    galleries: [i % 10 === 0 ? 'RESIDENTS' : 'CITIZENS'],
    biographicData: {
      firstName: GIVEN[i % GIVEN.length],
      lastName: familyName(i),
      dateOfBirth: `${year}-0${1 + (i % 9)}-1${i % 10}`,
      gender: i % 2 === 0 ? 'F' : 'M',
      nationality: 'MCO',
    },
    contextualData: { enrollmentDate: '2026-01-15T09:30:00+01:00', enrollmentOffice: `OFFICE-${i % 20}` },
  };
}

export const PERSON = { status: 'ACTIVE', physicalStatus: 'ALIVE' };
