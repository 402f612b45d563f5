/** X.500 names of the CA (from configuration) and of certificate holders (from biographic data). */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ConfigError } from '../../config/config-options.js';

const ATTRIBUTE_TYPES = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  GN: '2.5.4.42',
} as const;
const TYPE_BY_NAME: Record<string, string> = ATTRIBUTE_TYPES;
/** X.520 wants these as PrintableString; everything else is UTF8String. */
const PRINTABLE_TYPES = new Set<string>([ATTRIBUTE_TYPES.C, ATTRIBUTE_TYPES.SERIALNUMBER]);
/** ub-name and friends (RFC 5280 appendix A) cap most attributes at 64 characters. */
const UPPER_BOUND = 64;

function attribute(type: string, value: string): pkijs.AttributeTypeAndValue {
  const printable = PRINTABLE_TYPES.has(type) && /^[A-Za-z0-9 '()+,\-./:=?]+$/.test(value);
  return new pkijs.AttributeTypeAndValue({
    type,
    value: printable ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
  });
}

/**
 * Parses an RFC 4514 string such as `CN=osia-server issuing CA,O=Ministry,C=XX` (most specific first, `\,` for a
 * literal comma) into a name encoded most general first, as certificates carry it.
 */
export function parseDistinguishedName(text: string, optionName: string): pkijs.RelativeDistinguishedNames {
  const parts = text.split(/(?<!\\),/).map((part) => part.trim());
  const typesAndValues = parts.map((part) => {
    const match = /^([A-Za-z]+)\s*=\s*(.+)$/s.exec(part);
    const type = match && TYPE_BY_NAME[(match[1] as string).toUpperCase()];
    if (!match || !type) {
      throw new ConfigError(
        `${optionName} must be a name such as "CN=osia-server issuing CA,O=Ministry,C=XX" using ${Object.keys(ATTRIBUTE_TYPES).join(', ')}, got "${text}"`,
      );
    }
    const value = (match[2] as string).replace(/\\,/g, ',').trim();
    if (type === ATTRIBUTE_TYPES.C && !/^[A-Z]{2}$/.test(value)) {
      throw new ConfigError(`${optionName}: C must be a two-letter ISO 3166 country code, got "${value}"`);
    }
    return attribute(type, value);
  });
  return distinguishedName(typesAndValues.reverse());
}

/**
 * One attribute per RDN, most general first. pkijs would put all of them in a single multi-valued RDN, so the
 * name is encoded here and handed over pre-encoded.
 */
function distinguishedName(typesAndValues: pkijs.AttributeTypeAndValue[]): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({ value: typesAndValues.map((item) => new asn1js.Set({ value: [item.toSchema()] })) });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER(false));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, UPPER_BOUND) : undefined;
}

/**
 * The holder's name: CN "firstName lastName", GN and SN when known, and serialNumber = the credential number.
 * The UIN and the personId are left out on purpose: certificates are shown to every relying party the holder
 * authenticates to or signs for, and a national identifier there would let them link the holder across services.
 */
export function holderName(biographicData: Record<string, unknown>, credentialNumber: string): pkijs.RelativeDistinguishedNames {
  const givenName = text(biographicData.firstName);
  const surname = text(biographicData.lastName);
  const commonName = [givenName, surname].filter(Boolean).join(' ').slice(0, UPPER_BOUND) || credentialNumber;
  const typesAndValues = [
    attribute(ATTRIBUTE_TYPES.CN, commonName),
    ...(surname ? [attribute(ATTRIBUTE_TYPES.SN, surname)] : []),
    ...(givenName ? [attribute(ATTRIBUTE_TYPES.GN, givenName)] : []),
    attribute(ATTRIBUTE_TYPES.SERIALNUMBER, credentialNumber.slice(0, UPPER_BOUND)),
  ];
  return distinguishedName(typesAndValues);
}
