/**
 * The civil registry as the PR reads it after a liveBirth: its Data Access interface (readPersonAttributes), through
 * our typed OSIA client. A value the registry answers with an Error object (unknown or forbidden attribute) is left
 * out; an unknown uin is `undefined`; anything else that fails is thrown, so that the event is delivered again.
 */
import { createInterfaceClient, OsiaRequestError, unwrap } from '../client/index.js';
import type { RemoteSource } from './flow-config.js';

export type Attributes = Record<string, string | number | boolean>;

export interface CivilRegistry {
  attributes(uin: string, names: readonly string[]): Promise<Attributes | undefined>;
}

const isScalar = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);

export function civilRegistryAt(source: RemoteSource): CivilRegistry {
  const client = createInterfaceClient('dataaccess', { baseUrls: { dataaccess: source.url }, token: source.token });
  return {
    async attributes(uin, names) {
      try {
        const answer = await unwrap(client.GET('/v1/persons/{uin}', { params: { path: { uin }, query: { attributeNames: [...names] } } }));
        return Object.fromEntries(Object.entries(answer ?? {}).filter(([, value]) => isScalar(value))) as Attributes;
      } catch (err) {
        if (err instanceof OsiaRequestError && err.status === 404) return undefined;
        throw err;
      }
    },
  };
}
