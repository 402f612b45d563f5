import { OSIA_INTERFACES } from '../client/interfaces.js';

/**
 * The eight OSIA interfaces this server serves, each from `openapi/<name>.yaml` under the prefix `/<name>`: the
 * client library's list (the client stands alone, so the server takes the list from it, not the other way).
 */
export const INTERFACE_NAMES = OSIA_INTERFACES;

export type InterfaceName = (typeof INTERFACE_NAMES)[number];

/**
 * Our own interfaces for citizens, served by default beside the OSIA ones and named like them in OSIA_INTERFACES and
 * OSIA_MOUNTS: the OpenID Connect provider (`openapi/oidc.yaml`, mounted at `/oidc`).
 */
export const CITIZEN_INTERFACES = ['oidc'] as const;

export type CitizenInterfaceName = (typeof CITIZEN_INTERFACES)[number];

/** What OSIA_INTERFACES may list and OSIA_MOUNTS may move. */
export const SERVABLE_INTERFACES = [...INTERFACE_NAMES, ...CITIZEN_INTERFACES] as const;

export type ServableInterfaceName = InterfaceName | CitizenInterfaceName;

export function isServableInterface(value: string): value is ServableInterfaceName {
  return (SERVABLE_INTERFACES as readonly string[]).includes(value);
}

/** Our own document beyond OSIA: the access report of the audit trail (`openapi/audit.yaml`, under `/audit`). */
export const AUDIT = 'audit';

/**
 * The citizen's "my data" page and its JSON twin (`openapi/me.yaml`, under `/me`), behind the OpenID provider's login
 * rather than a bearer token: served with the `oidc` interface.
 */
export const ME = 'me';

/**
 * Our public documents (no token): the issuing CA beside the CMS, the proof keys beside Third Party, the event
 * callbacks, the relay of the ABIS gateway beside the ABIS operations, and the passkeys of the OpenID provider
 * (the browser's session, not a token).
 */
export const PUBLIC_DOCUMENTS = ['pki', 'jwks', 'events', 'abis-relay', 'oidc-passkeys'] as const;

/** Every document the server serves: the interfaces, the audit report, the "my data" page and the public documents. */
export type DocumentName = ServableInterfaceName | typeof AUDIT | typeof ME | (typeof PUBLIC_DOCUMENTS)[number];

export const DOCUMENT_TITLES: Record<DocumentName, string> = {
  enrollment: 'Enrollment',
  pr: 'Population Registry',
  dataaccess: 'Data Access',
  uin: 'UIN Generation',
  notification: 'Notification',
  cms: 'Credential Management',
  thirdparty: 'Third Party Services',
  abis: 'Biometrics (ABIS)',
  oidc: 'OpenID Connect provider (osia-server)',
  audit: 'Audit: access report (osia-server)',
  me: 'My data: the citizen\'s page and access report (osia-server)',
  pki: 'Issuing CA: certificate and CRL (osia-server)',
  jwks: 'Verification proof keys (osia-server)',
  events: 'Event callbacks (osia-server)',
  'abis-relay': 'ABIS gateway relay (osia-server)',
  'oidc-passkeys': 'OpenID provider: passkeys (osia-server)',
};

export function isInterfaceName(value: string): value is InterfaceName {
  return (INTERFACE_NAMES as readonly string[]).includes(value);
}
