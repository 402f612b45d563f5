/** Builds the gateway engine from the settings (OSIA_ABIS_GATEWAY_*), reading its secrets at start-up. */
import type { Config } from '../config/config-options.js';
import type { OpenApiDocument } from '../openapi/documents.js';
import type { Store } from '../storage/store.js';
import { GatewayAbis } from './gateway-abis.js';
import { GatewayHttp } from './gateway-http.js';
import { RelayAddresses } from './gateway-relay.js';

export interface GatewayParts {
  config: Config;
  /** Our abis.yaml. */
  document: OpenApiDocument;
  store: Store;
}

export interface OpenedGateway {
  engine: GatewayAbis;
  /** The relay's addresses, when the vendor can reach us (OSIA_PUBLIC_URL): then the relay route is served. */
  relay: RelayAddresses | undefined;
}

export async function openGatewayAbis({ config, document, store }: GatewayParts): Promise<OpenedGateway> {
  const http = new GatewayHttp({
    // load-config refuses the gateway engine without its URL.
    baseUrl: config.abisGatewayUrl ?? '',
    token: config.abisGatewayToken,
    clientCert: config.abisGatewayClientCert,
    clientKey: config.abisGatewayClientKey,
    ca: config.abisGatewayCa,
    timeoutMs: config.abisGatewayTimeout * 1000,
  });
  // The relay is served under each prefix of the ABIS; the one the vendor is given is the configured (or default) one.
  const prefix = config.mounts.abis ?? '/abis';
  const relay = config.publicUrl ? await RelayAddresses.open(store, `${config.publicUrl}${prefix === '/' ? '' : prefix}`) : undefined;
  return { engine: new GatewayAbis({ document, http, relay }), relay };
}
