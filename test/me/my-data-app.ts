/**
 * The "my data" module on a test app, as the composition root will wire it beside the OpenID provider: its router
 * in front of the app's, on the same store. The provider's session is stood in for by a header naming the login
 * (`x-test-login: <UIN> <acr>`), which only this test app reads.
 */
import express, { type Express } from 'express';
import { AuditLog } from '../../src/audit/audit-log.js';
import { errorMiddleware } from '../../src/http/error-middleware.js';
import { serve } from '../../src/http/interface-module.js';
import { createInterfaceRouter } from '../../src/http/interface-router.js';
import { AccessReport } from '../../src/me/access-report.js';
import type { AcrLevel, CitizenSession } from '../../src/me/citizen-session.js';
import { type MeServices, meInterface } from '../../src/me/me.routes.js';
import { loadDocument } from '../../src/openapi/documents.js';
import type { AccessReportSettings } from '../../src/profile/profile-settings.js';
import type { Clock } from '../../src/shared/clock.js';
import { Store } from '../../src/storage/store.js';
import type { TestApp } from '../support/test-app.js';

export const TEST_LOGIN = 'x-test-login';

const testSession: CitizenSession = {
  currentLogin: async ({ req }) => {
    const named = req.headers[TEST_LOGIN];
    if (typeof named !== 'string') return undefined;
    const [personId = '', acr] = named.split(' ');
    return { personId, acr: acr as AcrLevel };
  },
  loginUrl: (returnTo, acr) => `/oidc/auth?client_id=osia-me&acr_values=${acr}&state=${encodeURIComponent(returnTo)}`,
  signOutUrl: '/oidc/session/end',
};

/**
 * The app with `/me` in front; requests without a token get `defaultToken` (the registry clerk's, so that the
 * shared fixtures create persons and credentials through the APIs with authentication on).
 */
export async function withMyData(
  t: TestApp,
  settings: AccessReportSettings,
  clock: Clock,
  defaultToken: string,
  passkeySection?: MeServices['passkeySection'],
): Promise<{ app: Express; auditLog: AuditLog }> {
  const auditLog = await AuditLog.open(new Store(t.storage));
  const thirdParty = t.services.thirdParty;
  if (!thirdParty) throw new Error('the my data tests need Third Party Services (the registry and the credentials)');
  const served = serve(meInterface, {
    session: testSession,
    report: new AccessReport(auditLog, settings, clock),
    registry: thirdParty.registry,
    credentials: thirdParty.credentials,
    prefix: '/me',
    ...(passkeySection ? { passkeySection } : {}),
  });
  const app = express();
  const jsonLimits = { maxDepth: 20, maxMembers: 1000, maxValues: 10_000 };
  app.use('/me', createInterfaceRouter({ loaded: await loadDocument('me'), basePath: '/me', validateResponses: true, bodyLimit: '100kb', jsonLimits, ...served }));
  app.use((req, _res, next) => {
    req.headers.authorization ??= `Bearer ${defaultToken}`;
    next();
  });
  app.use(t.app);
  app.use(errorMiddleware);
  return { app, auditLog };
}
