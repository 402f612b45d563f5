/**
 * Whether a credential speaks for its holder now. An ACTIVE status is not enough: the CMS keeps a card ACTIVE after
 * its `expiryDate` (nothing sweeps statuses), and issues cards ACTIVE with a future start (`others.validFromDate`),
 * so a relying party checking a card must also learn that it is outside its validity period.
 */
import type { CredentialSummary } from '../credentials/credential-directory.port.js';
import { parseLenientDateTime } from '../openapi/lenient-date-time.js';

/** IN_FORCE: ACTIVE and within its validity period; INACTIVE: any other status; OUT_OF_VALIDITY: ACTIVE but expired or not yet valid. */
export type CredentialState = 'IN_FORCE' | 'INACTIVE' | 'OUT_OF_VALIDITY';

const instant = (value: unknown) => (typeof value === 'string' ? parseLenientDateTime(value) : undefined);

export function credentialState(credential: CredentialSummary, now: Date): CredentialState {
  if (credential.status !== 'ACTIVE') return 'INACTIVE';
  const from = instant(credential.others?.validFromDate);
  const until = instant(credential.expiryDate);
  if ((from && now < from) || (until && now >= until)) return 'OUT_OF_VALIDITY';
  return 'IN_FORCE';
}

/** Among credentials sharing a number, the one that speaks for it: the one in force, else an ACTIVE one, else the latest. */
export function representative(credentials: readonly CredentialSummary[], now: Date): CredentialSummary | undefined {
  return (
    credentials.find((c) => credentialState(c, now) === 'IN_FORCE') ?? credentials.find((c) => c.status === 'ACTIVE') ?? credentials.at(-1)
  );
}
