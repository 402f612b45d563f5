/** The eight OSIA interfaces this server serves, each from `openapi/<name>.yaml` under the prefix `/<name>`. */
export const INTERFACE_NAMES = [
  'enrollment',
  'pr',
  'dataaccess',
  'uin',
  'notification',
  'cms',
  'thirdparty',
  'abis',
] as const;

export type InterfaceName = (typeof INTERFACE_NAMES)[number];

export const INTERFACE_TITLES: Record<InterfaceName, string> = {
  enrollment: 'Enrollment',
  pr: 'Population Registry',
  dataaccess: 'Data Access',
  uin: 'UIN Generation',
  notification: 'Notification',
  cms: 'Credential Management',
  thirdparty: 'Third Party Services',
  abis: 'Biometrics (ABIS)',
};

export function isInterfaceName(value: string): value is InterfaceName {
  return (INTERFACE_NAMES as readonly string[]).includes(value);
}
