/** The subscribe `policy`: "countdown,max" — seconds between retries (default 3600), retries (default 168, -1 = no limit). */
import { InvalidError } from '../shared/domain-errors.js';

export interface DeliveryPolicy {
  countdownSeconds: number;
  maxRetries: number;
}

export const DEFAULT_POLICY = '3600,168';

export function parsePolicy(raw: string | undefined): DeliveryPolicy {
  const text = raw === undefined || raw.trim() === '' ? DEFAULT_POLICY : raw.trim();
  const match = /^(\d{1,9})\s*(?:,\s*(-1|\d{1,9}))?$/.exec(text);
  if (!match) {
    throw new InvalidError(
      `policy must be "countdown,max": seconds between retries and the number of retries (-1 for no limit), e.g. "3600,168"; got "${raw}"`,
    );
  }
  return { countdownSeconds: Number(match[1]), maxRetries: match[2] === undefined ? 168 : Number(match[2]) };
}

/** The stored form, defaults spelt out, so that listSubscription shows what applies. */
export function formatPolicy(policy: DeliveryPolicy): string {
  return `${policy.countdownSeconds},${policy.maxRetries}`;
}

/** Whether a delivery that failed `attempts` times (first try included) may be tried again. */
export function mayRetry(policy: DeliveryPolicy, attempts: number): boolean {
  return policy.maxRetries === -1 || attempts - 1 < policy.maxRetries;
}
