/**
 * `osia-server/client`: typed clients for the eight OSIA 7.1 interfaces.
 *
 *   const osia = createOsiaClient({ baseUrl: 'https://id.example', token: () => fetchToken() });
 *   const { data, error } = await osia.pr.GET('/v1/persons/{personId}', { params: { path: { personId }, query: { transactionId } } });
 */
export type * as abis from '../../generated/client/abis.js';
export type * as cms from '../../generated/client/cms.js';
export type * as dataaccess from '../../generated/client/dataaccess.js';
export type * as enrollment from '../../generated/client/enrollment.js';
export type * as notification from '../../generated/client/notification.js';
export type * as pr from '../../generated/client/pr.js';
export type * as thirdparty from '../../generated/client/thirdparty.js';
export type * as uin from '../../generated/client/uin.js';
export { type OsiaError, OsiaRequestError, unwrap } from './errors.js';
export { OSIA_INTERFACES, type OsiaInterface, type OsiaPaths } from './interfaces.js';
export {
  createInterfaceClient,
  createOsiaClient,
  type Dispatcher,
  type OsiaClientOptions,
  type OsiaClients,
  type TokenSource,
} from './osia-client.js';
