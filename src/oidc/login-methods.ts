/** What a login method hands the provider: who logged in, at which level of assurance, and how (RFC 8176 `amr`). */
export interface LoginResult {
  /** The person's UIN in the population registry: the provider's account id. */
  personId: string;
  acr: 'low' | 'substantial' | 'high';
  amr: string[];
  /** The credential used, when the method rests on one (the ID card): its standing is checked at every use. */
  credentialId?: string;
}

/** A login refused for a reason the person may read (a revoked card, a suspended credential …); never a 500. */
export class LoginRefused extends Error {
  override name = 'LoginRefused';
}
