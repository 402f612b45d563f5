/**
 * The outcome of verify: every supplied attribute must match the person's records for code 0. OSIA leaves the
 * codes to the implementation; this table is documented in docs/behaviour/thirdparty.md. Never a false positive:
 * anything not checked (biometrics without an ABIS, or a person the ABIS holds no biometrics of) makes the result
 * negative. Biometrics are compared last, by the ABIS, only when everything else matched.
 */
import type { components } from '../../generated/thirdparty.js';
import type { CredentialSummary } from '../credentials/credential-directory.port.js';
import { InvalidError } from '../shared/domain-errors.js';
import { CONTACT_PATH, valueAt } from './attribute-output.js';
import { type CredentialState, credentialState } from './credential-validity.js';
import type { ResolvedPerson } from './person-resolver.js';
import { instantMatches, valueMatches } from './value-match.js';

type AttributeSet = components['schemas']['AttributeSet'];

export const VERIFICATION = {
  MATCH: { code: 0, message: 'All supplied attributes match' },
  MISMATCH: { code: 1, message: 'At least one supplied attribute does not match' },
  IDENTITY_NOT_ACTIVE: { code: 2, message: 'The identity is not active (person inactive or deceased, or reference identity not VALID)' },
  CREDENTIAL_NOT_ACTIVE: { code: 3, message: 'The credential is not active (suspended, revoked or not yet active)' },
  BIOMETRICS_NOT_SUPPORTED: { code: 4, message: 'Biometric verification is not supported: this server has no ABIS' },
  CREDENTIAL_OUT_OF_VALIDITY: { code: 5, message: 'The credential is expired or not yet valid' },
  NO_BIOMETRIC_REFERENCE: { code: 6, message: 'The ABIS holds no biometrics of this person to compare with' },
} as const;

export type Outcome = (typeof VERIFICATION)[keyof typeof VERIFICATION];

const DATE_TIME_FIELDS = new Set(['issuedDate', 'expiryDate']);

export interface Verification {
  outcome: Outcome;
  /** Names of the attributes checked (`biographicData.lastName`, `credentialData.credentialNumber` …). */
  attributes: string[];
}

function credentialMatches(supplied: Record<string, unknown>, held: CredentialSummary): boolean {
  const recorded: Record<string, unknown> = held;
  return Object.entries(supplied).every(([field, value]) =>
    DATE_TIME_FIELDS.has(field) ? instantMatches(value, recorded[field]) : valueMatches(value, recorded[field]),
  );
}

/** Rejects a request that would verify nothing, or that we cannot read. */
function checkedNames(body: AttributeSet): string[] {
  if (body.encryption) throw new InvalidError('Encrypted attribute sets are not supported by verify');
  const names = [
    ...Object.keys(body.biographicData ?? {}).map((name) => `biographicData.${name}`),
    ...Object.keys(body.contactData ?? {}).map((name) => `contactData.${name}`),
    ...new Set((body.credentialData ?? []).flatMap((item) => Object.keys(item).map((field) => `credentialData.${field}`))),
    ...(body.biometricData ?? []).map((item) => `biometricData.${item.biometricType}`),
  ];
  if (names.length === 0 || (body.credentialData ?? []).some((item) => Object.keys(item).length === 0)) {
    throw new InvalidError('verify needs at least one attribute to check (and no empty credentialData item)');
  }
  return names;
}

const NOT_IN_FORCE: Record<Exclude<CredentialState, 'IN_FORCE'>, Outcome> = {
  INACTIVE: VERIFICATION.CREDENTIAL_NOT_ACTIVE,
  OUT_OF_VALIDITY: VERIFICATION.CREDENTIAL_OUT_OF_VALIDITY,
};

/**
 * The negative outcome for credentials that all match one identifier or item, none of them in force; like the
 * choice of a representative among cards sharing a number, an ACTIVE card outside its validity speaks first (5, else 3).
 */
function notInForce(states: CredentialState[]): Outcome | undefined {
  if (states.length === 0 || states.includes('IN_FORCE')) return undefined;
  return NOT_IN_FORCE[states.includes('OUT_OF_VALIDITY') ? 'OUT_OF_VALIDITY' : 'INACTIVE'];
}

/** The ABIS's decision on the person's biometrics; undefined when it holds none of them (absent: no ABIS). */
export type BiometricCheck = (biometricData: Record<string, unknown>[]) => Promise<boolean | undefined>;

export async function verifyAttributes(
  body: AttributeSet,
  subject: ResolvedPerson,
  credentialsOf: () => Promise<CredentialSummary[]>,
  now: Date,
  biometricCheck: BiometricCheck | undefined,
): Promise<Verification> {
  const attributes = checkedNames(body);
  const result = (outcome: Outcome) => ({ outcome, attributes });
  const identifierCredential = subject.credential && notInForce([credentialState(subject.credential, now)]);
  if (identifierCredential) return result(identifierCredential);
  const { person, identity } = subject;
  if (person.status !== 'ACTIVE' || person.physicalStatus !== 'ALIVE' || identity.status !== 'VALID') {
    return result(VERIFICATION.IDENTITY_NOT_ACTIVE);
  }
  const contact = valueAt(identity, CONTACT_PATH) as Record<string, unknown> | undefined;
  const recordedBiographic = (identity.biographicData ?? {}) as Record<string, unknown>;
  const sameAs = (supplied: object | undefined, recorded: Record<string, unknown> | undefined) =>
    Object.entries(supplied ?? {}).every(([name, value]) => valueMatches(value, recorded?.[name]));
  let credentialOutcome: Outcome | undefined;
  let credentialsMatch = true;
  if (body.credentialData?.length) {
    const held = await credentialsOf();
    for (const item of body.credentialData) {
      const matching = held.filter((credential) => credentialMatches(item, credential));
      if (matching.length === 0) credentialsMatch = false;
      else credentialOutcome ??= notInForce(matching.map((credential) => credentialState(credential, now)));
    }
  }
  if (credentialOutcome) return result(credentialOutcome);
  if (!credentialsMatch || !sameAs(body.biographicData, recordedBiographic) || !sameAs(body.contactData, contact)) {
    return result(VERIFICATION.MISMATCH);
  }
  if (body.biometricData?.length) {
    if (!biometricCheck) return result(VERIFICATION.BIOMETRICS_NOT_SUPPORTED);
    const decision = await biometricCheck(body.biometricData);
    if (decision === undefined) return result(VERIFICATION.NO_BIOMETRIC_REFERENCE);
    if (!decision) return result(VERIFICATION.MISMATCH);
  }
  return result(VERIFICATION.MATCH);
}
