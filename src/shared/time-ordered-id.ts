/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Records keyed by ids made in time order
 * are appended at the end of their primary-key index instead of at random places in it, so a commit of many such
 * records dirties (and writes to the journal) a page or two rather than one page per record.
 */
import { randomUUID } from 'node:crypto';

export function timeOrderedId(at: Date): string {
  const millis = at.getTime().toString(16).padStart(12, '0').slice(-12);
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, its variant already RFC 9562's; keep its random tail.
  return `${millis.slice(0, 8)}-${millis.slice(8)}-7${randomUUID().slice(15)}`;
}

const VERSION_7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7/;

/** The Unix milliseconds an id of `timeOrderedId` was made for; undefined for an id of another kind. */
export function timeOfId(id: string): number | undefined {
  const parts = VERSION_7.exec(id);
  return parts ? Number.parseInt(`${parts[1]}${parts[2]}`, 16) : undefined;
}
