/**
 * Which addresses the server may call back (notification subscribers, ABIS callbacks). Checked when the address is
 * given (400) and again on every delivery against the resolved IP addresses (so a name that later resolves
 * elsewhere is still caught).
 * - Only http(s) URLs.
 * - With an allow-list (OSIA_NOTIFICATION_ALLOW, OSIA_ABIS_CALLBACK_ALLOW: hosts and CIDRs), a host must be listed
 *   by name or fall in a CIDR.
 * - Without one, any host except loopback, link-local (cloud metadata lives there) and known metadata names.
 */
import { BlockList, isIP } from 'node:net';
import { InvalidError } from './domain-errors.js';

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

function denied(): BlockList {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addSubnet('169.254.0.0', 16, 'ipv4');
  list.addSubnet('0.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  list.addAddress('::', 'ipv6');
  list.addSubnet('fe80::', 10, 'ipv6');
  list.addAddress('fd00:ec2::254', 'ipv6');
  return list;
}

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();

export class AddressCheck {
  readonly #denied = denied();
  readonly #allowedNets = new BlockList();
  readonly #allowedNames = new Set<string>();
  readonly #allowList: boolean;

  /** `purpose` ends the refusal message: "… is not allowed for <purpose>". */
  constructor(
    allow: readonly string[] | undefined,
    private readonly purpose: string,
  ) {
    this.#allowList = allow !== undefined && allow.length > 0;
    for (const entry of allow ?? []) {
      const [net, bits] = entry.split('/');
      if (net !== undefined && isIP(bare(net))) {
        const ip = bare(net);
        this.#allowedNets.addSubnet(ip, bits === undefined ? (isIP(ip) === 6 ? 128 : 32) : Number(bits), family(ip));
      } else {
        this.#allowedNames.add(entry.toLowerCase());
      }
    }
  }

  /** The check when the address is given: a URL of an allowed scheme and host; `member` names it in the message. */
  checkHttpAddress(address: string, member = 'address'): URL {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new InvalidError(`${member} must be an http(s) URL, got "${address}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidError(`${member} must use http or https, got "${url.protocol.replace(':', '')}"`);
    }
    const host = bare(url.hostname);
    if (!this.hostAllowed(host)) throw new InvalidError(`${member} host ${host} is not allowed for ${this.purpose}`);
    return url;
  }

  /** A host name (before resolution) or literal IP. */
  hostAllowed(host: string): boolean {
    if (METADATA_NAMES.has(host)) return this.#allowedNames.has(host);
    if (isIP(host)) return this.ipAllowed(host);
    if (host === 'localhost' || host.endsWith('.localhost')) return this.#allowedNames.has(host);
    return !this.#allowList || this.#allowedNames.has(host);
  }

  /** A resolved IP of a host that passed `hostAllowed` (or the literal IP itself). */
  ipAllowed(ip: string, viaName?: string): boolean {
    if (this.#allowedNets.check(ip, family(ip))) return true;
    if (viaName !== undefined && this.#allowedNames.has(viaName)) return true;
    if (this.#denied.check(ip, family(ip))) return false;
    return !this.#allowList || viaName !== undefined;
  }
}
