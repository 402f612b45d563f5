/**
 * What the "my data" module needs of the OpenID provider, as ports the composition root fills in (the provider's
 * module lives in another interface folder, which this one never imports): the browser's login, and where to send a
 * person to sign in or out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The levels of assurance, weakest first (published as eIDAS or FranceConnect values by the provider). */
const ACR_LEVELS = ['low', 'substantial', 'high'] as const;
export type AcrLevel = (typeof ACR_LEVELS)[number];

/** The "my data" page shows personal data: it needs at least this level (the issue, §6). */
export const REQUIRED_ACR: AcrLevel = 'substantial';

export interface CitizenLogin {
  /** The person's UIN (the provider's account id). */
  personId: string;
  acr: AcrLevel;
}

export interface CitizenSession {
  /** The login of the browser's session with the provider (its cookie), or undefined when not signed in. */
  currentLogin(exchange: { req: IncomingMessage; res: ServerResponse }): Promise<CitizenLogin | undefined>;
  /**
   * The authorization request of the first-party client `osia-me` (redirect_uri `<public url>/me`) asking for
   * `acr` at least; `returnTo` is where on this page the person meant to go.
   */
  loginUrl(returnTo: string, acr: typeof REQUIRED_ACR): string;
  /** The provider's end-session endpoint, for the sign-out link. */
  signOutUrl: string;
}

/** Whether a login is strong enough for the page. */
export function strongEnough(login: CitizenLogin | undefined): login is CitizenLogin {
  return login !== undefined && ACR_LEVELS.indexOf(login.acr) >= ACR_LEVELS.indexOf(REQUIRED_ACR);
}
