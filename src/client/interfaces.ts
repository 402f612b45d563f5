/**
 * The OSIA interfaces the client speaks, with the path types generated from their documents and the prefix each
 * is served under by osia-server. Kept here rather than imported from the server: the client stands alone.
 */
import type * as abis from '../../generated/client/abis.js';
import type * as cms from '../../generated/client/cms.js';
import type * as dataaccess from '../../generated/client/dataaccess.js';
import type * as enrollment from '../../generated/client/enrollment.js';
import type * as notification from '../../generated/client/notification.js';
import type * as pr from '../../generated/client/pr.js';
import type * as thirdparty from '../../generated/client/thirdparty.js';
import type * as uin from '../../generated/client/uin.js';

export interface OsiaPaths {
  enrollment: enrollment.paths;
  pr: pr.paths;
  dataaccess: dataaccess.paths;
  uin: uin.paths;
  notification: notification.paths;
  cms: cms.paths;
  thirdparty: thirdparty.paths;
  abis: abis.paths;
}

export type OsiaInterface = keyof OsiaPaths;

export const OSIA_INTERFACES = [
  'enrollment',
  'pr',
  'dataaccess',
  'uin',
  'notification',
  'cms',
  'thirdparty',
  'abis',
] as const satisfies readonly OsiaInterface[];

/** osia-server serves each interface under `/<name>`; another vendor's component may use any base URL. */
export function defaultPrefix(name: OsiaInterface): string {
  return `/${name}`;
}
