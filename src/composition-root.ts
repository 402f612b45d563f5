/**
 * The composition root: the one place that builds the app. Read top to bottom, it names every service, what it
 * depends on and which interface uses it. A service is built only when an interface that uses it is served, once,
 * and handed to the handler factories that need it; every "now" comes from the one `clock`.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import { abisInterface } from './abis/abis.routes.js';
import { type AbisTaskLayer, openAbisTasks } from './abis/open-abis-tasks.js';
import type { TaskAuditEvent } from './abis/task-audit.js';
import { AbisClient } from './biometrics/abis-client.js';
import type { AbisEngine } from './biometrics/abis-engine.port.js';
import { ABIS_MIRROR, AbisMirror, mirrorRecorder } from './biometrics/abis-mirror.js';
import { BuiltinAbis } from './biometrics/builtin-abis.js';
import { FaceModel } from './biometrics/face-model.js';
import { abisRelayInterface } from './biometrics/abis-relay.routes.js';
import { openGatewayAbis } from './biometrics/open-gateway-abis.js';
import { createHttpApp } from './app.js';
import { AUDIT_INDEX_INTERVAL_MS } from './audit/audit-indexer.js';
import { AuditLog } from './audit/audit-log.js';
import { auditInterface } from './audit/audit.routes.js';
import { authNoticesJob } from './auth/auth-notices.js';
import { type CmsServices, openCmsServices } from './cms/cms-services.js';
import { cmsInterface } from './cms/cms.routes.js';
import { type Config, cardUrlOf, publicUrlOf } from './config/config-options.js';
import type { Clock } from './shared/clock.js';
import { openCredentials, usesPki } from './credentials/open-credentials.js';
import { openPkiIssuer } from './credentials/pki/open-pki-issuer.js';
import { pkiInterface } from './credentials/pki/pki.routes.js';
import { loadProfileCatalogue } from './credentials/profile-catalogue.js';
import { StoredCredentialDirectory } from './credentials/stored-credential-directory.js';
import { dataAccessInterface } from './dataaccess/dataaccess.routes.js';
import { loadDictionary } from './dataaccess/dictionary-file.js';
import { openEnrollmentServices } from './enrollment/enrollment-services.js';
import { enrollmentInterface } from './enrollment/enrollment.routes.js';
import { eventsInterface } from './flows/events.routes.js';
import { loadFlowConfig } from './flows/flow-config.js';
import { type EventFlows, openEventFlows } from './flows/open-flows.js';
import { duplicateAnnouncer, outboxRecorder, PR_OUTBOX } from './flows/pr-outbox.js';
import { AccountStanding } from './oidc/account-standing.js';
import { CardAuthenticator } from './oidc/card-authenticator.js';
import { credentialStatusRecorder, personChangeRecorder, SESSION_ENDINGS } from './oidc/session-ending.js';
import { createMetrics } from './http/metrics.js';
import { schemeOf } from './http/http-server.js';
import type { AuthenticateCard, CredentialStanding } from './oidc/login-methods.js';
import { Passkeys } from './oidc/passkeys.js';
import { passkeyLoginButton, passkeyRegistration, passkeysInterface } from './oidc/passkeys.routes.js';
import { SessionEnding } from './oidc/session-ending.js';
import { AccessReport } from './me/access-report.js';
import { meInterface } from './me/me.routes.js';
import { type PasskeyLogin, oidcInterface } from './oidc/oidc.routes.js';
import { type OidcServices, openOidcServices } from './oidc/oidc-services.js';
import { type ServedInterface, serve } from './http/interface-module.js';
import { planMounts } from './http/mounts.js';
import { type NotificationEngine, openNotificationEngine } from './notification/notification-engine.js';
import { notificationInterface } from './notification/notification.routes.js';
import { RETENTION_SWEEP_INTERVAL_MS } from './notification/retention-sweep.js';
import { type LoadedDocument, loadDocument } from './openapi/documents.js';
import { type DocumentName, ME } from './openapi/interfaces.js';
import { registerRegistryGauges } from './pr/pr-metrics.js';
import { openPrServices, type PrServices } from './pr/pr-services.js';
import { prInterface } from './pr/pr.routes.js';
import { DEFAULT_RESTRICTED_DELAY_DAYS, type ProfileSettings } from './profile/profile-settings.js';
import { PopulationRegistry, type ReferenceView, recordingAll } from './registry/population-registry.js';
import { BackgroundJobs, PeriodicJob } from './shared/background-jobs.js';
import { BLOB_SWEEP_INTERVAL_MS, sweepUnclaimedBlobs } from './storage/blobs/blob-sweep.js';
import type { Storage } from './storage/document-store.port.js';
import { Store } from './storage/store.js';
import { jwksInterface } from './thirdparty/jwks.routes.js';
import { proofSignerOf } from './thirdparty/proof-signer.js';
import { openThirdPartyServices, type ThirdPartyServices } from './thirdparty/thirdparty-services.js';
import { thirdPartyInterface } from './thirdparty/thirdparty.routes.js';
import { openUinRegistry } from './uin/open-uin-registry.js';
import { uinInterface } from './uin/uin.routes.js';
import { ISSUANCE_LEASE_MS } from './workflow/issuance-workflow.js';
import { registerIssuanceWorkflow } from './workflow/register-issuance.js';

/** "My data" is served at `/me`, beside no interface. */
const ME_PREFIX = `/${ME}`;

/** The name an authenticator shows for a person: their reference identity's first and last names. */
function displayName(reference: ReferenceView | undefined): string {
  const biographic = reference?.identity?.biographicData as Record<string, unknown> | undefined;
  return [biographic?.firstName, biographic?.lastName].filter((part) => typeof part === 'string').join(' ');
}

export interface AppParts {
  config: Config;
  storage: Storage;
  logger: Logger;
  /** The documents to serve: the chosen OSIA interfaces and the audit report. */
  documents: readonly LoadedDocument[];
  /** The behaviour settings of the country profile. */
  settings: ProfileSettings;
  /** The time of the app; tests give a clock they move by hand. */
  clock: Clock;
  /** Login methods in place of the ID card and passkeys (tests of the provider alone); by default the real ones. */
  oidcLogins?: OidcLoginPorts;
}

export interface OidcLoginPorts {
  standing: CredentialStanding;
  authenticateCard?: AuthenticateCard;
  passkeyLogin?: PasskeyLogin;
  cardOrigin?: string;
}

/** The services of the served interfaces that tests drive directly (undefined for an interface not served). */
export interface AppServices {
  notification: NotificationEngine | undefined;
  thirdParty: ThirdPartyServices | undefined;
  cms: CmsServices | undefined;
  pr: PrServices | undefined;
  /** The event flows of `OSIA_EVENTS` (undefined without the file). */
  flows: EventFlows | undefined;
  /** The ABIS calls made with a callback: their service and jobs. */
  abisTasks: AbisTaskLayer | undefined;
  /** Applies the PR's changes to the ABIS (undefined unless both pr and abis are served). */
  abisMirror: AbisMirror | undefined;
  /** Whether a person (and the credential of their login) may still hold a session. */
  accountStanding: AccountStanding | undefined;
  /** The ID-card login (undefined without the issuing CA). */
  cardAuthenticator: CardAuthenticator | undefined;
  /** The OpenID provider and its ports (finishLogin, currentLogin, loginUrl, endSessionsOf). */
  oidc: OidcServices | undefined;
}

export interface ComposedApp {
  app: Express;
  services: AppServices;
  /** The periodic work of the app, in start order: the server starts it once listening and stops it on shutdown. */
  jobs: BackgroundJobs;
  /** The CA the ID-card login listener asks client certificates of (undefined when there is no card login). */
  issuingCaPem: string | undefined;
}

/** The built-in engine; the face model is opened once, here. */
async function openBuiltinAbis(config: Config, store: Store, clock: Clock): Promise<AbisEngine> {
  return BuiltinAbis.open({ store, model: await FaceModel.open(), clock, threshold: config.abisThreshold });
}

export async function composeApp(parts: AppParts): Promise<ComposedApp> {
  const { config, storage, logger, documents, settings, clock } = parts;
  // The one unit of work the services write through.
  const store = new Store(storage);
  // First: an ambiguous mounting stops start-up before anything else is built.
  const mounts = planMounts(documents, config.mounts);
  const documentOf = (name: DocumentName) => documents.find((loaded) => loaded.name === name);
  const serves = (...names: DocumentName[]) => names.some((name) => documentOf(name) !== undefined);
  const jobs = new BackgroundJobs();
  jobs.add(new PeriodicJob('blob sweep', BLOB_SWEEP_INTERVAL_MS, () => sweepUnclaimedBlobs(storage.blobs, clock()), logger));
  const metrics = createMetrics();
  const auditLog = await AuditLog.open(store);
  jobs.add(new PeriodicJob('audit indexer', AUDIT_INDEX_INTERVAL_MS, () => auditLog.indexer.catchUp(), logger));
  // The event wiring is read first: the PR's outbox records go in the batch of every person change.
  const flowConfig = config.events ? await loadFlowConfig(config.events) : undefined;
  const published = flowConfig?.components.pr?.publishes ?? [];
  const prOutbox = flowConfig && published.length > 0 ? await store.records(PR_OUTBOX) : undefined;
  // The ABIS follows the PR's deletes, merges and moves: their mirror records go in the same batch.
  const abisMirrorOutbox = serves('abis') && serves('pr') ? await store.records(ABIS_MIRROR) : undefined;
  // Logins rest on the registry and the credentials: a change that may end a person's standing ends their sessions.
  const sessionEndings = serves('pr', 'dataaccess', 'thirdparty') && serves('cms', 'thirdparty') ? await store.records(SESSION_ENDINGS) : undefined;
  const recordChange = recordingAll(
    prOutbox && flowConfig && outboxRecorder(prOutbox, flowConfig.source, published, clock),
    abisMirrorOutbox && mirrorRecorder(abisMirrorOutbox, clock),
    sessionEndings && personChangeRecorder(sessionEndings, clock),
  );
  const announceDuplicate =
    prOutbox && flowConfig && published.includes('duplicatePerson') ? duplicateAnnouncer(store, prOutbox, flowConfig.source, clock) : undefined;

  // Shared by several interfaces: the population registry (PR, Data Access, Third Party), the credential domain
  // (CMS, Third Party) and the issuing CA (the CMS routes, and the `pki` producer wherever credentials are made).
  const registry = serves('pr', 'dataaccess', 'thirdparty', 'oidc')
    ? await PopulationRegistry.open(store, { indexedAttributes: config.indexedAttributes, clock, recordChange })
    : undefined;
  const catalogue = serves('cms', 'thirdparty') ? await loadProfileCatalogue(config.credentialProfiles) : undefined;
  const pkiIssuer = serves('cms') || (catalogue && usesPki(catalogue)) ? await openPkiIssuer(store, config, clock) : undefined;
  const recordStatusChange = sessionEndings && credentialStatusRecorder(sessionEndings, clock);
  const credentials = catalogue && (await openCredentials({ catalogue, store, pkiIssuer, clock, logger, recordStatusChange }));
  // The citizen's logins: who still stands, and the ID card's authentication certificate.
  const accountStanding =
    registry &&
    credentials &&
    new AccountStanding({
      person: (personId) => registry.person(personId),
      credential: (credentialId) => credentials.store.credentials.get(credentialId),
      profiles: config.oidcCardProfiles,
      clock,
    });
  const cardAuthenticator =
    accountStanding &&
    pkiIssuer &&
    new CardAuthenticator({
      caCertificatePem: pkiIssuer.caCertificatePem(),
      certificate: (serial) => pkiIssuer.certificate(serial),
      standing: accountStanding,
      clock,
    });
  // The ABIS engine: the Biometrics interface's, also used by the issuance workflow, Third Party and the PR mirror.
  // The face model is opened for the built-in engine only; the gateway forwards to the vendor's ABIS.
  const abisDocument = documentOf('abis');
  const gateway =
    abisDocument && config.abisEngine === 'gateway' ? await openGatewayAbis({ config, document: abisDocument.document, store }) : undefined;
  const abisEngine = abisDocument && (gateway?.engine ?? (await openBuiltinAbis(config, store, clock)));
  const biometrics = abisEngine && new AbisClient(abisEngine, config.abisNationalGallery);
  const abisMirror = biometrics && abisMirrorOutbox && (await AbisMirror.open(store, biometrics, { clock, logger }));
  if (abisMirror && config.outboxInterval > 0) jobs.add(new PeriodicJob('ABIS mirror', config.outboxInterval, () => abisMirror.runOnce(), logger));

  // One service set per served interface, and its handlers.
  const served: ServedInterface[] = [];
  const enrollmentDocument = documentOf('enrollment');
  // Its outbox is held for as long as an issuance run may take; OSIA_OUTBOX_INTERVAL=0 leaves it to other processes.
  const outbox = { clock, logger, leaseMs: ISSUANCE_LEASE_MS, relays: config.outboxInterval > 0 };
  const enrollment = enrollmentDocument && (await openEnrollmentServices(store, enrollmentDocument, outbox));
  if (enrollment) served.push(serve(enrollmentInterface, enrollment));

  const prDocument = documentOf('pr');
  const pr = registry && prDocument && openPrServices(registry, prDocument, settings);
  if (pr) {
    registerRegistryGauges(metrics.registry, pr.registry);
    served.push(serve(prInterface, pr));
  }

  if (registry && serves('dataaccess')) {
    const dictionary = await loadDictionary(config.dataAccessDictionary);
    const noMatch = settings.compatibility.queryPersonListNoMatch;
    served.push(serve(dataAccessInterface, { registry, dictionary, noMatch }));
  }

  const uin = serves('uin') ? await openUinRegistry(store, config, clock) : undefined;
  if (uin) served.push(serve(uinInterface, uin));

  const notification = serves('notification')
    ? await openNotificationEngine({ store, config, settings, metrics: metrics.registry, clock, logger })
    : undefined;
  if (notification) {
    served.push(serve(notificationInterface, notification.service));
    jobs.add(notification.worker);
    const { retention } = notification;
    if (retention) jobs.add(new PeriodicJob('notification retention sweep', RETENTION_SWEEP_INTERVAL_MS, () => retention.sweep(), logger));
  }

  const cmsDocument = documentOf('cms');
  const cms =
    credentials && cmsDocument && openCmsServices({ credentials, document: cmsDocument, clock, timeoutSeconds: config.credentialTimeout, logger });
  if (cms) {
    served.push(serve(cmsInterface, cms));
    // PENDING requests move on (bureau progress, timeout) without a client asking.
    if (config.credentialPollInterval > 0) {
      jobs.add(new PeriodicJob('credential request sweep', config.credentialPollInterval * 1000, () => cms.requests.runPending(), logger));
    }
  }

  const thirdPartyDocument = documentOf('thirdparty');
  const proofSigner = thirdPartyDocument ? await proofSignerOf(config) : undefined;
  const thirdParty =
    registry && credentials && proofSigner && thirdPartyDocument
      ? await openThirdPartyServices({
          registry,
          credentials: new StoredCredentialDirectory(credentials.store.credentials, credentials.catalogue),
          biometrics,
          signer: proofSigner,
          document: thirdPartyDocument,
          store,
          config,
          clock,
          logger,
        })
      : undefined;
  if (thirdParty) served.push(serve(thirdPartyInterface, thirdParty));

  let abisTasks: AbisTaskLayer | undefined;
  if (abisEngine) {
    // The persons an asynchronous result names join the audit trail as a synchronous search's do.
    const audit = (event: TaskAuditEvent) => auditLog.append({ time: clock().toISOString(), interface: 'abis', ...event });
    abisTasks = await openAbisTasks({ store, engine: abisEngine, config, metrics: metrics.registry, clock, logger, audit });
    for (const job of abisTasks.jobs) jobs.add(job);
    served.push(serve(abisInterface, { engine: abisEngine, tasks: abisTasks.service }));
    // The vendor's results of calls made with a callback come back through the relay, into the same tasks.
    if (gateway?.relay) served.push(serve(abisRelayInterface, { gateway: gateway.engine, addresses: gateway.relay, settler: abisTasks.service }));
  }
  if (serves('audit')) served.push(serve(auditInterface, auditLog));
  // The public documents: the issuing CA beside the CMS, the proof keys beside Third Party.
  if (pkiIssuer && serves('cms')) served.push(serve(pkiInterface, pkiIssuer));
  if (proofSigner) served.push(serve(jwksInterface, proofSigner));

  if (config.workflow === 'issuance') {
    const cmsPart = cms && cmsDocument && { services: cms, document: cmsDocument };
    registerIssuanceWorkflow({ enrollment, uin, pr, cms: cmsPart }, { biometrics, announceDuplicate, clock, logger });
    if (enrollment && outbox.relays) jobs.add(new PeriodicJob('enrollmentFinalized relay', config.outboxInterval, () => enrollment.finalized.runOnce(), logger));
  }

  // The PR's own events, relayed once committed; the reactions to civil-registry events, subscribed once listening.
  const flows =
    flowConfig &&
    (await openEventFlows({
      flows: flowConfig,
      store,
      notification: notification?.service,
      pr,
      cms,
      publicUrl: publicUrlOf(config),
      clock,
      logger,
    }));
  const { relay, subscriptions } = flows ?? {};
  if (relay && flowConfig) jobs.add(new PeriodicJob('event relay', flowConfig.relay.intervalMs, () => relay.runOnce(), logger));
  if (subscriptions) jobs.add(subscriptions);
  jobs.add(authNoticesJob(config, logger));

  if (flows?.callbacks) served.push(serve(eventsInterface, flows.callbacks));

  // The citizen's side: the OpenID provider over the registry, its pages bound like any interface's handlers; the
  // ID card (on the card listener) and passkeys log people in; "my data" sits behind the same login.
  const oidcMount = mounts.find(({ loaded }) => loaded.name === 'oidc');
  const stands = async (personId: string, credentialId?: string) => (await accountStanding?.standing(personId, credentialId)) === undefined;
  const passkeys =
    oidcMount && registry && !parts.oidcLogins
      ? await Passkeys.open(store, {
          publicUrl: publicUrlOf(config),
          clock,
          standing: (personId) => stands(personId),
          accountName: async (personId) => displayName(await registry.readReference(personId)) || personId,
        })
      : undefined;
  const cardOrigin = cardUrlOf(config);
  const logins: OidcLoginPorts = parts.oidcLogins ?? {
    standing: { credentialActive: (personId, credentialId) => stands(personId, credentialId) },
    authenticateCard: cardOrigin && cardAuthenticator ? (peer) => cardAuthenticator.authenticateCard(peer) : undefined,
    passkeyLogin: passkeys && oidcMount ? (lang, uid) => passkeyLoginButton(lang, uid, oidcMount.prefix) : undefined,
    cardOrigin,
  };
  const oidc =
    registry && oidcMount
      ? await openOidcServices({
          store,
          registry,
          config,
          publicUrl: publicUrlOf(config),
          prefix: oidcMount.prefix,
          mePrefix: ME_PREFIX,
          https: schemeOf(config) === 'https',
          oidcClaims: settings.oidcClaims,
          standing: logins.standing,
          authenticateCard: logins.authenticateCard,
          cardOrigin: logins.cardOrigin,
          audit: ({ personId, ...release }) =>
            auditLog.append({ time: clock().toISOString(), interface: 'oidc', status: 200, personIds: [personId], recordIds: [], ...release }),
          clock,
          logger,
        })
      : undefined;
  if (oidc && oidcMount && registry) {
    served.push(serve(oidcInterface, { oidc, passkeyLogin: logins.passkeyLogin }));
    jobs.add(oidc.sweep);
    const { finishLogin, currentLogin } = oidc;
    if (passkeys) served.push(serve(passkeysInterface, { passkeys, finishLogin, currentLogin }));
    if (accountStanding && config.outboxInterval > 0) {
      const ending = await SessionEnding.open(store, { standing: accountStanding, endSessionsOf: async (personId) => void (await oidc.endSessionsOf(personId)), clock, logger });
      jobs.add(new PeriodicJob('session ending', config.outboxInterval, () => ending.runOnce(), logger));
    }
    if (credentials) {
      // OpenID clients declare their organisation, purpose and restriction in their file; API clients in the profile.
      const described = Object.fromEntries(oidc.clients.map(({ clientId, organisation, purpose, restricted }) => [clientId, { organisation, purpose, restricted }]));
      const reportSettings = { restrictedDelayDays: DEFAULT_RESTRICTED_DELAY_DAYS, ...settings.accessReport, clients: { ...described, ...settings.accessReport?.clients } };
      served.push(
        serve(meInterface, {
          session: {
            currentLogin,
            loginUrl: (returnTo, acr) => oidc.loginUrl(returnTo, acr).url,
            signOutUrl: `${publicUrlOf(config)}${oidcMount.prefix === '/' ? '' : oidcMount.prefix}/session/end`,
          },
          report: new AccessReport(auditLog, reportSettings, clock),
          registry,
          credentials: new StoredCredentialDirectory(credentials.store.credentials, credentials.catalogue),
          prefix: ME_PREFIX,
          ...(passkeys && {
            passkeySection: async (lang, personId) => passkeyRegistration(lang, await passkeys.list(personId), oidcMount.prefix),
          }),
        }),
      );
    }
  }
  const publicDocuments = await Promise.all(served.filter(({ name }) => !documentOf(name)).map(({ name }) => loadDocument(name)));
  const allDocuments = [...documents, ...publicDocuments];
  const library = oidc && { name: 'oidc' as const, callback: oidc.provider.callback() };
  const app = await createHttpApp({ config, storage, logger, documents: allDocuments, mounts, metrics, interfaces: served, auditLog, clock, library });
  const services = { notification, thirdParty, cms, pr, flows, abisTasks, abisMirror, accountStanding, cardAuthenticator, oidc };
  return { app, services, jobs, issuingCaPem: cardAuthenticator && pkiIssuer?.caCertificatePem() };
}
