/**
 * CRL reason codes (RFC 5280 §5.3.1) from the free-text reasons of the CMS suspend, revoke and status operations.
 * An RFC name (`keyCompromise`, any case) is taken as is; otherwise the first keyword group that matches decides;
 * anything else is `unspecified`. See docs/behaviour/pki.md.
 */

export interface RevocationReason {
  code: number;
  name: string;
}

export const UNSPECIFIED: RevocationReason = { code: 0, name: 'unspecified' };
export const CERTIFICATE_HOLD: RevocationReason = { code: 6, name: 'certificateHold' };

/** In priority order: a lost card that is being replaced is first of all a possibly compromised key. */
const KEYWORDS: [RevocationReason, RegExp][] = [
  [{ code: 1, name: 'keyCompromise' }, /compromis|stolen|theft|\blost\b|\bloss\b|leak|hack/i],
  [{ code: 5, name: 'cessationOfOperation' }, /cessation|ceas|death|\bdead\b|\bdied\b|no longer (needed|used)/i],
  [{ code: 9, name: 'privilegeWithdrawn' }, /privilege|withdraw|fraud/i],
  [{ code: 3, name: 'affiliationChanged' }, /affiliation|\bname\b|nationality|personal data|data change/i],
  [{ code: 4, name: 'superseded' }, /supersed|replac|renew|re-?issu/i],
];
const BY_NAME = new Map(
  [UNSPECIFIED, CERTIFICATE_HOLD, ...KEYWORDS.map(([reason]) => reason)].map((reason) => [reason.name.toLowerCase(), reason]),
);

export function revocationReason(text: string | undefined): RevocationReason {
  if (!text) return UNSPECIFIED;
  const named = BY_NAME.get(text.trim().toLowerCase());
  if (named && named !== CERTIFICATE_HOLD) return named;
  return KEYWORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? UNSPECIFIED;
}
