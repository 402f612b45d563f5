/**
 * The `internal` producer: the CMS itself issues the credential, at once and ACTIVE (the NEW step is skipped: there
 * is nothing to personalise or deliver before use). Its number is the one the request imposes, else a fresh one.
 */
import { randomUUID } from 'node:crypto';
import type { CredentialNumbers } from './credential-number.js';
import { addDays, formatDateTime, parseDateTime } from './credential-dates.js';
import type { Clock } from '../shared/clock.js';
import type { CredentialProducer, ProductionOrder } from './credential-producer.port.js';

export const INTERNAL_PRODUCER = 'internal';

/**
 * Validity: from `validFromDate` when given (else now) to `validToDate` when given, else to the start plus the
 * profile's `defaultLifetime` days (no expiry when the profile has none). The start is kept in `others.validFromDate`
 * when it differs from the issue date, since CredentialData has no field for it.
 */
export function validityOf(order: ProductionOrder, now: Date): { expiryDate?: string; validFromDate?: string } {
  const { validFromDate, validToDate } = order.requestData;
  const start = validFromDate ? parseDateTime(validFromDate, 'requestData.validFromDate') : now;
  const lifetime = order.profile.defaultLifetime;
  const end = validToDate ? parseDateTime(validToDate, 'requestData.validToDate') : lifetime ? addDays(start, lifetime) : undefined;
  return {
    ...(end ? { expiryDate: formatDateTime(end) } : {}),
    ...(validFromDate ? { validFromDate: formatDateTime(start) } : {}),
  };
}

export function createInternalProducer(numbers: CredentialNumbers, clock: Clock): CredentialProducer {
  return {
    name: INTERNAL_PRODUCER,
    async produce(order) {
      const now = clock();
      const credentialId = randomUUID();
      const imposed = order.requestData.credentialNumber;
      let credentialNumber: string;
      if (imposed) {
        await numbers.reserve(imposed, credentialId);
        credentialNumber = imposed;
      } else {
        credentialNumber = await numbers.allocate(credentialId);
      }
      const { expiryDate, validFromDate } = validityOf(order, now);
      const { issuingAuthority } = order.requestData;
      return {
        status: 'ISSUED',
        credentials: [
          {
            credentialId,
            status: 'ACTIVE',
            credentialNumber,
            issuedDate: formatDateTime(now),
            ...(expiryDate ? { expiryDate } : {}),
            ...(issuingAuthority ? { issuingAuthority } : {}),
            ...(validFromDate ? { others: { validFromDate } } : {}),
          },
        ],
      };
    },
  };
}
