/**
 * Claims from the person's reference identity: FranceConnect's "identité pivot" from biographicData, plus what the
 * country profile maps (`oidcClaims: { claim: dotted.path }` in its settings). Each claim belongs to one scope:
 * the pivot to `profile` and `birth`, a mapped `email*` claim to `email`, `phone_number*` to `phone`, any other to
 * `profile`. The table is in docs/behaviour/oidc.md.
 */
const PIVOT: Readonly<Record<string, string>> = {
  given_name: 'biographicData.firstName',
  family_name: 'biographicData.lastName',
  birthdate: 'biographicData.dateOfBirth',
  gender: 'biographicData.gender',
  birthplace: 'biographicData.placeOfBirth',
  birthcountry: 'biographicData.countryOfBirth',
};

const PIVOT_SCOPES: Readonly<Record<string, string>> = { birthplace: 'birth', birthcountry: 'birth' };

/** OSIA's one-letter sex codes in OpenID Connect's words. */
const GENDERS: Readonly<Record<string, string>> = { M: 'male', F: 'female' };

function scopeOf(claim: string): string {
  if (claim.startsWith('email')) return 'email';
  if (claim.startsWith('phone_number')) return 'phone';
  return PIVOT_SCOPES[claim] ?? 'profile';
}

function valueAt(identity: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, part) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined), identity);
}

export class ClaimMapping {
  readonly paths: Readonly<Record<string, string>>;

  constructor(profileClaims: Readonly<Record<string, string>> = {}) {
    this.paths = { ...PIVOT, ...profileClaims };
  }

  /** Scope → its claims (oidc-provider's `claims` option; `sub` comes with `openid`). */
  scopes(): Record<string, string[]> {
    const scopes: Record<string, string[]> = { openid: ['sub'] };
    for (const claim of Object.keys(this.paths)) {
      const scope = scopeOf(claim);
      scopes[scope] = [...(scopes[scope] ?? []), claim];
    }
    return scopes;
  }

  /** Every mapped claim the identity has a value for. */
  valuesOf(identity: Record<string, unknown>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [claim, path] of Object.entries(this.paths)) {
      const value = valueAt(identity, path);
      if (value === undefined || value === null || value === '') continue;
      values[claim] = claim === 'gender' ? (GENDERS[String(value)] ?? 'unspecified') : value;
    }
    return values;
  }
}
