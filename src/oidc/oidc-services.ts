/**
 * The OpenID provider's services, opened once by the composition root: the provider on its store, keys and clients,
 * the sweep of expired artifacts, and the ports other modules use (finish a login, read the current login, start a
 * login of the "my data" page, end a person's sessions).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../config/config-options.js';
import { SectorTokens } from '../identity/sector-tokens.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { PeriodicJob } from '../shared/background-jobs.js';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../storage/store.js';
import { accountFinder, activePerson, type ClaimRelease } from './accounts.js';
import { AcrValues, atLeast, type Level } from './assurance-levels.js';
import { ClaimMapping } from './claim-mapping.js';
import type { CredentialStanding, AuthenticateCard, LoginResult } from './login-methods.js';
import { LoginRefused } from './login-methods.js';
import { OidcArtifacts } from './oidc-adapter.js';
import { clientMetadata, type ClientPolicy, clientPolicyOf, loadClientEntries, ME_CLIENT_ID, meClientMetadata } from './oidc-clients.js';
import { loadOidcKeys } from './oidc-keys.js';
import { amrWithCredential, createProvider, credentialOf, policyOf } from './openid-provider.js';

export type Exchange = { req: IncomingMessage; res: ServerResponse };

export interface CurrentLogin {
  personId: string;
  acr: Level;
  credentialId?: string;
}

export interface OidcParts {
  store: Store;
  registry: PopulationRegistry;
  config: Config;
  /** The public URL of the server, and where the provider and the "my data" page are mounted. */
  publicUrl: string;
  prefix: string;
  mePrefix: string;
  /** Whether the server itself speaks TLS (else a https public URL means a TLS-offloading proxy). */
  https: boolean;
  oidcClaims?: Readonly<Record<string, string>>;
  standing: CredentialStanding;
  authenticateCard?: AuthenticateCard;
  /** `https://<host of the public URL>:<card port>`, when the card listener runs. */
  cardOrigin?: string;
  audit: (release: ClaimRelease) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

export interface OidcServices {
  provider: Provider;
  acr: AcrValues;
  claims: ClaimMapping;
  /** Every client's policy (organisation, purpose, `restricted` ...), for the "my data" report. */
  clients: ClientPolicy[];
  prefix: string;
  authenticateCard?: AuthenticateCard;
  cardOrigin?: string;
  sweep: PeriodicJob;
  finishLogin(exchange: Exchange, login: LoginResult): Promise<string>;
  currentLogin(exchange: Exchange): Promise<CurrentLogin | undefined>;
  loginUrl(returnTo: string, acr: Level): { url: string; state: string; codeVerifier: string };
  endSessionsOf(personId: string): Promise<number>;
}

/** How often expired sessions, codes and tokens are deleted. */
export const OIDC_SWEEP_INTERVAL_MS = 60_000;

export async function openOidcServices(parts: OidcParts): Promise<OidcServices> {
  const { store, config, clock, logger, publicUrl, prefix } = parts;
  const issuer = `${publicUrl}${prefix === '/' ? '' : prefix}`;
  const acr = new AcrValues(config.oidcAcrStyle);
  const claims = new ClaimMapping(parts.oidcClaims);
  const artifacts = await OidcArtifacts.open(store, clock);
  const tokens = await SectorTokens.open(store, { dataDir: config.dataDir, tokenSecret: config.tokenSecret, sectors: { clients: {} } });
  const entries = await loadClientEntries(config.oidcClients);
  const metadata = [meClientMetadata(publicUrl, parts.mePrefix), ...entries.map(clientMetadata)];
  const provider = await createProvider({
    issuer,
    artifacts,
    keys: await loadOidcKeys(store, config.oidcKeys),
    clients: metadata,
    claims,
    acr,
    findAccount: accountFinder({ registry: parts.registry, standing: parts.standing, claims, audit: parts.audit }),
    subjectOf: (sector, uin) => tokens.issue(sector, uin),
    interactionPath: `${prefix === '/' ? '' : prefix}/interaction`,
    proxy: !parts.https && publicUrl.startsWith('https:'),
    ttl: { session: config.oidcSessionTtl, accessToken: config.oidcTokenTtl },
  });
  provider.on('backchannel.error', (_ctx, err, client) => logger.warn({ err, client: client.clientId }, 'back-channel logout failed'));

  return {
    provider,
    acr,
    claims,
    clients: metadata.map(clientPolicyOf),
    prefix,
    authenticateCard: parts.authenticateCard,
    cardOrigin: parts.cardOrigin,
    sweep: new PeriodicJob('OpenID artifact sweep', OIDC_SWEEP_INTERVAL_MS, () => artifacts.sweep(), logger),

    async finishLogin({ req, res }, login) {
      const interaction = await provider.interactionDetails(req, res);
      const client = await provider.Client.find(String(interaction.params.client_id));
      if (!client) throw new LoginRefused({ refusal: 'unknownClient' });
      const required = acr.requiredBy(interaction.params, policyOf(client).minimumAcr);
      if (!atLeast(login.acr, required)) throw new LoginRefused({ refusal: 'levelTooLow', values: { reached: login.acr, required } });
      // Whatever the method: a person no longer ACTIVE and ALIVE signs in nowhere.
      if (!(await activePerson(parts.registry, login.personId))) throw new LoginRefused({ refusal: 'cannotSignIn' });
      const ts = Math.floor(clock().getTime() / 1000);
      const result = { login: { accountId: login.personId, acr: acr.of(login.acr), amr: amrWithCredential(login.amr, login.credentialId), ts } };
      return provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
    },

    async currentLogin({ req, res }) {
      const session = await provider.Session.get(provider.createContext(req, res));
      const level = acr.levelOf(session.acr);
      if (!session.accountId || !level) return undefined;
      const credentialId = credentialOf(session.amr);
      // Standing at each use of the session, as at each use of a token: the job that ends sessions runs later.
      if (!(await activePerson(parts.registry, session.accountId))) return undefined;
      if (credentialId && !(await parts.standing.credentialActive(session.accountId, credentialId))) return undefined;
      return { personId: session.accountId, acr: level, ...(credentialId ? { credentialId } : {}) };
    },

    loginUrl(returnTo, level) {
      const codeVerifier = randomBytes(32).toString('base64url');
      const state = Buffer.from(returnTo, 'utf8').toString('base64url');
      const url = new URL(`${issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: ME_CLIENT_ID,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: `${publicUrl}${parts.mePrefix}`,
        acr_values: acr.of(level),
        state,
        code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.href, state, codeVerifier };
    },

    async endSessionsOf(personId) {
      const sessions = await artifacts.endAccount(personId);
      const notices = sessions.flatMap((session) =>
        Object.entries((session.authorizations ?? {}) as Record<string, { sid?: string }>).map(async ([clientId, { sid }]) => {
          const client = await provider.Client.find(clientId);
          if (!client?.backchannelLogoutUri || !sid) return;
          // oidc-provider's own back-channel notice (its types do not list the method).
          const notify = (client as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> }).backchannelLogout.bind(client);
          await notify(personId, sid).catch((err: unknown) => logger.warn({ err, client: clientId }, 'back-channel logout failed'));
        }),
      );
      await Promise.all(notices);
      return sessions.length;
    },
  };
}
